/**
 * `npm run bench [-- --quick] [--soak-minutes 20] [--broker both|embedded|mosquitto] [--only LIST] [--out FILE]`
 *
 * Every figure for the embedded broker and for Debian's Mosquitto side by side; prints markdown tables
 * and writes bench/results/latest.json (machine, versions, date, load). `--quick` is the smoke variant:
 * 20 screens, seconds-long intervals, a 30-second soak.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../harness/controllerProcess.ts";
import { BROKERS, type BrokerKind, type Installation, startInstallation } from "../harness/installation.ts";
import { MOSQUITTO_BIN } from "../harness/mosquitto.ts";
import { type BandwidthRow, benchBandwidth } from "./bandwidth.ts";
import {
  type AlertRow,
  benchAlert,
  benchResources,
  benchRestart,
  type ResourceRow,
  type RestartRow,
  waitSettled,
} from "./fleetFigures.ts";
import { startFleetProcesses } from "./fleetProcesses.ts";
import { machine } from "./machine.ts";
import { benchPublish, publishTable } from "./publish.ts";
import { type ResultRow, resultRow } from "./results.ts";
import { benchSoak, launchChromium, type SoakRow } from "./soak.ts";

export const FIGURES = ["publish", "alert", "restart", "bandwidth", "resources", "soak"] as const;
export type Figure = (typeof FIGURES)[number];

export interface BenchOptions {
  quick: boolean;
  soakMinutes: number;
  brokers: readonly BrokerKind[];
  only: ReadonlySet<Figure>;
  /** Where the JSON goes (default bench/results/latest.json). */
  out: string;
  log: (line: string) => void;
}

export interface Sizes {
  publish: number[];
  /** Screens of the fleet for the alert, the restart and the first resource reading. */
  fleet: number;
  /** Screens for the second resource reading (and, unless quick, the urgent notice and the restart again). */
  fleetLarge: number;
  /** Whether the urgent notice and the restart are timed at `fleetLarge` too. */
  largeFleetFigures: boolean;
  bandwidth: number;
  resourceSeconds: number;
  soakWarmupS: number;
  soakSampleS: number;
  heartbeatMs: number;
}

export function sizesFor(quick: boolean): Sizes {
  return quick
    ? {
        publish: [20],
        fleet: 20,
        fleetLarge: 40,
        largeFleetFigures: false,
        bandwidth: 20,
        resourceSeconds: 3,
        soakWarmupS: 5,
        soakSampleS: 5,
        heartbeatMs: 30_000,
      }
    : {
        publish: [100, 1000, 5000],
        fleet: 1000,
        fleetLarge: 5000,
        largeFleetFigures: true,
        bandwidth: 100,
        resourceSeconds: 60,
        soakWarmupS: 60,
        soakSampleS: 60,
        heartbeatMs: 30_000,
      };
}

type PublishRow = Awaited<ReturnType<typeof benchPublish>>;

export interface BenchResults {
  date: string;
  quick: boolean;
  machine: ReturnType<typeof machine>;
  versions: Record<string, string>;
  loadAverage: { start: number[]; end: number[] };
  sizes: Sizes;
  figures: {
    publish: PublishRow[];
    alert: (AlertRow & { broker: BrokerKind })[];
    restart: (RestartRow & { broker: BrokerKind })[];
    bandwidth: (BandwidthRow & { broker: BrokerKind })[];
    resources: (ResourceRow & { broker: BrokerKind })[];
    soak: (SoakRow & { broker: BrokerKind })[];
  };
  targets: { figure: string; target: string; broker: BrokerKind; value: string; met: boolean }[];
  /** One row per figure and size (the fields of `bench/results/latest.json` every benchmark writes). */
  rows: ResultRow[];
  errors: { figure: string; broker: BrokerKind | "all"; message: string }[];
}

function versionOf(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 })
      .split("\n")[0]
      ?.trim() as string;
  } catch (e) {
    const out = (e as { stdout?: string }).stdout;
    return out?.split("\n")[0]?.trim() || "unknown";
  }
}

function pkgVersion(name: string): string {
  try {
    const p = JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string };
    return p.version;
  } catch {
    return "unknown";
  }
}

export function versions(): Record<string, string> {
  return {
    gatecast: (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version,
    commit: versionOf("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"]),
    node: process.version,
    mqtt: pkgVersion("mqtt"),
    aedes: pkgVersion("aedes"),
    mosquitto: versionOf(MOSQUITTO_BIN, ["-h"]),
    chromium: versionOf(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", ["--version"]),
  };
}

export const kioskBuilt = () => existsSync(join(ROOT, "kiosk/dist/index.html"));

export async function runBench(opts: BenchOptions): Promise<BenchResults> {
  const sizes = sizesFor(opts.quick);
  const log = opts.log;
  const res: BenchResults = {
    date: new Date().toISOString(),
    quick: opts.quick,
    machine: machine(),
    versions: versions(),
    loadAverage: { start: loadavg().map((x) => Math.round(x * 100) / 100), end: [] },
    sizes,
    figures: { publish: [], alert: [], restart: [], bandwidth: [], resources: [], soak: [] },
    targets: [],
    rows: [],
    errors: [],
  };
  const attempt = async (figure: string, broker: BrokerKind | "all", fn: () => Promise<void>) => {
    const t0 = Date.now();
    try {
      await fn();
      log(`${figure} (${broker}): done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (e) {
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      res.errors.push({ figure, broker, message });
      log(`${figure} (${broker}) failed: ${message}`);
    }
  };
  const want = (f: Figure) => opts.only.has(f);

  const perBroker = async (kind: BrokerKind) => {
    if (want("publish"))
      for (const n of sizes.publish)
        await attempt("publish", kind, async () => {
          res.figures.publish.push(await benchPublish(n, kind, { log, ...(opts.quick ? { processes: 1 } : {}) }));
        });
    if (!(want("alert") || want("restart") || want("resources") || want("bandwidth"))) return;
    const env = await startInstallation(kind);
    try {
      if (want("alert") || want("restart") || want("resources"))
        await attempt("fleet", kind, () => fleetFigures(env, sizes, want, res, attempt, log));
      if (want("bandwidth"))
        await attempt("bandwidth", kind, async () => {
          res.figures.bandwidth.push({ broker: kind, ...(await benchBandwidth(env, sizes.bandwidth)) });
        });
    } finally {
      await env.stop();
    }
  };

  const soak = async () => {
    if (!want("soak")) return;
    if (!kioskBuilt()) {
      res.errors.push({ figure: "soak", broker: "all", message: "kiosk/dist is not built: run npm run build" });
      return;
    }
    const browser = await launchChromium();
    try {
      // both brokers at once: the soak measures growth, not speed
      await Promise.all(
        opts.brokers.map((kind) =>
          attempt("soak", kind, async () => {
            const env = await startInstallation(kind);
            try {
              const row = await benchSoak(env, browser, {
                minutes: opts.soakMinutes,
                warmupS: sizes.soakWarmupS,
                sampleEveryS: sizes.soakSampleS,
                log,
              });
              res.figures.soak.push({ broker: kind, ...row });
            } finally {
              await env.stop();
            }
          }),
        ),
      );
    } finally {
      await browser.close();
    }
  };

  if (opts.quick) {
    // the smoke variant: its figures mean nothing, so everything at once to stay short
    await Promise.all([...opts.brokers.map(perBroker), attempt("soak", "all", soak)]);
  } else {
    for (const kind of opts.brokers) await perBroker(kind);
    await attempt("soak", "all", soak);
  }

  res.loadAverage.end = loadavg().map((x) => Math.round(x * 100) / 100);
  res.targets = targets(res);
  await mkdir(dirname(opts.out), { recursive: true });
  res.rows = resultRows(res);
  await writeFile(opts.out, JSON.stringify(res, null, 2));
  return res;
}

type Attempt = (figure: string, broker: BrokerKind | "all", fn: () => Promise<void>) => Promise<void>;

/** Alert, restart and resources with one fleet of simulated screens in the sample gate Hữu Nghị. */
async function fleetFigures(
  env: Installation,
  sizes: Sizes,
  want: (f: Figure) => boolean,
  res: BenchResults,
  attempt: Attempt,
  log: (line: string) => void,
): Promise<void> {
  const kind = env.kind;
  const gate = "huu-nghi";
  log(`fleet (${kind}): provisioning ${sizes.fleet} screens`);
  const creds = await env.provision({ count: sizes.fleet, gates: [gate] });
  const fleet = await startFleetProcesses({
    ...(sizes.fleet <= 100 ? { processes: 1 } : {}),
    controllerUrl: env.controller.url,
    credentials: creds,
    rampPerSecond: 250,
    heartbeatMs: sizes.heartbeatMs,
  });
  try {
    await waitSettled(fleet, 600_000, `${sizes.fleet} screens' first sync`);
    if (want("resources"))
      await attempt("resources", kind, async () => {
        res.figures.resources.push({
          broker: kind,
          ...(await benchResources(env, fleet, sizes.resourceSeconds, sizes.heartbeatMs)),
        });
      });
    const timed = async () => {
      if (want("alert"))
        await attempt("alert", kind, async () => {
          res.figures.alert.push({ broker: kind, ...(await benchAlert(env.api, fleet, gate)) });
        });
      if (want("restart"))
        await attempt("restart", kind, async () => {
          res.figures.restart.push({ broker: kind, ...(await benchRestart(env, fleet, "notice-customs-declaration")) });
        });
    };
    await timed();
    const large = want("resources") || (sizes.largeFleetFigures && (want("alert") || want("restart")));
    if (large && sizes.fleetLarge > sizes.fleet) {
      log(`fleet (${kind}): growing to ${sizes.fleetLarge} screens`);
      const more = await env.provision({ count: sizes.fleetLarge - sizes.fleet, gates: [gate], offset: sizes.fleet });
      await fleet.add(more);
      if (want("resources"))
        await attempt("resources", kind, async () => {
          res.figures.resources.push({
            broker: kind,
            ...(await benchResources(env, fleet, sizes.resourceSeconds, sizes.heartbeatMs)),
          });
        });
      else await waitSettled(fleet, 600_000, `${sizes.fleetLarge} screens' first sync`);
      if (sizes.largeFleetFigures) await timed();
    }
  } finally {
    await fleet.stop();
  }
}

/** The figures with percentiles as comparable rows: release (with its floor), urgent notice, restart. */
export function resultRows(r: BenchResults): ResultRow[] {
  const m = r.machine;
  const machineText = `${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, node ${m.node}`;
  return [
    ...r.figures.publish,
    ...r.figures.alert.map((a) =>
      resultRow({
        figure: "urgent-notice",
        broker: a.broker,
        screens: a.screens,
        ...a.latency,
        floorP99: null,
        machine: machineText,
      }),
    ),
    ...r.figures.restart.map((x) =>
      resultRow({
        figure: "broker-restart",
        broker: x.broker,
        screens: x.screens,
        ...x.inSync,
        floorP99: null,
        machine: machineText,
      }),
    ),
  ];
}

export function targets(r: BenchResults): BenchResults["targets"] {
  const out: BenchResults["targets"] = [];
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const ref = r.sizes.fleet;
  for (const p of r.figures.publish.filter((x) => x.screens === 1000 || x.screens === 5000))
    out.push({
      figure: "1 release → verified",
      target: `p99 ≤ 2× the bare fan-out at ${p.screens}`,
      broker: p.broker,
      value: `${s(p.p99)} (floor ${s(p.floorP99 ?? Number.NaN)}, ${p.ratio}×)`,
      met: p.ratio !== null && p.ratio <= 2,
    });
  for (const a of r.figures.alert.filter((x) => x.screens <= 1000))
    out.push({
      figure: "2 urgent notice → acked",
      target: `p99 < 1 s at ${a.screens}`,
      broker: a.broker,
      value: s(a.latency.p99),
      met: a.latency.p99 < 1000,
    });
  for (const x of r.figures.restart)
    out.push({
      figure: "3 broker restart",
      target: `all back and in sync < 60 s, spread over ≥ 2 s`,
      broker: x.broker,
      value: `${s(x.allInSyncMs)}, spread ${s(x.spreadMs)} over ${x.distinctSeconds} s`,
      met: x.allInSyncMs < 60_000 && x.distinctSeconds >= 2,
    });
  for (const b of r.figures.bandwidth)
    out.push({
      figure: "4 bandwidth",
      target: "only the changed file + manifest",
      broker: b.broker,
      value: `${b.mediaBytes.max} B media (${b.mediaFiles.max} file) + ${b.manifestBytes.max} B manifest; playlist ${b.playlistMediaBytes} B`,
      met: b.onlyChangedFile,
    });
  for (const x of r.figures.resources.filter((y) => y.screens === ref))
    out.push({
      figure: "5 controller memory",
      target: `RSS < 300 MB at ${ref}`,
      broker: x.broker,
      value: `${x.controllerRssMB} MB`,
      met: x.controllerRssMB < 300,
    });
  for (const x of r.figures.soak)
    out.push({
      figure: "6 kiosk soak",
      target: "heap growth < 10 %, flat DOM and media elements",
      broker: x.broker,
      value: `heap ${x.heapGrowthPct} %, elements ${signed(x.domElementsDelta)}, nodes ${signed(x.domNodesDelta)}, media ${signed(x.mediaElementsDelta)}`,
      met: x.heapGrowthPct < 10 && x.mediaElementsDelta <= 0 && x.domElementsDelta <= 0,
    });
  return out;
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const ms = (n: number) => `${Math.round(n)} ms`;
const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export function markdown(r: BenchResults): string {
  const m = r.machine;
  const v = r.versions;
  const lines = [
    `# gatecast benchmark${r.quick ? " (quick)" : ""} — ${r.date}`,
    "",
    `${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, ${m.platform}; node ${v.node}, mqtt.js ${v.mqtt}, aedes ${v.aedes}, ${v.mosquitto}, ${v.chromium}; gatecast ${v.gatecast} @ ${v.commit}`,
    `load average at start ${r.loadAverage.start.join(" ")}, at end ${r.loadAverage.end.join(" ")}`,
    "",
    "## 1. Release → manifest verified on every screen",
    "",
    publishTable(r.figures.publish),
    "",
    "Bare fan-out: the same broker, in the same run, sending each screen one retained message of its",
    "manifest's size with nothing compiled, signed or stored; ratio = p99 / bare p99. Controller-side:",
    "the release's POST → the broker acknowledged the last manifest.",
    "",
    "## 2. Urgent notice (gate-wide, critical) → `alert-shown` stored for every screen",
    "",
    "| broker | screens | acked | p50 | p95 | p99 | max | alert on the screen's socket p50 / p99 | on the screen p50 / p99 | ack ingest p50 / p99 | p99 with a CPU per screen |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...r.figures.alert.map(
      (a) =>
        `| ${a.broker} | ${a.screens} | ${a.acked} | ${ms(a.latency.p50)} | ${ms(a.latency.p95)} | ${ms(a.latency.p99)} | ${ms(a.latency.max)} | ${ms(a.arrival.p50)} / ${ms(a.arrival.p99)} | ${ms(a.onScreen.p50)} / ${ms(a.onScreen.p99)} | ${ms(a.ingest.p50)} / ${ms(a.ingest.p99)} | ${ms(a.ownCpuEstimate.p99)} |`,
    ),
    "",
    "On the screen: verification, putting the alert up (at once, as the kiosk does) and the simulator's",
    "queue (all simulated screens share this machine's CPUs). The last column replaces that part by the",
    "verification measured alone.",
    "",
    "## 3. Broker restart: every screen back and on the release made right after",
    "",
    "| broker | screens | broker down | all back | all in sync | reconnect p50 | p99 | first → last | seconds with reconnections |",
    "|---|---|---|---|---|---|---|---|---|",
    ...r.figures.restart.map(
      (x) =>
        `| ${x.broker} | ${x.screens} | ${ms(x.downMs)} | ${ms(x.allBackMs)} | ${ms(x.allInSyncMs)} | ${ms(x.reconnect.p50)} | ${ms(x.reconnect.p99)} | ${ms(x.spreadMs)} | ${x.distinctSeconds} |`,
    ),
    "",
    ...r.figures.restart.flatMap((x) => {
      const max = Math.max(...Object.values(x.histogram));
      return [
        `Reconnections per second after the broker went down (${x.broker}):`,
        "",
        "```",
        ...Object.entries(x.histogram)
          .sort((a, b) => Number(a[0]) - Number(b[0]))
          .map(([sec, n]) => `${sec.padStart(3)} s ${"█".repeat(Math.max(1, Math.round((n / max) * 40)))} ${n}`),
        "```",
        "",
        `Failed attempts meanwhile: ${
          Object.entries(x.connectErrors)
            .map(([m, n]) => `${m.replace(/^mqtt: /, "")} × ${n}`)
            .join(", ") || "none"
        }`,
        "",
      ];
    }),
    "## 4. Bandwidth: one image of a 20-item playlist replaced",
    "",
    "| broker | screens | playlist media | changed file | media per screen | files per screen | manifest per screen | share of playlist | only changed + manifest |",
    "|---|---|---|---|---|---|---|---|---|",
    ...r.figures.bandwidth.map(
      (b) =>
        `| ${b.broker} | ${b.screens} | ${kb(b.playlistMediaBytes)} | ${kb(b.changedFileBytes)} | ${kb(b.mediaBytes.max)} | ${b.mediaFiles.max} | ${kb(b.manifestBytes.max)} | ${(b.shareOfPlaylist * 100).toFixed(1)} % | ${b.onlyChangedFile ? "yes" : "no"} |`,
    ),
    "",
    "## 5. Controller resources with the fleet connected and playing",
    "",
    "| broker | screens | interval | controller RSS | peak RSS | controller CPU | Mosquitto RSS | Mosquitto CPU | plays ingested/s | heartbeats/s |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...r.figures.resources.map(
      (x) =>
        `| ${x.broker} | ${x.screens} | ${x.seconds} s | ${x.controllerRssMB} MB | ${x.controllerPeakRssMB} MB | ${x.controllerCpuPct} % | ${x.brokerRssMB === null ? "–" : `${x.brokerRssMB} MB`} | ${x.brokerCpuPct === null ? "–" : `${x.brokerCpuPct} %`} | ${x.playsPerSecond} | ${x.heartbeatsPerSecond} |`,
    ),
    "",
    "## 6. Kiosk soak in Chromium (2-second items, images and videos)",
    "",
    "| broker | minutes after warm-up | heap start → end | growth | elements | renderer nodes | media elements | plays stored | page errors |",
    "|---|---|---|---|---|---|---|---|---|",
    ...r.figures.soak.map(
      (x) =>
        `| ${x.broker} | ${x.minutes.toFixed(1)} | ${mb(x.start.heapUsedBytes)} → ${mb(x.end.heapUsedBytes)} | ${x.heapGrowthPct} % | ${x.start.domElements} → ${x.end.domElements} | ${x.start.domNodes} → ${x.end.domNodes} | ${x.start.mediaElements} → ${x.end.mediaElements} | ${x.plays} | ${x.pageErrors.length} |`,
    ),
    "",
    "## Targets",
    "",
    "| figure | target | broker | measured | met |",
    "|---|---|---|---|---|",
    ...r.targets.map((t) => `| ${t.figure} | ${t.target} | ${t.broker} | ${t.value} | ${t.met ? "yes" : "**no**"} |`),
    "",
    ...(r.errors.length
      ? ["## Errors", "", ...r.errors.map((e) => `- ${e.figure} (${e.broker}): ${e.message.split("\n")[0]}`), ""]
      : []),
  ];
  return lines.join("\n");
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      "soak-minutes": { type: "string" },
      broker: { type: "string", default: "both" },
      only: { type: "string" },
      out: { type: "string" },
    },
  });
  const brokers: BrokerKind[] = values.broker === "both" ? [...BROKERS] : BROKERS.filter((b) => b === values.broker);
  if (brokers.length === 0) throw new Error(`--broker: expected both, embedded or mosquitto`);
  const only = values.only ? values.only.split(",").map((s) => s.trim()) : [...FIGURES];
  const unknown = only.filter((f) => !(FIGURES as readonly string[]).includes(f));
  if (unknown.length) throw new Error(`--only: unknown figure(s) ${unknown.join(", ")} (known: ${FIGURES.join(", ")})`);
  // --quick: 30 s in all (5 s warm-up + 25 s)
  const soakMinutes = Number(values["soak-minutes"] ?? (values.quick ? 25 / 60 : 20));
  if (!(soakMinutes >= 0)) throw new Error("--soak-minutes: expected a number of minutes");
  return {
    quick: values.quick ?? false,
    soakMinutes,
    brokers,
    only: new Set(only as Figure[]),
    out: values.out ?? join(ROOT, "bench/results/latest.json"),
    log: (line) => process.stderr.write(`${line}\n`),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const opts = parseBenchArgs(process.argv.slice(2));
  const results = await runBench(opts);
  process.stdout.write(`${markdown(results)}\n`);
  process.stderr.write(`results written to ${opts.out}\n`);
  process.exitCode = results.errors.length > 0 ? 1 : 0;
}
