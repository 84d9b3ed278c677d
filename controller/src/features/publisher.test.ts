import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HeartbeatPayload, ManifestPayload, SignedEnvelope, screenClientId, topics } from "@gatecast/playlists";
import Database from "better-sqlite3";
import mqtt from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "../store/db.ts";
import { Store } from "../store/index.ts";
import { MIGRATIONS } from "../store/migrations.ts";
import { startTestController, TestClock, type TestController, waitFor } from "../testing/harness.ts";

let running: TestController | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

const payloadOf = (envelope: string) => ManifestPayload.parse(SignedEnvelope.parse(JSON.parse(envelope)).payload);

describe("publisher", () => {
  it("sends an urgent gate notice before the manifests recompiled in the same run", async () => {
    running = await startTestController();
    const { ctx, features } = running.controller;
    const sent: string[] = [];
    const publish = ctx.publish;
    ctx.publish = (topic, payload, opts) => {
      sent.push(topic);
      return publish(topic, payload, opts);
    };
    const now = ctx.clock.now();
    // one run with both: a release that changes every manifest, and a gate-wide critical alert
    const item = ctx.store.draft.get("items", "notice-customs-declaration");
    if (item?.kind !== "notice") throw new Error("sample content changed");
    ctx.store.draft.put("items", { ...item, duration: item.duration + 1 }, now);
    ctx.store.releases.create(ctx.store.draftContent(), "test", "longer notice", now);
    ctx.store.alerts.put(
      {
        id: "khan-1",
        severity: "critical",
        message: { vi: "Tạm dừng thông quan", zh: "暂停通关" },
        targets: { gates: ["huu-nghi"] },
        startsAt: new Date(now - 1000).toISOString(),
        expiresAt: new Date(now + 3_600_000).toISOString(),
      },
      "test",
      now,
    );
    const { published } = await features.publisher.publishAll();
    expect(published.length).toBeGreaterThan(0);
    const alertAt = sent.indexOf(topics.alert("huu-nghi"));
    const firstManifest = sent.findIndex((t) => t.endsWith("/manifest"));
    expect(alertAt).toBeGreaterThanOrEqual(0);
    expect(alertAt).toBeLessThan(firstManifest);
  });

  it("a manifest sent but not saved before a stop is signed again, with a higher version, at the next start", async () => {
    running = await startTestController();
    const dataDir = running.dataDir;
    const before = running.controller.ctx.store.published.screen("huu-nghi-arrivals-1");
    if (!before) throw new Error("no manifest after the first start");
    await running.stop({ removeData: false });
    running = null;

    // what a stop between sending and saving leaves: the next version reserved, its text not stored
    const store = await Store.open(dataDir);
    const meta = store.published.meta("huu-nghi-arrivals-1");
    if (!meta) throw new Error("no meta");
    store.published.reserve([{ ...meta, version: before.version + 1 }]);
    expect(store.published.screen("huu-nghi-arrivals-1")).toBeUndefined();
    expect(store.published.meta("huu-nghi-arrivals-1")?.signed).toBe(false);
    store.close();

    running = await startTestController({ dataDir });
    const after = running.controller.ctx.store.published.screen("huu-nghi-arrivals-1");
    expect(after?.version).toBeGreaterThanOrEqual(before.version + 2);
    expect(payloadOf(after?.envelope ?? "").version).toBe(after?.version);
    // screens whose text was saved keep their version
    const other = running.controller.ctx.store.published.meta("tan-thanh-arrivals-1");
    expect(other?.signed).toBe(true);
  });
});

describe("manifest versions", () => {
  it("go above a version a screen reports holding, even with the clock set back", async () => {
    // a store that lost its memory (restored, re-created) on a controller whose clock is behind: only
    // the screen knows what it holds, and says so in its heartbeat
    const clock = new TestClock(Date.parse("2026-01-01T00:00:00Z"));
    running = await startTestController({ clock });
    const { ctx, features: services, mqttPort } = running.controller;
    const id = "huu-nghi-arrivals-1";
    const issued = ctx.store.published.version(id) ?? 0;
    const held = issued + 5_000;
    const creds = services.pairings.issueCredentials(id);
    const screen = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      ...creds,
      clientId: screenClientId(id, "test"),
      reconnectPeriod: 0,
    });
    try {
      const heartbeat: HeartbeatPayload = {
        at: new Date(clock.now()).toISOString(),
        appVersion: "test",
        uptimeS: 1,
        manifestVersion: held,
        pendingVersion: null,
        nowPlaying: null,
        lastFrameAt: null,
        media: { ready: 0, total: 0 },
        storage: null,
        memory: null,
        errors: [],
      };
      await screen.publishAsync(topics.heartbeat(id), JSON.stringify(heartbeat), { qos: 0 });
      const next = await waitFor(
        () => {
          const v = ctx.store.published.screen(id)?.version ?? 0;
          return v > held ? v : undefined;
        },
        5_000,
        "a manifest above the version the screen holds",
      );
      expect(payloadOf(ctx.store.published.screen(id)?.envelope ?? "").version).toBe(next);
      // a screen claiming an absurd version is not chased
      await screen.publishAsync(
        topics.heartbeat(id),
        JSON.stringify({ ...heartbeat, manifestVersion: Number.MAX_SAFE_INTEGER - 1 }),
        { qos: 0 },
      );
      await services.publisher.publishAll();
      expect(ctx.store.published.version(id)).toBe(next);
    } finally {
      await screen.endAsync(true);
    }
  });
});

describe("manifest history", () => {
  it("keeps each screen's latest version, and older ones until a TTL after they expired", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gatecast-history-"));
    const store = await Store.open(dir);
    try {
      const ttl = 30 * 86_400_000;
      const day = 86_400_000;
      const row = (version: number, at: number, items: string) => ({
        screenId: "s1",
        version,
        bodyHash: `h${version}`,
        releaseId: 1,
        publishedAt: at,
        items,
        expiresAt: at + ttl,
      });
      store.published.reserve([row(1, 0, '["a"]')]);
      store.published.reserve([row(2, 10 * day, '["a","b"]')]);
      store.published.reserve([row(3, 100 * day, '["a"]')]);
      // at day 65: version 1 expired (day 30) 35 days ago, more than a TTL; version 2 (day 40) 25 days ago
      expect(store.published.pruneHistory(65 * day, ttl)).toBe(1);
      expect(store.published.history("s1").map((h) => h.version)).toEqual([2, 3]);
      expect(store.published.pruneHistory(1_000 * day, ttl)).toBe(1);
      // the latest stays, however old
      expect(store.published.history("s1").map((h) => [h.version, h.items])).toEqual([[3, '["a"]']]);
      const sets = store.db.prepare("SELECT items FROM manifest_item_sets").all();
      expect(sets).toEqual([{ items: '["a"]' }]);
    } finally {
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("store migration", () => {
  it("carries each screen's current manifest into the history plays are checked against", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gatecast-migrate-"));
    try {
      const db = new Database(join(dir, "old.db"));
      db.exec(MIGRATIONS[0] as string);
      db.exec(MIGRATIONS[1] as string);
      db.pragma("user_version = 2");
      db.prepare("INSERT INTO screens (id, doc, position, updated_at) VALUES ('s1', '{}', 1, 0)").run();
      const envelope = JSON.stringify({
        payload: {
          version: 7,
          issuedAt: "2026-11-23T03:00:00.000Z",
          expiresAt: "2026-12-23T03:00:00.000Z",
          items: [{ id: "notice-b" }, { id: "notice-a" }],
        },
      });
      db.prepare(
        "INSERT INTO screen_manifests (screen_id, version, body_hash, release_id, published_at) VALUES (?, ?, ?, ?, ?)",
      ).run("s1", 7, "h", 2, 1000);
      db.prepare("INSERT INTO screen_envelopes (screen_id, version, envelope) VALUES (?, ?, ?)").run("s1", 7, envelope);
      migrate(db);
      const history = db
        .prepare(
          "SELECT h.version, h.issued_at, h.expires_at, s.items FROM manifest_history h JOIN manifest_item_sets s ON s.id = h.item_set",
        )
        .all();
      expect(history).toEqual([
        {
          version: 7,
          issued_at: Date.parse("2026-11-23T03:00:00.000Z"),
          expires_at: Date.parse("2026-12-23T03:00:00.000Z"),
          items: '["notice-a","notice-b"]',
        },
      ]);
      db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("moves signed manifests of an older store into their own table without losing a version", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gatecast-migrate-"));
    try {
      const db = new Database(join(dir, "old.db"));
      db.exec(MIGRATIONS[0] as string);
      db.pragma("user_version = 1");
      db.prepare("INSERT INTO screens (id, doc, position, updated_at) VALUES ('s1', '{}', 1, 0)").run();
      db.prepare(
        "INSERT INTO screen_manifests (screen_id, version, body_hash, release_id, envelope, published_at) VALUES (?, ?, ?, ?, ?, ?)",
      ).run("s1", 7, "h", 2, '{"payload":{}}', 1000);
      migrate(db);
      const row = db
        .prepare(
          "SELECT m.version, e.version AS ev, e.envelope FROM screen_manifests m JOIN screen_envelopes e USING (screen_id)",
        )
        .get() as { version: number; ev: number; envelope: string };
      expect(row).toEqual({ version: 7, ev: 7, envelope: '{"payload":{}}' });
      db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
