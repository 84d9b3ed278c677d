import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Store } from "../store/index.ts";
import { startTestController } from "../testing/harness.ts";
import { BackupError, backup, restore } from "./backup.ts";

const cleanup: string[] = [];
afterAll(async () => {
  await Promise.all(cleanup.map((d) => rm(d, { recursive: true, force: true })));
});

describe("backup and restore", () => {
  it("round-trips the store, media and signing key of a running controller", async () => {
    const t = await startTestController();
    const file = join(t.dataDir, "..", `${t.dataDir.split("/").pop()}-backup.tar.gz`);
    const target = `${t.dataDir}-restored`;
    cleanup.push(file, target);
    const before = t.controller.ctx.store;
    const releases = before.releases.list();
    const versions = before.published.screens().map((r) => [r.screenId, r.version]);
    const media = before.media
      .list()
      .map((m) => m.sha256)
      .sort();
    try {
      const r = await backup(t.dataDir, file);
      expect(r.media).toBe(media.length);
    } finally {
      await t.stop();
    }

    await restore(file, target);
    const store = await Store.open(target);
    try {
      expect(store.releases.list()).toEqual(releases);
      expect(store.published.screens().map((r) => [r.screenId, r.version])).toEqual(versions);
      expect(
        store.media
          .list()
          .map((m) => m.sha256)
          .sort(),
      ).toEqual(media);
      for (const sha of media) expect(await store.media.exists(sha)).toBe(true);
      expect(JSON.parse(await readFile(join(target, "signing-key.json"), "utf8")).d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      store.close();
    }
    await expect(restore(file, target)).rejects.toThrow(/already holds a store/);
  });

  it("refuses an archive that is not a backup and leaves nothing behind", async () => {
    const bogus = join(process.env.TMPDIR ?? "/tmp", `gatecast-bogus-${process.pid}.tar.gz`);
    cleanup.push(bogus);
    await writeFile(bogus, "definitely not a tarball");
    const target = join(process.env.TMPDIR ?? "/tmp", `gatecast-restore-${process.pid}`);
    await expect(restore(bogus, target)).rejects.toBeInstanceOf(BackupError);
    await expect(readFile(join(target, "gatecast.db"))).rejects.toThrow();
  });
});
