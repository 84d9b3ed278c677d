import { Jwks, ManifestPayload, SignedEnvelope, topics, verifyEnvelope } from "@gatecast/playlists";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Connection } from "../../kiosk/src/sync/connection.ts";
import { mqttTransport } from "../../kiosk/src/sync/mqtt-transport.ts";
import { AUTH_REFUSED } from "../../kiosk/src/sync/repair.ts";
import { type Mosquitto, startMosquitto } from "../../test/support/mosquitto.ts";
import { randomSecret } from "./auth/passwords.ts";
import { mosquittoFiles, screenAccessFrom } from "./broker/mosquittoConfig.ts";
import { startTestController, type TestController, waitFor } from "./testing/harness.ts";

interface Setup {
  t: TestController;
  mosquitto: Mosquitto | null;
  controllerPassword: string | null;
  tcpUrl: string;
}

async function setUp(kind: "embedded" | "mosquitto", dataDir?: string, existing?: Setup): Promise<Setup> {
  if (kind === "embedded") {
    const t = await startTestController(dataDir ? { dataDir } : {});
    return { t, mosquitto: null, controllerPassword: null, tcpUrl: `mqtt://127.0.0.1:${t.controller.mqttPort}` };
  }
  const controllerPassword = existing?.controllerPassword ?? randomSecret(24);
  const mosquitto = existing?.mosquitto ?? (await startMosquitto(mosquittoFiles([], controllerPassword)));
  const t = await startTestController({
    ...(dataDir ? { dataDir } : {}),
    env: {
      MQTT_URL: `mqtt://127.0.0.1:${mosquitto.port}`,
      MQTT_USERNAME: "gatecast-controller",
      MQTT_PASSWORD: controllerPassword,
      MQTT_WS_URL: `ws://127.0.0.1:${mosquitto.wsPort}`,
    },
  });
  return { t, mosquitto, controllerPassword, tcpUrl: `mqtt://127.0.0.1:${mosquitto.port}` };
}

/** Pairs a screen the way the claim API does, and tells an external broker about it. */
async function credentialsFor(s: Setup, screenId: string) {
  const issued = s.t.controller.ctx.pairings.issueCredentials(screenId);
  if (s.mosquitto && s.controllerPassword) {
    await s.mosquitto.reload(mosquittoFiles(screenAccessFrom(s.t.controller.ctx.store), s.controllerPassword), {
      username: issued.username,
      password: issued.password,
    });
  }
  return issued;
}

const clients: MqttClient[] = [];
async function connect(s: Setup, creds: { username: string; password: string }): Promise<MqttClient> {
  const c = await mqtt.connectAsync(s.tcpUrl, { ...creds, reconnectPeriod: 0, clean: true, connectTimeout: 5_000 });
  clients.push(c);
  return c;
}

/** Collects messages per topic. */
function inbox(c: MqttClient): Map<string, Buffer[]> {
  const box = new Map<string, Buffer[]>();
  c.on("message", (topic, payload) => box.set(topic, [...(box.get(topic) ?? []), payload]));
  return box;
}

async function verifiedManifest(s: Setup, raw: Buffer) {
  const jwks = Jwks.parse(await (await fetch(`${s.t.url}/api/v1/keys`)).json());
  const envelope = SignedEnvelope.parse(JSON.parse(raw.toString()));
  const verified = await verifyEnvelope(envelope, jwks);
  expect(verified.ok).toBe(true);
  return ManifestPayload.parse(envelope.payload);
}

for (const kind of ["embedded", "mosquitto"] as const) {
  describe(`MQTT with the ${kind} broker`, () => {
    let s: Setup;
    beforeAll(async () => {
      s = await setUp(kind);
    });
    afterAll(async () => {
      await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
      await s.t.stop();
      await s.mosquitto?.stop();
    });

    it("a paired screen receives its retained manifest, and it verifies with the published JWKS", async () => {
      const creds = await credentialsFor(s, "huu-nghi-arrivals-1");
      const c = await connect(s, creds);
      const box = inbox(c);
      await c.subscribeAsync(topics.manifest("huu-nghi-arrivals-1"), { qos: 1 });
      const raw = await waitFor(() => box.get(topics.manifest("huu-nghi-arrivals-1"))?.[0], 5_000, "manifest");
      const manifest = await verifiedManifest(s, raw);
      expect(manifest.screenId).toBe("huu-nghi-arrivals-1");
      expect(manifest.gate.name.zh).toBe("友谊国际口岸");
      expect(manifest.media.every((m) => m.url === `/media/${m.sha256}`)).toBe(true);
      const media = await fetch(`${s.t.url}${manifest.media[0]?.url}`);
      expect(media.status).toBe(200);
    });

    it("a screen whose credentials were replaced is refused with a CONNACK code the kiosk pairs again on", async () => {
      const old = await credentialsFor(s, "tan-thanh-departures-1");
      await credentialsFor(s, "tan-thanh-departures-1");
      const refused = await new Promise<number>((resolve, reject) => {
        const conn = new Connection({
          url: s.tcpUrl,
          username: old.username,
          password: old.password,
          clientId: `screen.tan-thanh-departures-1.test`,
          will: { topic: topics.status("tan-thanh-departures-1"), payload: "{}", qos: 1, retain: true },
          factory: mqttTransport((url, o) => mqtt.connect(url, o)),
          random: () => 0.5,
          onConnect: () => reject(new Error("old credentials were accepted")),
          onClose: () => undefined,
          onMessage: () => undefined,
          onRefused: (code) => {
            void conn.stop();
            resolve(code);
          },
        });
        conn.start();
      });
      expect(AUTH_REFUSED.has(refused)).toBe(true);
    });

    it("screen A cannot read screen B's manifest", async () => {
      const a = await connect(s, await credentialsFor(s, "tan-thanh-arrivals-1"));
      const box = inbox(a);
      // B's topic first: if it were allowed, its retained message would come before A's own
      await a.subscribeAsync(topics.manifest("huu-nghi-lorry-1"), { qos: 1 }).catch(() => undefined);
      if (!a.connected) return; // the embedded broker may drop a client that asks for what it may not read
      await a.subscribeAsync(topics.manifest("tan-thanh-arrivals-1"), { qos: 1 });
      await waitFor(() => box.get(topics.manifest("tan-thanh-arrivals-1")), 5_000, "own manifest");
      expect(box.get(topics.manifest("huu-nghi-lorry-1"))).toBeUndefined();
    });

    it("screen A cannot publish screen B's status", async () => {
      const credsA = await credentialsFor(s, "tan-thanh-lorry-1");
      const a = await connect(s, credsA);
      const store = s.t.controller.ctx.store;
      // Mosquitto acks and drops it; the embedded broker drops it and closes A's connection
      await Promise.race([
        a
          .publishAsync(topics.status("huu-nghi-departures-1"), JSON.stringify({ state: "online" }), {
            qos: 1,
            retain: true,
          })
          .catch(() => undefined),
        new Promise<void>((resolve) => a.once("close", () => resolve())),
      ]);
      // A marker from a fresh connection of A: once it is processed, the forged message would have been too
      const marker = await connect(s, credsA);
      await marker.publishAsync(
        topics.status("tan-thanh-lorry-1"),
        JSON.stringify({ state: "online", appVersion: "test" }),
        { qos: 1, retain: true },
      );
      await waitFor(() => (store.fleet.state("tan-thanh-lorry-1")?.online ? true : undefined), 5_000, "marker status");
      expect(store.fleet.state("huu-nghi-departures-1")).toBeUndefined();
    });

    it("stores plays once per record id and acks them", async () => {
      const creds = await credentialsFor(s, "huu-nghi-lorry-1");
      const c = await connect(s, creds);
      const box = inbox(c);
      await c.subscribeAsync(topics.ack("huu-nghi-lorry-1"), { qos: 1 });
      const record = {
        id: crypto.randomUUID(),
        item: "notice-lorry-lane",
        playlist: "lorry-night",
        startedAt: "2026-11-23T03:00:00.000Z",
        durationMs: 12_000,
      };
      const payload = JSON.stringify({ records: [record] });
      await c.publishAsync(topics.plays("huu-nghi-lorry-1"), payload, { qos: 1 });
      await c.publishAsync(topics.plays("huu-nghi-lorry-1"), payload, { qos: 1 });
      const acks = await waitFor(
        () => {
          const got = box.get(topics.ack("huu-nghi-lorry-1"))?.map((b) => JSON.parse(b.toString()));
          return got && got.length >= 2 ? got : undefined;
        },
        5_000,
        "two acks",
      );
      expect(acks[0]).toEqual({ type: "plays-stored", ids: [record.id] });
      const plays = s.t.controller.ctx.store.fleet.plays({ from: 0, to: Date.parse("2030-01-01") });
      expect(plays.filter((p) => p.id === record.id)).toHaveLength(1);
    });

    it("drops a malformed payload and keeps serving everyone else", async () => {
      const creds = await credentialsFor(s, "huu-nghi-departures-1");
      const c = await connect(s, creds);
      await c.publishAsync(topics.heartbeat("huu-nghi-departures-1"), "not json {", { qos: 0 });
      await c.publishAsync(topics.plays("huu-nghi-departures-1"), JSON.stringify({ records: [{ id: "nope" }] }), {
        qos: 1,
      });
      await c.publishAsync(topics.status("huu-nghi-departures-1"), JSON.stringify({ state: "online" }), {
        qos: 1,
        retain: true,
      });
      await waitFor(
        () => (s.t.controller.ctx.store.fleet.state("huu-nghi-departures-1")?.online ? true : undefined),
        5_000,
        "status after garbage",
      );
      expect(s.t.controller.ctx.metrics.malformedMessages).toBeGreaterThanOrEqual(2);
    });

    it("a 10 MB message and messages on topics a screen does not own never reach the controller's state", async () => {
      const creds = await credentialsFor(s, "tan-thanh-arrivals-1");
      // each from its own connection, fire and forget: the broker drops or refuses them
      const abuse = async (topic: string, payload: string | Buffer) => {
        const c = await mqtt.connectAsync(s.tcpUrl, { ...creds, reconnectPeriod: 0 });
        c.on("error", () => undefined);
        await c.publishAsync(topic, payload, { qos: 0 }).catch(() => undefined);
        await c.endAsync(true);
      };
      await abuse(topics.heartbeat("tan-thanh-arrivals-1"), Buffer.alloc(10 * 1024 * 1024, 0x7b));
      for (const topic of [
        "gatecast/v1/screens/tan-thanh-arrivals-1/nonsense",
        "gatecast/v2/anything",
        "$SYS/broker/fake",
      ]) {
        await abuse(topic, JSON.stringify({ state: "online" }));
      }
      // everyone else is still served: a fresh connection's status and plays are handled
      const fresh = await connect(s, creds);
      const box = inbox(fresh);
      await fresh.subscribeAsync(topics.ack("tan-thanh-arrivals-1"), { qos: 1 });
      const id = crypto.randomUUID();
      await fresh.publishAsync(
        topics.plays("tan-thanh-arrivals-1"),
        JSON.stringify({
          records: [
            { id, item: "notice-currency", playlist: null, startedAt: new Date().toISOString(), durationMs: 1000 },
          ],
        }),
        { qos: 1 },
      );
      await waitFor(() => box.get(topics.ack("tan-thanh-arrivals-1")), 5_000, "plays ack after abuse");
      expect(s.t.controller.ctx.store.fleet.state("tan-thanh-arrivals-1")?.heartbeat ?? null).toBeNull();
    });

    it("/metrics counts broker connections only where the controller can see them", async () => {
      await connect(s, await credentialsFor(s, "huu-nghi-arrivals-1"));
      const text = await (await fetch(`${s.t.url}/metrics`)).text();
      expect(text).toMatch(/^gatecast_screens_online \d+$/m);
      // an external broker's connections are not the controller's to count: no gauge pretends to
      if (kind === "embedded") expect(text).toMatch(/^gatecast_screens_connected [1-9]\d*$/m);
      else expect(text).not.toContain("gatecast_screens_connected");
    });

    it("a new release reaches only the screens whose manifest changed", async () => {
      const { store, bus } = s.t.controller.ctx;
      const before = new Map(store.published.screens().map((r) => [r.screenId, r.version]));
      const item = store.draft.get("items", "notice-lorry-inspection");
      if (item?.kind !== "notice") throw new Error("sample content changed");
      store.draft.put("items", { ...item, duration: item.duration + 1 }, Date.now());
      const release = store.releases.create(store.draftContent(), "test", "lorry inspection longer", Date.now());
      const watcher = await connect(s, await credentialsFor(s, "huu-nghi-arrivals-1"));
      const box = inbox(watcher);
      await watcher.subscribeAsync(topics.manifest("huu-nghi-arrivals-1"), { qos: 1 });
      await waitFor(() => box.get(topics.manifest("huu-nghi-arrivals-1")), 5_000, "retained manifest");
      bus.emit("release", { release });
      // lorry-night plays only on the lorry screens
      await waitFor(
        () =>
          store.published.screen("tan-thanh-lorry-1")?.version === (before.get("tan-thanh-lorry-1") ?? 0) + 1
            ? true
            : undefined,
        5_000,
        "lorry manifest",
      );
      await s.t.controller.features.publisher.publishAll();
      const after = new Map(store.published.screens().map((r) => [r.screenId, r.version]));
      expect(after.get("huu-nghi-lorry-1")).toBe((before.get("huu-nghi-lorry-1") ?? 0) + 1);
      expect(after.get("huu-nghi-arrivals-1")).toBe(before.get("huu-nghi-arrivals-1"));
      expect(after.get("tan-thanh-arrivals-1")).toBe(before.get("tan-thanh-arrivals-1"));
      expect(box.get(topics.manifest("huu-nghi-arrivals-1"))).toHaveLength(1);
      const updated = await verifiedManifest(
        s,
        Buffer.from(store.published.screen("huu-nghi-lorry-1")?.envelope ?? ""),
      );
      expect(updated.release).toBe(release.id);
    });

    it("a restart keeps manifest versions and fleet state, and versions keep increasing", async () => {
      const { store } = s.t.controller.ctx;
      const versions = new Map(store.published.screens().map((r) => [r.screenId, r.version]));
      const seen = store.fleet.state("huu-nghi-departures-1");
      await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
      const dataDir = s.t.dataDir;
      await s.t.stop({ removeData: false });
      s = await setUp(kind, dataDir, s);
      const again = s.t.controller.ctx.store;
      expect(new Map(again.published.screens().map((r) => [r.screenId, r.version]))).toEqual(versions);
      expect(again.fleet.state("huu-nghi-departures-1")?.heartbeat).toEqual(seen?.heartbeat);
      // the retained manifest is back (the embedded broker lost it with the process)
      const c = await connect(s, await credentialsFor(s, "tan-thanh-arrivals-1"));
      const box = inbox(c);
      await c.subscribeAsync(topics.manifest("tan-thanh-arrivals-1"), { qos: 1 });
      const raw = await waitFor(
        () => box.get(topics.manifest("tan-thanh-arrivals-1"))?.[0],
        5_000,
        "manifest after restart",
      );
      expect((await verifiedManifest(s, raw)).version).toBe(versions.get("tan-thanh-arrivals-1"));
    });

    if (kind === "mosquitto") {
      it("plays a screen sends while the controller is down are stored when it is back (a lasting session)", async () => {
        const creds = await credentialsFor(s, "huu-nghi-departures-1");
        const screen = await connect(s, creds);
        const dataDir = s.t.dataDir;
        await s.t.stop({ removeData: false });
        const record = {
          id: crypto.randomUUID(),
          item: "notice-currency",
          playlist: null,
          startedAt: new Date().toISOString(),
          durationMs: 8_000,
        };
        // the broker takes it for the controller's session while no controller is connected
        await screen.publishAsync(topics.plays("huu-nghi-departures-1"), JSON.stringify({ records: [record] }), {
          qos: 1,
        });
        s = await setUp(kind, dataDir, s);
        const store = s.t.controller.ctx.store;
        await waitFor(
          () =>
            store.fleet.plays({ from: 0, to: Date.parse("2030-01-01") }).some((p) => p.id === record.id)
              ? true
              : undefined,
          10_000,
          "the play sent while the controller was down",
        );
      });

      it("a broker restarted without its state gets the retained manifests back from the controller", async () => {
        const before = s.t.controller.ctx.store.published.screen("tan-thanh-lorry-1");
        const creds = await credentialsFor(s, "tan-thanh-lorry-1");
        await s.mosquitto?.restart(); // the test broker keeps nothing across a restart
        // the controller reconnects on its own (1 s period), finds its session gone, and republishes
        const raw = await waitFor(
          async () => {
            const c = await mqtt
              .connectAsync(s.tcpUrl, { ...creds, reconnectPeriod: 0, clean: true, connectTimeout: 2_000 })
              .catch(() => null);
            if (!c) return undefined;
            const box = inbox(c);
            await c.subscribeAsync(topics.manifest("tan-thanh-lorry-1"), { qos: 1 });
            await new Promise((r) => setTimeout(r, 200));
            await c.endAsync(true);
            return box.get(topics.manifest("tan-thanh-lorry-1"))?.[0];
          },
          15_000,
          "the retained manifest after the broker restarted",
        );
        expect((await verifiedManifest(s, raw)).version).toBe(before?.version);
      });
    }
  });
}
