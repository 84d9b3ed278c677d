import {
  Jwks,
  MANIFEST_BATCH_FEATURE,
  ManifestEnvelope,
  ManifestPayload,
  SignedEnvelope,
  topics,
  verifyManifestEnvelope,
} from "@gatecast/playlists";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mosquitto, startMosquitto } from "../../harness/mosquitto.ts";
import { Connection } from "../../kiosk/src/sync/connection.ts";
import { mqttTransport } from "../../kiosk/src/sync/mqtt-transport.ts";
import { AUTH_REFUSED } from "../../kiosk/src/sync/repair.ts";
import { randomSecret } from "./auth/passwords.ts";
import { mosquittoFiles, screenAccessFrom } from "./broker/mosquittoConfig.ts";
import { ApiClient, startTestController, type TestController, waitFor } from "./testing/harness.ts";

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
/** A screen's client id, as the embedded broker wants it: `screen.<id>.<anything>`. */
const clientIdOf = (creds: { username: string }) => `${creds.username}.${crypto.randomUUID().slice(0, 8)}`;

async function connect(s: Setup, creds: { username: string; password: string }): Promise<MqttClient> {
  const c = await mqtt.connectAsync(s.tcpUrl, {
    ...creds,
    clientId: clientIdOf(creds),
    reconnectPeriod: 0,
    clean: true,
    connectTimeout: 5_000,
  });
  clients.push(c);
  return c;
}

/** What a kiosk sends first on connecting: its status, with its clock (plays are judged against it). */
async function online(c: MqttClient, screenId: string): Promise<void> {
  await c.publishAsync(topics.status(screenId), JSON.stringify({ state: "online", at: new Date().toISOString() }), {
    qos: 1,
    retain: true,
  });
}

/** Collects messages per topic. */
function inbox(c: MqttClient): Map<string, Buffer[]> {
  const box = new Map<string, Buffer[]>();
  c.on("message", (topic, payload) => box.set(topic, [...(box.get(topic) ?? []), payload]));
  return box;
}

/**
 * The topics holding a retained message on Mosquitto under `pattern`, seen by a fresh client with the
 * controller's rights (a client id of its own: the controller's session stays put).
 */
async function retainedOn(s: Setup, pattern: string): Promise<string[]> {
  const probe = await mqtt.connectAsync(s.tcpUrl, {
    username: "gatecast-controller",
    password: s.controllerPassword ?? "",
    clientId: `probe-${crypto.randomUUID().slice(0, 8)}`,
    clean: true,
    reconnectPeriod: 0,
  });
  const seen: string[] = [];
  probe.on("message", (topic, payload, packet) => {
    if (packet.retain && payload.length > 0) seen.push(topic);
  });
  await probe.subscribeAsync(pattern, { qos: 1 });
  // a round trip: the broker sent every retained message before it acks this
  await probe.publishAsync("gatecast/v1/probe", "x", { qos: 1 });
  await probe.endAsync(true);
  return seen.sort();
}

async function verifiedManifest(s: Setup, raw: Buffer) {
  const jwks = Jwks.parse(await (await fetch(`${s.t.url}/api/v1/keys`)).json());
  const envelope = ManifestEnvelope.parse(JSON.parse(raw.toString()));
  const verified = await verifyManifestEnvelope(envelope, jwks);
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
      const old = await credentialsFor(s, "huu-nghi-departures-1");
      await credentialsFor(s, "huu-nghi-departures-1");
      const refused = await new Promise<number>((resolve, reject) => {
        const conn = new Connection({
          url: s.tcpUrl,
          username: old.username,
          password: old.password,
          clientId: `screen.huu-nghi-departures-1.test`,
          will: { topic: topics.status("huu-nghi-departures-1"), payload: "{}", qos: 1, retain: true },
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

    it("a screen's login is bound to its own client ids: screen A cannot take over screen B's session", async () => {
      const credsB = await credentialsFor(s, "huu-nghi-lorry-1");
      const credsA = await credentialsFor(s, "tan-thanh-lorry-1");
      // kiosks connect over WebSocket: the embedded broker's /mqtt, Mosquitto's kiosk listener
      const wsUrl = s.mosquitto ? `ws://127.0.0.1:${s.mosquitto.wsPort}` : `${s.t.url.replace("http", "ws")}/mqtt`;
      const open = (creds: { username: string; password: string }, clientId: string) =>
        mqtt.connectAsync(wsUrl, { ...creds, clientId, reconnectPeriod: 0, connectTimeout: 5_000 }).then((c) => {
          clients.push(c);
          return c;
        });
      const b = await open(credsB, "screen.huu-nghi-lorry-1.kiosk");
      let bClosed = false;
      b.on("close", () => {
        bClosed = true;
      });
      if (kind === "embedded") {
        // B's id, or one that names no screen, is refused for A's login
        for (const id of [
          "screen.huu-nghi-lorry-1.kiosk",
          "screen.huu-nghi-lorry-1",
          "mqttjs_12ab34cd",
          "gatecast-huu-nghi-lorry-1-1234abcd",
          "screen.tan-thanh-lorry-10.x",
        ])
          await expect(open(credsA, id)).rejects.toThrow(/identifier rejected|client id/i);
        await open(credsA, "screen.tan-thanh-lorry-1.kiosk");
      } else {
        // Mosquitto (use_username_as_clientid) swaps A's claimed id for A's username
        await open(credsA, "screen.huu-nghi-lorry-1.kiosk");
      }
      // B was never taken over: still connected, and its messages still go through
      await b.publishAsync(topics.status("huu-nghi-lorry-1"), JSON.stringify({ state: "online" }), {
        qos: 1,
        retain: true,
      });
      expect(bClosed).toBe(false);
      expect(b.connected).toBe(true);
    });

    it("deleting a screen revokes its login and clears its retained manifest; a screen re-created under its id inherits nothing", async () => {
      const admin = new ApiClient(s.t.url);
      await admin.login();
      const id = "huu-nghi-doomed-1";
      const screen = {
        id,
        gate: "huu-nghi",
        name: "Sắp xoá / to be deleted",
        tags: [],
        orientation: "landscape" as const,
      };
      expect((await admin.json("POST", "/api/v1/screens", screen)).status).toBe(201);
      const { store } = s.t.controller.ctx;
      const old = await waitFor(() => store.published.screen(id), 5_000, "the screen's first manifest");
      const creds = await credentialsFor(s, id);
      const c = await connect(s, creds);
      const box = inbox(c);
      await c.subscribeAsync(topics.manifest(id), { qos: 1 });
      await waitFor(() => box.get(topics.manifest(id)), 5_000, "the retained manifest");
      await c.publishAsync(topics.status(id), JSON.stringify({ state: "online" }), { qos: 1, retain: true });
      await waitFor(() => (store.fleet.state(id)?.online ? true : undefined), 5_000, "online");
      const closed = new Promise<void>((resolve) => c.once("close", () => resolve()));

      expect((await admin.json("DELETE", `/api/v1/screens/${id}`)).status).toBe(204);
      if (s.mosquitto)
        await credentialsFor(s, "huu-nghi-arrivals-1"); // broker-config rerun and reloaded
      else await closed; // the embedded broker drops it at once
      expect(store.fleet.credentials(id)).toBeUndefined();
      expect(store.fleet.state(id)).toBeUndefined();
      expect(store.published.screen(id)).toBeUndefined();
      await waitFor(() => (store.retainedClears.pending().length === 0 ? true : undefined), 5_000, "clears sent");
      // the old password is worthless, for MQTT and for screenshot uploads alike
      await expect(
        mqtt.connectAsync(s.tcpUrl, {
          ...creds,
          clientId: clientIdOf(creds),
          reconnectPeriod: 0,
          connectTimeout: 5_000,
        }),
      ).rejects.toThrow(/not authori[sz]ed|bad user ?name or password/i);
      const upload = await fetch(`${s.t.url}/api/v1/screens/${id}/screenshot`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`,
          "content-type": "image/jpeg",
        },
        body: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]),
      });
      expect(upload.status).toBe(401);

      // re-created with the same id, not yet published: unpaired, unseen, and no retained manifest waits for it
      store.draft.put("screens", screen, Date.now());
      const fresh = await admin.json<{ paired: boolean; online: boolean }>("GET", `/api/v1/screens/${id}`);
      expect(fresh.body).toMatchObject({ paired: false, online: false });
      const again = await credentialsFor(s, id);
      const d = await connect(s, again);
      const got = inbox(d);
      await d.subscribeAsync(topics.manifest(id), { qos: 1 });
      s.t.controller.ctx.bus.emit("screens-changed", { screenIds: [id] });
      const first = await waitFor(() => got.get(topics.manifest(id))?.[0], 5_000, "the re-created screen's manifest");
      // had the old retained manifest survived, it would have come first, on subscribing
      expect((await verifiedManifest(s, first)).version).toBeGreaterThan(old.version);
    });

    it("stores plays once per record id and acks them", async () => {
      const creds = await credentialsFor(s, "huu-nghi-lorry-1");
      const c = await connect(s, creds);
      const box = inbox(c);
      await c.subscribeAsync(topics.ack("huu-nghi-lorry-1"), { qos: 1 });
      await online(c, "huu-nghi-lorry-1");
      const record = {
        id: crypto.randomUUID(),
        item: "notice-lorry-lane",
        playlist: "lorry-night",
        startedAt: new Date(Date.now() - 13_000).toISOString(),
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
      const plays = s.t.controller.ctx.store.plays.playIds();
      expect(plays.filter((id) => id === record.id)).toHaveLength(1);
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
        const c = await mqtt.connectAsync(s.tcpUrl, { ...creds, clientId: clientIdOf(creds), reconnectPeriod: 0 });
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
      await online(fresh, "tan-thanh-arrivals-1");
      const id = crypto.randomUUID();
      await fresh.publishAsync(
        topics.plays("tan-thanh-arrivals-1"),
        JSON.stringify({
          records: [
            {
              id,
              item: "notice-currency",
              playlist: null,
              startedAt: new Date(Date.now() - 1000).toISOString(),
              durationMs: 1000,
            },
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

    it("a kiosk that says it verifies batches gets its manifest batch-signed; it verifies like one signed alone", async () => {
      const id = "tan-thanh-arrivals-1";
      const c = await connect(s, await credentialsFor(s, id));
      const box = inbox(c);
      await c.publishAsync(
        topics.status(id),
        JSON.stringify({ state: "online", at: new Date().toISOString(), features: [MANIFEST_BATCH_FEATURE] }),
        { qos: 1, retain: true },
      );
      await waitFor(
        () => (s.t.controller.ctx.store.fleet.screensWithFeature(MANIFEST_BATCH_FEATURE).has(id) ? true : undefined),
        5_000,
        "the kiosk's features",
      );
      await c.subscribeAsync(topics.manifest(id), { qos: 1 });
      const { store } = s.t.controller.ctx;
      const item = store.draft.get("items", "notice-currency");
      if (item?.kind !== "notice") throw new Error("sample content changed");
      store.draft.put("items", { ...item, duration: item.duration + 1 }, Date.now());
      store.releases.create(store.draftContent(), "test", "currency notice longer", Date.now());
      await s.t.controller.features.publisher.publishAll();
      const raw = await waitFor(
        () => box.get(topics.manifest(id))?.find((b) => b.toString().includes('"batch":')),
        5_000,
        "a batch-signed manifest",
      );
      const envelope = ManifestEnvelope.parse(JSON.parse(raw.toString()));
      const jwks = Jwks.parse(await (await fetch(`${s.t.url}/api/v1/keys`)).json());
      const verified = await verifyManifestEnvelope(envelope, jwks);
      expect(verified.ok).toBe(true);
      expect(ManifestPayload.parse(envelope.payload).screenId).toBe(id);
      // screens that never said so still get manifests signed alone
      const other = store.published.screen("huu-nghi-lorry-1")?.envelope ?? "";
      expect(SignedEnvelope.safeParse(JSON.parse(other)).success).toBe(true);
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
          (store.published.screen("tan-thanh-lorry-1")?.version ?? 0) > (before.get("tan-thanh-lorry-1") ?? 0)
            ? true
            : undefined,
        5_000,
        "lorry manifest",
      );
      await s.t.controller.features.publisher.publishAll();
      const after = new Map(store.published.screens().map((r) => [r.screenId, r.version]));
      expect(after.get("huu-nghi-lorry-1")).toBeGreaterThan(before.get("huu-nghi-lorry-1") ?? 0);
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
      it("stray retained heartbeats, plays and acks a screen leaves on Mosquitto are cleared by the controller", async () => {
        const id = "tan-thanh-arrivals-1";
        const creds = await credentialsFor(s, id);
        const c = await connect(s, creds);
        const play = {
          id: crypto.randomUUID(),
          item: "notice-currency",
          playlist: null,
          startedAt: new Date().toISOString(),
          durationMs: 5_000,
        };
        // Mosquitto's ACL lets a screen write these topics, and cannot refuse the retained flag
        const retain = { qos: 1, retain: true } as const;
        await c.publishAsync(topics.heartbeat(id), JSON.stringify({ stale: true }), retain);
        await c.publishAsync(topics.plays(id), JSON.stringify({ records: [play] }), retain);
        await c.publishAsync(
          topics.ack(id),
          JSON.stringify({ type: "alert-shown", alert: "old", at: play.startedAt }),
          retain,
        );
        await c.publishAsync(topics.status(id), JSON.stringify({ state: "online" }), retain);
        const stray = [topics.ack(id), topics.heartbeat(id), topics.plays(id)];
        const retainedNow = () => retainedOn(s, `gatecast/v1/screens/${id}/+`);
        const kept = [topics.manifest(id), topics.status(id)].sort(); // the controller's, and the screen's status
        expect(await retainedNow()).toEqual([...stray, ...kept].sort());

        // the controller finds them when it subscribes (here: its next start) and clears them; only the status stays
        const dataDir = s.t.dataDir;
        await s.t.stop({ removeData: false });
        s = await setUp(kind, dataDir, s);
        await waitFor(async () => ((await retainedNow()).length === 2 ? true : undefined), 10_000, "strays cleared");
        expect(await retainedNow()).toEqual(kept);
        expect(s.t.controller.ctx.metrics.strayRetainedCleared).toBeGreaterThanOrEqual(3);
        // the play it carried is stored once, like any other
        const plays = s.t.controller.ctx.store.plays.playIds();
        expect(plays.filter((id) => id === play.id)).toHaveLength(1);
      });

      it("plays a screen sends while the controller is down are stored when it is back (a lasting session)", async () => {
        const creds = await credentialsFor(s, "huu-nghi-departures-1");
        const screen = await connect(s, creds);
        await online(screen, "huu-nghi-departures-1");
        await waitFor(
          () => (s.t.controller.ctx.store.fleet.state("huu-nghi-departures-1")?.clockSkewMs != null ? true : undefined),
          5_000,
          "the screen's status",
        );
        const dataDir = s.t.dataDir;
        await s.t.stop({ removeData: false });
        const record = {
          id: crypto.randomUUID(),
          item: "notice-currency",
          playlist: null,
          startedAt: new Date(Date.now() - 9_000).toISOString(),
          durationMs: 8_000,
        };
        // the broker takes it for the controller's session while no controller is connected
        await screen.publishAsync(topics.plays("huu-nghi-departures-1"), JSON.stringify({ records: [record] }), {
          qos: 1,
        });
        s = await setUp(kind, dataDir, s);
        const store = s.t.controller.ctx.store;
        await waitFor(
          () => (store.plays.playIds().includes(record.id) ? true : undefined),
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
              .connectAsync(s.tcpUrl, {
                ...creds,
                clientId: clientIdOf(creds),
                reconnectPeriod: 0,
                clean: true,
                connectTimeout: 2_000,
              })
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
