/**
 * Release → every screen holds its new manifest, verified by itself; beside it, in the same run, the
 * bare fan-out of the same broker (`floor.ts`) and the ratio of the two.
 *
 * `npm run bench:publish -- --screens 1000 [--broker both|embedded|mosquitto] [--processes P] [--json]`
 *
 * The controller runs as its own process (as in production); the screens are receivers spread over
 * child processes (`receivers.ts`). Each figure is timed from the release's POST to the moment each
 * screen has the message and has checked it (arrival + that screen's own check, measured alone). Also
 * reported: the controller-side time (release → the broker acknowledged the last manifest), and the
 * controller's CPU and memory over the release.
 */
import { parseArgs } from "node:util";
import { Item, Jwks, MANIFEST_BATCH_FEATURE } from "@gatecast/playlists";
import { Store } from "../controller/src/store/index.ts";
import {
  BROKERS,
  type BrokerKind,
  type Installation,
  metric,
  readProc,
  startInstallation,
} from "../harness/installation.ts";
import { startFloorPublisher } from "./floor.ts";
import { machine, percentiles } from "./machine.ts";
import { type Arrival, type Receivers, startReceivers } from "./receivers.ts";
import { type ResultRow, resultRow, writeResults } from "./results.ts";

export interface PublishRow extends ResultRow {
  figure: "release";
  broker: BrokerKind;
  received: number;
  /** Release → the last manifest's arrival on a socket (no check). */
  arrivalP99: number;
  /** A screen's own verification of its manifest, median. */
  verifyP50: number;
  floorP50: number;
  /** Release → the broker acknowledged the controller's last manifest (controller-side time). */
  controllerMs: number;
  /** The floor publisher's first send → the broker acknowledged its last message. */
  floorPublisherMs: number;
  controllerCpuS: number;
  /** How the manifests were signed: one signature per chunk of screens (`batch`) or one each. */
  signing: "batch" | "single";
  controllerRssMB: number;
  controllerPeakRssMB: number;
  receiverProcesses: number;
}

const now = () => performance.timeOrigin + performance.now();
const mb = (n: number) => Math.round((n / 1_048_576) * 10) / 10;

async function waitArrived(r: Receivers, set: string, n: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let got = 0;
  for (;;) {
    got = await r.arrived(set);
    if (got >= n) return;
    if (Date.now() > deadline) throw new Error(`${what}: only ${got}/${n} screens within ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 10));
  }
}

const latencies = (arrivals: Arrival[], t0: number) => arrivals.map((a) => a.arrivedAt + a.checkMs - t0);

async function peakRssBytes(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN) * 1024;
}

/**
 * The floor: each screen's own signed manifest text, sent bare on its `cmd` topic (the same broker
 * kind and settings, the same receivers, parsed as a screen parses a manifest, never verified).
 */
async function measureFloor(env: Installation, receivers: Receivers, jwks: Jwks, n: number) {
  const store = await Store.open(env.controller.dataDir);
  const messages = store.published.screens().map((r) => ({ screenId: r.screenId, payload: r.envelope }));
  store.close();
  const login = env.brokerLogin;
  const publisher = await startFloorPublisher(
    login
      ? { kind: "client", url: env.brokerUrl(), ...login, clientId: `gatecast-bench-floor-${process.pid}` }
      : { kind: "aedes" },
    messages,
  );
  const set = login ? "main" : "floor";
  try {
    if (!login) await receivers.connect(set, `mqtt://127.0.0.1:${publisher.port}`, jwks, ["bare"]);
    await receivers.arm(set, "bare");
    const sent = await publisher.go();
    await waitArrived(receivers, set, n, 120_000, "bare fan-out");
    const arrivals = await receivers.collect(set);
    if (login) await publisher.clear();
    return { latency: percentiles(latencies(arrivals, sent.startedAt)), publisherMs: sent.ackedAt - sent.startedAt };
  } finally {
    if (!login) await receivers.close(set).catch(() => undefined);
    await publisher.stop();
  }
}

export async function benchPublish(
  screens: number,
  kind: BrokerKind,
  opts: { processes?: number; single?: boolean; log?: (line: string) => void } = {},
): Promise<PublishRow> {
  const log = opts.log ?? (() => undefined);
  const env = await startInstallation(kind);
  let receivers: Receivers | null = null;
  try {
    const t = Date.now();
    const creds = await env.provision({
      count: screens,
      gates: ["huu-nghi", "tan-thanh"],
      tags: ["arrivals"],
      concurrency: 20,
    });
    log(
      `publish (${kind}, ${screens}): ${creds.length} screens provisioned in ${((Date.now() - t) / 1000).toFixed(0)} s`,
    );
    const jwks = Jwks.parse(await (await fetch(`${env.controller.url}/api/v1/keys`)).json());
    const r = await startReceivers(
      creds.map((c) => ({ id: c.screenId, username: c.mqtt.username, password: c.mqtt.password })),
      opts.processes,
    );
    receivers = r;
    // as kiosks do: each screen's status says it verifies batch-signed manifests (unless measuring without)
    await r.connect(
      "main",
      env.brokerUrl(),
      jwks,
      kind === "mosquitto" ? ["manifest", "bare"] : ["manifest"],
      opts.single ? [] : [MANIFEST_BATCH_FEATURE],
    );
    // every screen holds (and has verified) its first manifest before anything is timed
    await r.baseline("main", 300_000);

    const floor = await measureFloor(env, r, jwks, screens);
    log(`publish (${kind}, ${screens}): floor p99 ${floor.latency.p99.toFixed(0)} ms`);

    const item = await env.api.must("GET", "/api/v1/items/notice-customs-declaration", undefined, Item);
    await env.api.must("PUT", "/api/v1/items/notice-customs-declaration", { ...item, duration: item.duration + 1 });
    await r.arm("main", "manifest");
    const pid = env.pids().controller;
    if (pid === null) throw new Error("controller is not running");
    const c0 = await readProc(pid);
    const t0 = now();
    const release = await env.api.request("POST", "/api/v1/releases", { note: `bench ${screens}` });
    if (release.status !== 201) throw new Error(`release: ${release.status} ${JSON.stringify(release.body)}`);
    await waitArrived(r, "main", screens, 180_000, "release");
    const c1 = await readProc(pid);
    // the controller's own account of the run the release started (it may finish after the screens have it)
    const deadline = Date.now() + 60_000;
    while (
      (await metric(env.controller.url, "gatecast_publish_last_run_started_timestamp_seconds")) * 1000 <
      t0 - 1000
    ) {
      if (Date.now() > deadline) throw new Error("the controller reported no publish run for the release");
      await new Promise((res) => setTimeout(res, 20));
    }
    const ackedAt = (await metric(env.controller.url, "gatecast_publish_last_run_acked_timestamp_seconds")) * 1000;
    const arrivals = await r.collect("main");
    const release99 = percentiles(latencies(arrivals, t0));
    const m = machine();
    return resultRow({
      figure: "release" as const,
      broker: kind,
      screens,
      ...release99,
      floorP99: floor.latency.p99,
      received: arrivals.length,
      arrivalP99: percentiles(arrivals.map((a) => a.arrivedAt - t0)).p99,
      verifyP50: percentiles(arrivals.map((a) => a.checkMs)).p50,
      floorP50: floor.latency.p50,
      controllerMs: ackedAt - t0,
      floorPublisherMs: floor.publisherMs,
      controllerCpuS: Math.round((c1.cpuS - c0.cpuS) * 100) / 100,
      signing: opts.single ? ("single" as const) : ("batch" as const),
      controllerRssMB: mb(c1.rssBytes),
      controllerPeakRssMB: mb(await peakRssBytes(pid)),
      receiverProcesses: r.processes,
      machine: `${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, node ${m.node}`,
    });
  } finally {
    await receivers?.stop();
    await env.stop();
  }
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

export function publishTable(rows: readonly PublishRow[]): string {
  return [
    "| broker | screens | release → verified p50 | p95 | p99 | max | bare fan-out p99 | ratio | controller-side | controller CPU | controller RSS (peak) |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.broker} | ${r.screens} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${ms(r.floorP99 ?? Number.NaN)} | ${r.ratio?.toFixed(2)}× | ${ms(r.controllerMs)} | ${r.controllerCpuS} s | ${r.controllerRssMB} MB (${r.controllerPeakRssMB} MB) |`,
    ),
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      screens: { type: "string", default: "1000" },
      broker: { type: "string", default: "both" },
      processes: { type: "string" },
      json: { type: "boolean", default: false },
      /** Screens do not announce batch verification: every manifest signed alone (for comparison). */
      single: { type: "boolean", default: false },
    },
  });
  const n = Number(values.screens);
  if (!Number.isInteger(n) || n < 1) throw new Error("--screens: expected a whole number of screens");
  const kinds = values.broker === "both" ? [...BROKERS] : BROKERS.filter((b) => b === values.broker);
  if (kinds.length === 0) throw new Error("--broker: expected both, embedded or mosquitto");
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const rows: PublishRow[] = [];
  for (const kind of kinds)
    rows.push(
      await benchPublish(n, kind, {
        log,
        single: values.single ?? false,
        ...(values.processes ? { processes: Number(values.processes) } : {}),
      }),
    );
  await writeResults(rows);
  if (values.json) process.stdout.write(`${JSON.stringify(rows.length === 1 ? rows[0] : rows, null, 2)}\n`);
  else
    process.stdout.write(
      `\nrelease → manifest verified on every screen (${rows[0]?.machine})\n\n${publishTable(rows)}\n`,
    );
}
