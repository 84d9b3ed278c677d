import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startController } from "../../controller/src/app.ts";
import { backup, restore } from "../../controller/src/backup/backup.ts";
import { main } from "../../controller/src/cli/main.ts";
import { loadConfig } from "../../controller/src/config.ts";
import { Store } from "../../controller/src/store/index.ts";
import { DataDirLockedError } from "../../controller/src/store/lock.ts";
import { ApiClient, SAMPLE_CONTENT, startTestController } from "../../controller/src/testing/harness.ts";
import { adminApi, startControllerProcess } from "../../harness/controllerProcess.ts";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function cli(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    process.env = saved;
  }
}

/**
 * `restore --force` under a running controller used to replace the data folder beneath it (writes
 * then vanished, uploads failed). The controller now holds DATA_DIR: a second start and a restore are
 * refused while it runs, the read-only commands run beside it, and a restore swaps folders whole.
 */
describe("DATA_DIR belongs to one controller at a time", () => {
  it("refuses a second start and a restore while a controller runs; backup and broker-config run beside it", async () => {
    const t = await startTestController();
    const out = await mkdtemp(join(tmpdir(), "gatecast-lock-"));
    dirs.push(out, t.dataDir);
    try {
      const archive = join(out, "before.tar.gz");
      await backup(t.dataDir, archive);
      const config = loadConfig({ DATA_DIR: t.dataDir, PORT: "0", MQTT_PORT: "0", GATECAST_CONTENT: SAMPLE_CONTENT });
      await expect(startController(config)).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(restore(archive, t.dataDir, { force: true })).rejects.toThrow(/in use by another gatecast process/);
      const refused = await cli({ DATA_DIR: t.dataDir }, "restore", archive, "--force");
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/^gatecast restore: .* is in use by another gatecast process .*stop it first/);

      // the running controller never noticed: it writes, and the read-only commands read beside it
      const admin = new ApiClient(t.url);
      await admin.login();
      const user = { username: "after-refused-restore", password: "a-long-password-1", role: "viewer" };
      expect((await admin.json("POST", "/api/v1/users", user)).status).toBe(201);
      const b = await cli({ DATA_DIR: t.dataDir }, "backup", join(out, "beside.tar.gz"));
      expect(b.code).toBe(0);
      const bc = await cli(
        { DATA_DIR: t.dataDir, MQTT_PASSWORD: "controller-secret-123" },
        "broker-config",
        join(out, "mq"),
      );
      expect(bc.code).toBe(0);
      expect(t.controller.ctx.store.users.byUsername("after-refused-restore")).toBeDefined();
      // read-only means read-only: the store that was backed up beside it holds the new user
      const target = join(out, "restored-beside");
      await restore(join(out, "beside.tar.gz"), target);
      const copy = Store.openReadOnly(target);
      expect(copy.users.byUsername("after-refused-restore")).toBeDefined();
      copy.close();
    } finally {
      await t.stop({ removeData: false });
    }
  });

  it("a controller killed with SIGKILL leaves no lock behind; the restore then swaps the folder whole", {
    timeout: 60_000,
  }, async () => {
    const c = await startControllerProcess();
    dirs.push(c.dataDir);
    const out = await mkdtemp(join(tmpdir(), "gatecast-lock-"));
    dirs.push(out);
    const archive = join(out, "a.tar.gz");
    expect((await cli({ DATA_DIR: c.dataDir }, "backup", archive)).code).toBe(0);
    const api = await adminApi(c.url);
    const later = { username: "made-after-the-backup", password: "a-long-password-2", role: "viewer" };
    expect((await api("POST", "/api/v1/users", later)).status).toBe(201);

    expect((await cli({ DATA_DIR: c.dataDir }, "restore", archive, "--force")).err).toMatch(/in use/);
    await c.stop("SIGKILL");
    const r = await cli({ DATA_DIR: c.dataDir }, "restore", archive, "--force");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const kept = /kept at (\S+):/.exec(r.out)?.[1] ?? "";
    dirs.push(kept);
    expect(basename(kept)).toMatch(new RegExp(`^${basename(c.dataDir)}\\.before-restore-`));
    // the folder it replaced is whole beside it (with the user made after the backup), the new one is the backup
    const before = Store.openReadOnly(kept);
    expect(before.users.byUsername("made-after-the-backup")).toBeDefined();
    before.close();
    const now = Store.openReadOnly(c.dataDir);
    expect(now.users.byUsername("made-after-the-backup")).toBeUndefined();
    now.close();
    expect((await readdir(dirname(c.dataDir))).filter((n) => n.startsWith(`.${basename(c.dataDir)}.restore-`))).toEqual(
      [],
    );

    const again = await c.restart();
    try {
      const after = await adminApi(again.url);
      expect((await after<unknown[]>("GET", "/api/v1/releases")).body.length).toBeGreaterThan(0);
    } finally {
      await again.stop();
    }
    expect(existsSync(join(c.dataDir, "gatecast.db"))).toBe(true);
  });
});
