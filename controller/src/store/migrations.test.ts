import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrate } from "./db.ts";
import { MIGRATIONS } from "./migrations.ts";

describe("the deleted-screens migration", () => {
  it("takes a deleted screen's login, state and signed text, keeps its version, and queues its retained manifest", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gatecast-migrate-"));
    const db = new Database(join(dir, "old.db"));
    try {
      // a store from just before it
      const at = MIGRATIONS.findIndex((m) => m.includes("CREATE TABLE retained_clears"));
      for (const m of MIGRATIONS.slice(0, at)) db.exec(m);
      db.pragma(`user_version = ${at}`);
      db.prepare("INSERT INTO screens (id, doc, position, updated_at) VALUES ('kept', '{}', 1, 0)").run();
      for (const id of ["kept", "gone"]) {
        db.prepare("INSERT INTO screen_credentials VALUES (?, ?, 'hash', 0)").run(id, `screen.${id}`);
        db.prepare("INSERT INTO screen_state (screen_id, online, since) VALUES (?, 1, 0)").run(id);
        db.prepare("INSERT INTO screen_manifests VALUES (?, 5, 'h', 1, 0)").run(id);
        db.prepare("INSERT INTO screen_envelopes VALUES (?, 5, '{}')").run(id);
      }
      migrate(db);
      const ids = (sql: string) => (db.prepare(sql).all() as { screen_id: string }[]).map((r) => r.screen_id);
      expect(ids("SELECT screen_id FROM screen_credentials")).toEqual(["kept"]);
      expect(ids("SELECT screen_id FROM screen_state")).toEqual(["kept"]);
      expect(ids("SELECT screen_id FROM screen_envelopes")).toEqual(["kept"]);
      expect(db.prepare("SELECT screen_id, version, body_hash FROM screen_manifests ORDER BY screen_id").all()).toEqual(
        [
          { screen_id: "gone", version: 5, body_hash: "" },
          { screen_id: "kept", version: 5, body_hash: "h" },
        ],
      );
      expect(db.prepare("SELECT topic FROM retained_clears").all()).toEqual([
        { topic: "gatecast/v1/screens/gone/manifest" },
      ]);
    } finally {
      db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
