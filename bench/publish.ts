/**
 * Release → every screen has received and verified its new manifest.
 * `npm run bench:publish -- --screens 1000 [--broker embedded|mosquitto|both]`
 * The controller runs as its own process (as in production); the screens are mqtt.js clients here.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Item, Jwks, SignedEnvelope, topics, verifyEnvelope } from "@gatecast/playlists";
import mqtt, { type MqttClient } from "mqtt";
import { randomSecret } from "../controller/src/auth/passwords.ts";
import { mosquittoFiles, screenAccessFrom } from "../controller/src/broker/mosquittoConfig.ts";
import { Store } from "../controller/src/store/index.ts";
import { ControllerApi, provisionScreens } from "../sim/api.ts";
import { ADMIN_PASSWORD, ROOT, startControllerProcess } from "../test/e2e/controllerProcess.ts";
import { startMosquitto } from "../test/support/mosquitto.ts";
import { machine, percentiles } from "./machine.ts";

type Kind = "embedded" | "mosquitto";

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

export async function benchPublish(screens: number, kind: Kind) {
  const controllerPassword = randomSecret(24);
  const mosquitto = kind === "mosquitto" ? await startMosquitto(mosquittoFiles([], controllerPassword)) : null;
  const c = await startControllerProcess({
    env: mosquitto
      ? {
          MQTT_URL: `mqtt://127.0.0.1:${mosquitto.port}`,
          MQTT_USERNAME: "gatecast-controller",
          MQTT_PASSWORD: controllerPassword,
        }
      : {},
  });
  const clients: MqttClient[] = [];
  try {
    const api = await ControllerApi.connect(c.url, { user: "admin", password: ADMIN_PASSWORD });
    const creds = (
      await provisionScreens(api, {
        count: screens,
        gates: ["huu-nghi", "tan-thanh"],
        tags: ["arrivals"],
        concurrency: 20,
      })
    ).map((cr) => ({ id: cr.screenId, username: cr.mqtt.username, password: cr.mqtt.password }));
    if (mosquitto) {
      const store = await Store.open(c.dataDir);
      const files = mosquittoFiles(screenAccessFrom(store), controllerPassword);
      store.close();
      const last = creds[creds.length - 1];
      await mosquitto.reload(files, last ? { username: last.username, password: last.password } : undefined);
    }
    const jwks = Jwks.parse(await (await fetch(`${c.url}/api/v1/keys`)).json());
    const brokerUrl = mosquitto ? `mqtt://127.0.0.1:${mosquitto.port}` : `mqtt://127.0.0.1:${c.mqttPort}`;

    const versions = new Map<string, number>();
    /** Arrival of each screen's new manifest; verified below, each on its own as a screen would. */
    const received = new Map<string, { at: number; payload: Buffer }>();
    let baseline = new Map<string, number>();
    await inBatches(creds, 50, async (cr) => {
      const client = await mqtt.connectAsync(brokerUrl, {
        username: cr.username,
        password: cr.password,
        clientId: `${cr.username}.bench`,
        reconnectPeriod: 0,
        keepalive: 120,
      });
      clients.push(client);
      client.on("message", (_topic, payload) => {
        const at = performance.now();
        // only the manifest's top level has a "version" key: find it without parsing 14 KB here
        const text = payload.toString("utf8");
        const at0 = text.lastIndexOf('"version":');
        const version = Number(/^"version":(\d+)/.exec(text.slice(at0))?.[1] ?? Number.NaN);
        versions.set(cr.id, version);
        const base = baseline.get(cr.id);
        if (base !== undefined && version > base && !received.has(cr.id)) received.set(cr.id, { at, payload });
      });
      await client.subscribeAsync(topics.manifest(cr.id), { qos: 1 });
    });
    // every screen holds its first manifest before the measured release
    const deadline = Date.now() + 120_000;
    while (versions.size < screens && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (versions.size < screens) throw new Error(`only ${versions.size}/${screens} screens got a first manifest`);
    baseline = new Map(versions);

    const item = await api.must("GET", "/api/v1/items/notice-customs-declaration", undefined, Item);
    await api.must("PUT", "/api/v1/items/notice-customs-declaration", { ...item, duration: item.duration + 1 });
    const t0 = performance.now();
    const release = await api.request("POST", "/api/v1/releases", { note: `bench ${screens}` });
    if (release.status !== 201) throw new Error(`release: ${release.status} ${JSON.stringify(release.body)}`);
    const end = Date.now() + 120_000;
    while (received.size < screens && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    // A real screen verifies its own manifest on its own CPU: measure each verification alone and add
    // it to that screen's arrival time, instead of queueing 1000 screens' work on this process.
    const latencies: number[] = [];
    const verifyMs: number[] = [];
    for (const { at, payload } of received.values()) {
      const v0 = performance.now();
      const envelope = SignedEnvelope.parse(JSON.parse(payload.toString()));
      const ok = await verifyEnvelope(envelope, jwks);
      if (!ok.ok) throw new Error(`manifest failed verification: ${ok.reason}`);
      const cost = performance.now() - v0;
      verifyMs.push(cost);
      latencies.push(at + cost - t0);
    }
    const arrival = percentiles([...received.values()].map((r) => r.at - t0));
    return {
      broker: kind,
      screens,
      received: received.size,
      ...percentiles(latencies),
      arrivalP99: arrival.p99,
      verifyP50: percentiles(verifyMs).p50,
    };
  } finally {
    await Promise.all(clients.map((cl) => cl.endAsync(true)));
    await c.cleanup();
    await mosquitto?.stop();
  }
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { screens: { type: "string", default: "1000" }, broker: { type: "string", default: "both" } },
  });
  const n = Number(values.screens);
  const kinds: Kind[] = values.broker === "both" ? ["embedded", "mosquitto"] : [values.broker as Kind];
  const rows = [];
  for (const kind of kinds) rows.push(await benchPublish(n, kind));
  const m = machine();
  console.log(`\nrelease → manifest verified on every screen (${m.cores} × ${m.cpu}, node ${m.node})\n`);
  console.log("| broker | screens | received | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|---|");
  for (const r of rows)
    console.log(
      `| ${r.broker} | ${r.screens} | ${r.received} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.max)} |`,
    );
  await writeFile(
    join(ROOT, "bench/results/publish-latest.json"),
    JSON.stringify({ machine: m, date: new Date().toISOString(), rows }, null, 2),
  );
}
