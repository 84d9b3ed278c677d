import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { open, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadContentDir } from "@gatecast/playlists/load";
import { afterAll, describe, expect, it } from "vitest";
import { startController } from "../../controller/src/app.ts";
import { loadConfig } from "../../controller/src/config.ts";
import { StoreCorruptError } from "../../controller/src/store/integrity.ts";
import { NewStoreBesideKeyError } from "../../controller/src/store/take.ts";
import {
  ADMIN_PASSWORD,
  SAMPLE_CONTENT,
  startTestController,
  TestClock,
} from "../../controller/src/testing/harness.ts";
import { CONTROLLER_BUNDLE, ensureBuilt, ROOT } from "../../harness/controllerProcess.ts";
import { freePort } from "../../harness/mosquitto.ts";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A stopped controller's data folder: store, signing key and media of the sample content. */
async function stoppedDataDir(): Promise<string> {
  const t = await startTestController();
  await t.stop({ removeData: false });
  dirs.push(t.dataDir);
  return t.dataDir;
}

const configFor = (dataDir: string) =>
  loadConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    MQTT_PORT: "0",
    DATA_DIR: dataDir,
    GATECAST_CONTENT: SAMPLE_CONTENT,
    GATECAST_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: "silent",
  });

/** Overwrites whole pages in the middle of an SQLite file with noise (a bad sector, a torn copy). */
async function corruptMiddle(file: string): Promise<void> {
  const fh = await open(file, "r+");
  try {
    const header = Buffer.alloc(100);
    await fh.read(header, 0, 100, 0);
    const raw = header.readUInt16BE(16);
    const pageSize = raw === 1 ? 65_536 : raw;
    const pages = Math.floor((await fh.stat()).size / pageSize);
    for (let p = Math.max(1, Math.floor(pages * 0.3)); p <= Math.max(2, Math.floor(pages * 0.7)); p++)
      await fh.write(randomBytes(pageSize), 0, pageSize, p * pageSize);
  } finally {
    await fh.close();
  }
}

/** `gatecast start` as systemd runs it (the compiled controller), until it exits by itself. */
async function startProcess(dataDir: string, ...args: string[]): Promise<{ code: number | null; stderr: string }> {
  await ensureBuilt();
  const proc = spawn(process.execPath, [CONTROLLER_BUNDLE, "start", ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(await freePort()),
      MQTT_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => proc.once("exit", (c) => resolve(c)));
  return { code, stderr };
}

describe("a store lost beside the signing key", () => {
  for (const [what, lose] of [
    ["missing", async (_db: string) => undefined],
    ["zero-length", (db: string) => writeFile(db, "")],
  ] as const) {
    it(`is not silently re-created when the database is ${what}: start refuses, naming restore and --new-store`, async () => {
      const dataDir = await stoppedDataDir();
      const db = join(dataDir, "gatecast.db");
      for (const f of [db, `${db}-wal`, `${db}-shm`]) await rm(f, { force: true });
      await lose(db);
      const key = await readFile(join(dataDir, "signing-key.json"), "utf8");
      await expect(startController(configFor(dataDir))).rejects.toBeInstanceOf(NewStoreBesideKeyError);
      const r = await startProcess(dataDir);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(
        /signing key every screen pinned .* the store was lost\. Restore the last backup \(gatecast restore FILE --force\), or pass --new-store/,
      );
      // nothing was made or changed meanwhile
      expect(existsSync(db)).toBe(what === "zero-length");
      expect(await readFile(join(dataDir, "signing-key.json"), "utf8")).toBe(key);

      // asked for explicitly, an empty store starts, signed with the same key
      const c = await startController(configFor(dataDir), { allowNewStore: true });
      try {
        expect(c.ctx.keys.jwks.keys[0]?.x).toBe(JSON.parse(key).x);
        expect(c.ctx.store.releases.list()).toHaveLength(1);
      } finally {
        await c.stop();
      }
      // its import found the old media files in place, hard links to the sample content: left whole
      expect((await loadContentDir(SAMPLE_CONTENT)).issues).toEqual([]);
    });
  }
});

describe("a damaged store", () => {
  it("refuses to start with one clear line pointing at restore (mid-file damage used to start and report healthy)", async () => {
    const dataDir = await stoppedDataDir();
    await corruptMiddle(join(dataDir, "gatecast.db"));
    await expect(startController(configFor(dataDir))).rejects.toBeInstanceOf(StoreCorruptError);
    const r = await startProcess(dataDir);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^gatecast start: the store .*gatecast\.db is damaged \(.+\): stop the controller and restore the last backup with `gatecast restore FILE --force`/,
    );
  });

  it("is found by the background check: /healthz shows the cached result and its age, then the controller ends with the same line", async () => {
    const clock = new TestClock(Date.now());
    const t = await startTestController({ clock });
    dirs.push(t.dataDir);
    try {
      const first = await (await fetch(`${t.url}/healthz`)).json();
      expect(first).toMatchObject({ ok: true, store: { check: "ok", ageS: 0 } });
      // an hour later the same result is reported, an hour old: a health poll runs no check
      clock.advance(3_600_000);
      expect((await (await fetch(`${t.url}/healthz`)).json()).store).toMatchObject({
        check: "ok",
        ageS: 3_600,
        checkedAt: first.store.checkedAt,
      });

      t.controller.ctx.store.db.pragma("wal_checkpoint(TRUNCATE)");
      await corruptMiddle(join(t.dataDir, "gatecast.db"));
      const r = await t.controller.ctx.storeHealth.check();
      expect(r.ok).toBe(false);
      const failure = await t.controller.failed;
      expect(failure.message).toMatch(/^the store .*gatecast\.db is damaged .*`gatecast restore FILE --force`/);
      const health = await fetch(`${t.url}/healthz`);
      expect(health.status).toBe(503);
      expect((await health.json()).store.check).not.toBe("ok");
    } finally {
      await t.stop({ removeData: false });
    }
  });
});
