import { HeartbeatPayload, MANIFEST_FORMAT, ManifestPayload, type PlayRecord, topics } from "@gatecast/playlists";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { Agent, type AgentSnapshot, type TimeBeacon } from "./agent.ts";
import type { MqttTransport, TransportHandlers } from "./connection.ts";
import type { HeldGateAlerts, ManifestReader } from "./manifests.ts";
import { memoryMediaStore, sha256Hex } from "./media-cache.ts";
import { memoryPlayStore } from "./plays.ts";
import { GATE, gateAlerts, jwksOf, makeKey, manifest, mediaFixture, ORIGIN, SCREEN, signed } from "./testing.ts";

const key = await makeKey();
const stranger = await makeKey();
const a = await mediaFixture("image a");
const b = await mediaFixture("image b");
const NOW = Date.parse("2026-11-24T00:00:00Z");

const enc = (x: unknown) => new TextEncoder().encode(typeof x === "string" ? x : JSON.stringify(x));
const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
};

interface Published {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
}

function setup(
  opts: {
    failUrls?: Set<string>;
    appUpdate?: () => Promise<boolean>;
    reader?: ManifestReader;
    onTimeBeacon?: (b: TimeBeacon) => void;
    mono?: () => number;
  } = {},
) {
  let handlers: TransportHandlers | null = null;
  const published: Published[] = [];
  const subscribed: string[] = [];
  const unsubscribed: string[] = [];
  const transport: MqttTransport = {
    on: (h) => {
      handlers = h;
    },
    publish: async (topic, payload, o) => void published.push({ topic, payload, qos: o.qos, retain: o.retain }),
    subscribe: async (t) => void subscribed.push(...t),
    unsubscribe: async (t) => void unsubscribed.push(...t),
    reconnect: () => undefined,
    end: async () => undefined,
  };
  const media = memoryMediaStore();
  const plays = memoryPlayStore();
  const saved: { manifest: unknown[]; alerts: (HeldGateAlerts | null)[] } = { manifest: [], alerts: [] };
  const snapshots: AgentSnapshot[] = [];
  const ran: string[] = [];
  const bodies = new Map([
    [`${ORIGIN}/media/${a.sha256}`, a.body],
    [`${ORIGIN}/media/${b.sha256}`, b.body],
  ]);
  let will: unknown;
  const agent = new Agent(
    {
      credentials: {
        screenId: SCREEN,
        mqtt: { wsUrl: "ws://x/mqtt", username: `screen:${SCREEN}`, password: "pw" },
        jwks: jwksOf(key),
        pairedAt: "2026-11-23T00:00:00Z",
      },
      wsUrl: "ws://x/mqtt",
      clientId: "test",
      origin: ORIGIN,
      clock: { now: () => NOW },
      appVersion: "0.1.0-test",
      random: () => 0.5,
      transport: (o) => {
        will = o.will;
        return transport;
      },
      storage: {
        saveManifest: async (env) => void saved.manifest.push(env),
        saveGateAlerts: async (h) => void saved.alerts.push(h),
      },
      plays,
      media,
      fetchBytes: async (url) => {
        if (opts.failUrls?.has(url)) throw new Error("HTTP 503");
        const body = bodies.get(url);
        if (!body) throw new Error(`HTTP 404 ${url}`);
        return body;
      },
      digest: sha256Hex,
      probe: {
        nowPlaying: () => ({ playlist: "default", item: "notice-1", since: NOW - 1000 }),
        lastFrameAt: () => NOW - 16,
        storage: async () => ({ usageBytes: 1, quotaBytes: 2, persisted: true }),
        usedJsHeapBytes: () => null,
        uptimeMs: opts.mono ?? (() => 5000),
        display: () => "on",
        clock: () => ({ source: "device", correctionMs: 0, beaconAt: null, rttMs: null }),
      },
      commands: {
        reload: async () => void ran.push("reload"),
        identify: async () => void ran.push("identify"),
        screenshot: async () => void ran.push("screenshot"),
      },
      onChange: (s) => snapshots.push(s),
      heartbeatMs: 3_600_000,
      ...(opts.appUpdate ? { appUpdate: opts.appUpdate } : {}),
      ...(opts.reader ? { reader: opts.reader } : {}),
      ...(opts.onTimeBeacon ? { onTimeBeacon: opts.onTimeBeacon } : {}),
    },
    { current: null, gateAlerts: null },
  );
  agent.start();
  const h = () => {
    if (!handlers) throw new Error("no transport");
    return handlers;
  };
  const deliver = async (topic: string, payload: unknown) => {
    h().message(topic, payload instanceof Uint8Array ? payload : enc(payload));
    await flush();
  };
  const on = (topic: string) => published.filter((p) => p.topic === topic);
  const heartbeats = () => on(topics.heartbeat(SCREEN)).map((p) => HeartbeatPayload.parse(JSON.parse(p.payload)));
  agents.push(agent);
  return {
    agent,
    h,
    deliver,
    published,
    subscribed,
    unsubscribed,
    media,
    plays,
    saved,
    snapshots,
    ran,
    on,
    heartbeats,
    will: () => will,
  };
}

const agents: Agent[] = [];
afterEach(async () => {
  for (const ag of agents.splice(0)) await ag.stop();
});

describe("Agent", () => {
  it("announces itself retained with a last will, and subscribes to its own topics", async () => {
    const t = setup();
    expect(t.will()).toEqual({ topic: topics.status(SCREEN), payload: '{"state":"offline"}', qos: 1, retain: true });
    t.h().connect();
    await flush();
    const status = t.on(topics.status(SCREEN));
    expect(status).toHaveLength(1);
    expect(status[0]).toMatchObject({ qos: 1, retain: true });
    expect(JSON.parse(status[0]?.payload ?? "")).toMatchObject({ state: "online", appVersion: "0.1.0-test" });
    expect(t.subscribed).toEqual([topics.manifest(SCREEN), topics.cmd(SCREEN), topics.ack(SCREEN)]);
    expect(t.heartbeats()).toHaveLength(1);
  });

  it("downloads a new manifest's media, then switches, persists, evicts and follows the gate's alerts", async () => {
    const t = setup();
    t.h().connect();
    await t.media.put({ sha256: "f".repeat(64), bytes: 1, mime: "image/png", url: `${ORIGIN}/media/stale` }, a.body);
    await t.deliver(topics.manifest(SCREEN), await signed(manifest(3, [a, b]), key));
    const snap = t.agent.snapshot;
    expect(snap.current?.manifest.version).toBe(3);
    expect(snap.pending).toBeNull();
    expect(snap.media).toEqual({ ready: 2, total: 2 });
    expect(t.saved.manifest).toHaveLength(1);
    expect([...t.media.files.keys()].sort()).toEqual(
      [`${ORIGIN}/media/${a.sha256}`, `${ORIGIN}/media/${b.sha256}`].sort(),
    );
    expect(t.subscribed).toContain(topics.alert(GATE));
    const statuses = t.on(topics.status(SCREEN)).map((p) => JSON.parse(p.payload));
    expect(statuses.at(-1)).toMatchObject({ state: "online", manifestVersion: 3 });
    // the on-screen manifest never showed up before all its media were ready
    const firstWithCurrent = t.snapshots.find((s) => s.current);
    expect(firstWithCurrent?.media).toEqual({ ready: 2, total: 2 });
  });

  it("keeps playing the old manifest while the new one's media cannot be downloaded, and reports it", async () => {
    const failing = new Set([`${ORIGIN}/media/${b.sha256}`]);
    const t = setup({ failUrls: failing });
    t.h().connect();
    await t.deliver(topics.manifest(SCREEN), await signed(manifest(1, [a]), key));
    expect(t.agent.snapshot.current?.manifest.version).toBe(1);
    await t.deliver(topics.manifest(SCREEN), await signed(manifest(2, [a, b]), key));
    const snap = t.agent.snapshot;
    expect(snap.current?.manifest.version).toBe(1);
    expect(snap.pending?.manifest.version).toBe(2);
    expect(snap.media).toEqual({ ready: 1, total: 2 });
    await t.agent.heartbeat();
    const hb = t.heartbeats().at(-1);
    expect(hb).toMatchObject({ manifestVersion: 1, pendingVersion: 2, media: { ready: 1, total: 2 } });
    expect(hb?.errors.map((e) => e.kind)).toContain("download-failed");
  });

  it("reports rejected manifests in the next heartbeat and ignores re-deliveries silently", async () => {
    const t = setup();
    t.h().connect();
    const good = await signed(manifest(2, [a]), key);
    await t.deliver(topics.manifest(SCREEN), good);
    await t.deliver(topics.manifest(SCREEN), good); // retained re-delivery
    await t.deliver(topics.manifest(SCREEN), await signed(manifest(1, [a]), key)); // replay
    await t.deliver(topics.manifest(SCREEN), await signed(manifest(9, [a]), stranger)); // unknown key
    await t.deliver(topics.manifest(SCREEN), "not json");
    await t.deliver(topics.manifest(SCREEN), new Uint8Array()); // retained manifest deleted
    expect(t.agent.snapshot.current?.manifest.version).toBe(2);
    await t.agent.heartbeat();
    const errors = t.heartbeats().at(-1)?.errors ?? [];
    expect(errors.map((e) => e.kind)).toEqual(["manifest-rejected", "manifest-rejected", "manifest-rejected"]);
    expect(errors[0]?.message).toMatch(/not newer/);
    expect(errors[1]?.message).toMatch(/unknown-key/);
    await t.agent.heartbeat();
    expect(t.heartbeats().at(-1)?.errors).toEqual([]);
  });

  describe("a manifest of a newer format (the rule in docs/DESIGN.md, Evolving payloads)", () => {
    // format 2 as a future controller might write it: a newly required field
    const NEXT = MANIFEST_FORMAT + 1;
    const formatTwo = async (version: number) =>
      signed({ ...manifest(version, [a]), format: NEXT, site: { slug: "huu-nghi" } }, key);
    const formatTwoReader: ManifestReader = {
      format: NEXT,
      // required from the next format on; older ones are read without it
      schema: ManifestPayload.extend({
        format: z.int().min(1).max(NEXT),
        site: z.object({ slug: z.string() }).optional(),
      }).refine((m) => m.format < NEXT || m.site !== undefined),
    };

    it("an old-format kiosk fetches its app update first, keeps playing, and reports no trust error", async () => {
      let asked = 0;
      const t = setup({ appUpdate: async () => ++asked > 0 });
      t.h().connect();
      await t.deliver(topics.manifest(SCREEN), await signed(manifest(1, [a]), key));
      await t.deliver(topics.manifest(SCREEN), await formatTwo(2));
      expect(asked).toBe(1);
      expect(t.agent.snapshot.current?.manifest.version).toBe(1);
      await t.agent.heartbeat();
      expect(t.heartbeats().at(-1)?.errors).toEqual([]);
    });

    it("reports it as a trust error only when no newer app is to be had", async () => {
      const t = setup({ appUpdate: async () => false });
      t.h().connect();
      await t.deliver(topics.manifest(SCREEN), await formatTwo(2));
      await t.agent.heartbeat();
      const errors = t.heartbeats().at(-1)?.errors ?? [];
      expect(errors.map((e) => e.kind)).toEqual(["manifest-rejected"]);
      expect(errors[0]?.message).toMatch(
        new RegExp(`format ${NEXT} is newer than this app reads \\(${MANIFEST_FORMAT}\\).*no app update`),
      );
    });

    it("a kiosk with the new format's code reads it, and still reads the old format", async () => {
      const t = setup({ reader: formatTwoReader, appUpdate: async () => true });
      t.h().connect();
      // verified and switched to by WebCrypto and media work, which may take more turns than deliver waits under load
      await t.deliver(topics.manifest(SCREEN), await signed(manifest(1, [a]), key));
      await vi.waitFor(() => expect(t.agent.snapshot.current?.manifest.version).toBe(1));
      await t.deliver(topics.manifest(SCREEN), await formatTwo(2));
      await vi.waitFor(() => expect(t.agent.snapshot.current?.manifest.version).toBe(2));
      await t.agent.heartbeat();
      expect(t.heartbeats().at(-1)?.errors).toEqual([]);
    });

    it("a field this code does not know, in the current format, is also a reason to update first", async () => {
      let asked = 0;
      const t = setup({ appUpdate: async () => ++asked > 0 });
      t.h().connect();
      await t.deliver(topics.manifest(SCREEN), await signed({ ...manifest(3, [a]), source: "so-ngoai-vu" }, key));
      expect(asked).toBe(1);
      await t.agent.heartbeat();
      expect(t.heartbeats().at(-1)?.errors).toEqual([]);
    });
  });

  it("applies and clears the gate's signed alerts", async () => {
    const t = setup();
    t.h().connect();
    await t.deliver(topics.manifest(SCREEN), await signed(manifest(1, [a]), key));
    const alert = {
      id: "fog",
      severity: "critical" as const,
      message: { vi: "Sương mù dày đặc", zh: "浓雾" },
      targets: {},
      startsAt: "2026-11-23T00:00:00Z",
      expiresAt: "2026-11-25T00:00:00Z",
    };
    await t.deliver(topics.alert(GATE), await signed(gateAlerts(1, [alert]), key));
    expect(t.agent.snapshot.gateAlerts?.alerts.map((x) => x.id)).toEqual(["fog"]);
    expect(t.saved.alerts.at(-1)?.seq).toBe(1);
    // an unsigned empty message (the retained copy deleted by anyone who may write there) is not a clearing
    await t.deliver(topics.alert(GATE), new Uint8Array());
    expect(t.agent.snapshot.gateAlerts?.alerts.map((x) => x.id)).toEqual(["fog"]);
    await t.deliver(topics.alert(GATE), await signed(gateAlerts(2, []), key));
    expect(t.agent.snapshot.gateAlerts?.alerts).toEqual([]);
    await t.deliver(topics.alert(GATE), await signed(gateAlerts(3, [alert]), stranger));
    expect(t.agent.snapshot.gateAlerts?.alerts).toEqual([]);
    t.agent.alertsShown(["fog"]);
    t.agent.alertsShown(["fog"]);
    await flush();
    const shown = t.on(topics.ack(SCREEN)).map((p) => JSON.parse(p.payload));
    expect(shown).toEqual([{ type: "alert-shown", alert: "fog", at: new Date(NOW).toISOString() }]);
  });

  it("delivers plays, deletes them on the controller's ack, and resends after reconnect", async () => {
    const t = setup();
    const rec: PlayRecord = {
      id: "0b8f8a3e-3a4f-4d1e-9a0e-2f4d5e6f7a8b",
      item: "notice-1",
      playlist: "default",
      startedAt: "2026-11-23T23:59:50.000Z",
      durationMs: 10_000,
    };
    await t.agent.recordPlay(rec);
    expect(t.on(topics.plays(SCREEN))).toHaveLength(0);
    t.h().connect();
    await flush();
    expect(t.on(topics.plays(SCREEN)).map((p) => JSON.parse(p.payload))).toEqual([{ records: [rec] }]);
    t.h().close();
    t.h().connect();
    await flush();
    expect(t.on(topics.plays(SCREEN))).toHaveLength(2);
    await t.deliver(topics.ack(SCREEN), { type: "plays-stored", ids: [rec.id] });
    expect(await t.plays.count()).toBe(0);
  });

  it("runs commands once and acknowledges them", async () => {
    const t = setup();
    t.h().connect();
    const cmd = { id: "1b8f8a3e-3a4f-4d1e-9a0e-2f4d5e6f7a8b", cmd: "identify", issuedAt: "2026-11-23T00:00:00Z" };
    await t.deliver(topics.cmd(SCREEN), cmd);
    await t.deliver(topics.cmd(SCREEN), cmd);
    expect(t.ran).toEqual(["identify"]);
    const acks = t.on(topics.ack(SCREEN)).map((p) => JSON.parse(p.payload));
    expect(acks).toEqual([{ type: "cmd-done", id: cmd.id, ok: true, at: new Date(NOW).toISOString() }]);
  });

  it("clear-cache empties the media cache and downloads everything again", async () => {
    const t = setup();
    t.h().connect();
    await t.deliver(topics.manifest(SCREEN), await signed(manifest(1, [a, b]), key));
    expect(t.media.files.size).toBe(2);
    const cmd = { id: "2b8f8a3e-3a4f-4d1e-9a0e-2f4d5e6f7a8b", cmd: "clear-cache", issuedAt: "2026-11-23T00:00:00Z" };
    await t.deliver(topics.cmd(SCREEN), cmd);
    expect(t.media.files.size).toBe(2);
    const acks = t.on(topics.ack(SCREEN)).map((p) => JSON.parse(p.payload));
    expect(acks.at(-1)).toMatchObject({ type: "cmd-done", id: cmd.id, ok: true });
  });

  it("takes a signed time beacon only when it answers one of its heartbeats, with the round trip", async () => {
    const beacons: TimeBeacon[] = [];
    let mono = 5_000;
    const t = setup({ onTimeBeacon: (b) => beacons.push(b), mono: () => mono });
    t.h().connect();
    await flush();
    const hb = t.heartbeats().at(-1);
    expect(hb).toMatchObject({ everyS: 3_600, display: "on", clock: { source: "device" } });
    const beacon = (over: object, k = key) =>
      signed({ screenId: SCREEN, now: "2026-11-24T00:00:07.000Z", seq: 42, echo: hb?.at, ...over }, k);
    mono = 5_120;
    await t.deliver(topics.ack(SCREEN), { type: "time", beacon: await beacon({}, stranger) }); // unknown key
    await t.deliver(topics.ack(SCREEN), { type: "time", beacon: await beacon({ screenId: "other-screen" }) });
    await t.deliver(topics.ack(SCREEN), { type: "time", beacon: await beacon({ echo: "2026-11-23T23:00:00.000Z" }) });
    expect(beacons).toEqual([]);
    await t.deliver(topics.ack(SCREEN), { type: "time", beacon: await beacon({}) });
    expect(beacons).toEqual([{ now: Date.parse("2026-11-24T00:00:07Z"), seq: 42, rttMs: 120, receivedMono: 5_120 }]);
    // a copy replayed later matches no heartbeat any more
    await t.deliver(topics.ack(SCREEN), { type: "time", beacon: await beacon({ seq: 43 }) });
    expect(beacons).toHaveLength(1);
  });
});
