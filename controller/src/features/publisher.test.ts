import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManifestPayload, SignedEnvelope, topics } from "@gatecast/playlists";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "../store/db.ts";
import { Store } from "../store/index.ts";
import { MIGRATIONS } from "../store/migrations.ts";
import { startTestController, type TestController } from "../testing/harness.ts";

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
    expect(after?.version).toBe(before.version + 2);
    expect(payloadOf(after?.envelope ?? "").version).toBe(before.version + 2);
    // screens whose text was saved keep their version
    const other = running.controller.ctx.store.published.meta("tan-thanh-arrivals-1");
    expect(other?.signed).toBe(true);
  });
});

describe("store migration", () => {
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
