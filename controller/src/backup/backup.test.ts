import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import {
  chmod,
  chown,
  lchown,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { generateIdentity, identityToRecipient } from "age-encryption";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Store } from "../store/index.ts";
import { ROOT, startTestController } from "../testing/harness.ts";
import { BackupError, backup, readAgeIdentities, restore } from "./backup.ts";

const run = (cmd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd}: ${stderr || err.message}`)) : resolve(stdout),
    ),
  );

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

/** A backup of a fresh controller's data folder (sample content), the controller stopped. */
async function sampleBackup(opts: { recipients?: string[] } = {}) {
  const t = await startTestController();
  const dir = await mkdtemp(join(tmpdir(), "gatecast-backups-"));
  cleanup.push(dir, t.dataDir);
  try {
    const file = join(dir, opts.recipients ? "b.tar.gz.age" : "b.tar.gz");
    const r = await backup(t.dataDir, file, opts);
    return { file, dir, dataDir: t.dataDir, ...r };
  } finally {
    await t.stop({ removeData: false });
  }
}

describe("the archive holds the signing key: nobody else may read it", () => {
  it("is written 0600 whatever the umask, the partial file created with that mode", async () => {
    const before = process.umask(0o022); // the default: files come out -rw-r--r--
    try {
      const { file, dir } = await sampleBackup();
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      // a partial left by a crash is replaced, never written through with its old mode
      await writeFile(`${file}2.partial`, "left by a crash", { mode: 0o644 });
      const again = join(dir, "b.tar.gz2");
      const t = await startTestController();
      cleanup.push(t.dataDir);
      try {
        await backup(t.dataDir, again);
      } finally {
        await t.stop();
      }
      expect((await stat(again)).mode & 0o777).toBe(0o600);
      expect(existsSync(`${again}.partial`)).toBe(false);
    } finally {
      process.umask(before);
    }
  });

  it("the nightly backup unit runs with UMask=0077", async () => {
    const unit = await readFile(join(ROOT, "deploy/controller/gatecast-backup.service"), "utf8");
    expect(unit).toMatch(/^UMask=0077$/m);
  });

  it("is encrypted to the operators' age key when asked; restore needs the identity, and only the right one", async () => {
    const identity = await generateIdentity();
    const recipient = await identityToRecipient(identity);
    const { file, dir, encrypted } = await sampleBackup({ recipients: [recipient] });
    expect(encrypted).toBe(true);
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 21).toString()).toBe("age-encryption.org/v1");
    expect(bytes.includes(Buffer.from('"kty":"OKP"'))).toBe(false);

    const target = join(dir, "restored");
    await expect(restore(file, target)).rejects.toThrow(/is encrypted: pass --identity/);
    await expect(restore(file, target, { identities: [await generateIdentity()] })).rejects.toThrow(
      /cannot decrypt|no identity matched/,
    );
    expect(existsSync(join(target, "gatecast.db"))).toBe(false);
    const r = await restore(file, target, { identities: [identity] });
    expect(r.media).toBeGreaterThan(0);
    const store = Store.openReadOnly(target);
    try {
      expect(store.releases.list()).toHaveLength(1);
    } finally {
      store.close();
    }
  });
});

describe("an operator's age key, made and used with Debian's age", () => {
  it("backup encrypts to the key age-keygen made; age -d reads it, and restore takes the key file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gatecast-age-"));
    cleanup.push(dir);
    const keyFile = join(dir, "gatecast-backup.key");
    await run("age-keygen", ["-o", keyFile]);
    const recipient = /public key: (age1\S+)/.exec(await readFile(keyFile, "utf8"))?.[1] ?? "";
    const { file } = await sampleBackup({ recipients: [recipient] });
    const listing = await run("sh", ["-c", `age -d -i "${keyFile}" "${file}" | tar tz`]);
    expect(listing.split("\n")).toEqual(expect.arrayContaining(["gatecast.db", "signing-key.json"]));
    const target = join(dir, "restored");
    expect((await restore(file, target, { identities: await readAgeIdentities(keyFile) })).media).toBeGreaterThan(0);
  });
});

/** An archive made by hand from `files` (path → bytes or a symlink target), as an attacker would. */
async function craftedArchive(
  files: Record<string, Buffer | { symlink: string }>,
  opts: { mode?: number; uid?: number } = {},
): Promise<string> {
  const src = await mkdtemp(join(tmpdir(), "gatecast-crafted-"));
  cleanup.push(src);
  for (const [path, body] of Object.entries(files)) {
    await mkdir(dirname(join(src, path)), { recursive: true });
    if (Buffer.isBuffer(body)) await writeFile(join(src, path), body, { mode: opts.mode ?? 0o644 });
    else await symlink(body.symlink, join(src, path));
    if (opts.mode !== undefined && Buffer.isBuffer(body)) await chmod(join(src, path), opts.mode);
    if (opts.uid !== undefined) await lchown(join(src, path), opts.uid, opts.uid);
  }
  const file = `${src}.tar.gz`;
  cleanup.push(file);
  await tar.create({ gzip: true, file, cwd: src, portable: opts.uid === undefined }, Object.keys(files));
  return file;
}

describe("restore trusts nothing the archive says about itself", () => {
  let good: { db: Buffer; key: Buffer; media: [string, Buffer] };
  beforeAll(async () => {
    const { file, dir } = await sampleBackup();
    const out = join(dir, "x");
    await mkdir(out);
    await tar.extract({ file, cwd: out });
    const sha = (await readdir(join(out, "media"), { recursive: true })).find((n) => /[0-9a-f]{64}$/.test(n)) ?? "";
    good = {
      db: await readFile(join(out, "gatecast.db")),
      key: await readFile(join(out, "signing-key.json")),
      media: [sha, await readFile(join(out, "media", sha))],
    };
  });
  const base = () => ({
    "gatecast.db": good.db,
    "signing-key.json": good.key,
    [`media/${good.media[0]}`]: good.media[1],
  });
  const into = async () => {
    const d = await mkdtemp(join(tmpdir(), "gatecast-into-"));
    cleanup.push(d);
    return join(d, "data");
  };

  it("accepts exactly what backup writes", async () => {
    expect((await restore(await craftedArchive(base()), await into())).media).toBe(1);
  });

  for (const [what, extra, error] of [
    [
      "a file backup never writes",
      { "notes.txt": Buffer.from("hi") },
      /holds notes\.txt, which gatecast backup never writes/,
    ],
    ["junk under media/", { "media/zz/junk": Buffer.from("x") }, /holds media\/zz\/junk/],
    [
      "a media file in the wrong folder",
      { [`media/00/${"ab".repeat(32)}`]: Buffer.from("x") },
      /holds media\/00\/abab/,
    ],
    ["a symlink for a key", { "signing-key.json": { symlink: "/etc/passwd" } }, /a SymbolicLink signing-key\.json/],
    [
      "a media file whose bytes are not its name",
      { [`media/ab/${"ab".repeat(32)}`]: Buffer.from("x") },
      /does not match its hash/,
    ],
  ] as const) {
    it(`refuses ${what}, leaving nothing behind`, async () => {
      const target = await into();
      await expect(restore(await craftedArchive({ ...base(), ...extra }), target)).rejects.toThrow(error);
      expect(existsSync(target)).toBe(false);
      expect((await readdir(dirname(target))).filter((n) => n.includes("restore"))).toEqual([]);
    });
  }

  it("caps the total size", async () => {
    const target = await into();
    await expect(restore(await craftedArchive(base()), target, { maxBytes: 4096 })).rejects.toThrow(
      /add up to more than 4096 bytes/,
    );
    expect(existsSync(target)).toBe(false);
  });

  it("drops setuid bits and the archive's owner: files 0600 and folders 0700, owned by DATA_DIR's owner", async () => {
    const target = await into();
    await mkdir(target, { mode: 0o755 });
    const asRoot = process.getuid?.() === 0;
    if (asRoot) await chown(target, 65534, 65534);
    const archive = await craftedArchive(base(), { mode: 0o4755, ...(asRoot ? { uid: 1234 } : {}) });
    await restore(archive, target, { force: true });
    const seen: { path: string; mode: number; uid: number }[] = [];
    const walk = async (p: string) => {
      const s = await lstat(p);
      seen.push({ path: p, mode: s.mode & 0o7777, uid: s.uid });
      if (s.isDirectory()) for (const n of await readdir(p)) await walk(join(p, n));
    };
    await walk(target);
    for (const s of seen) {
      expect(s.mode, s.path).toBe((await lstat(s.path)).isDirectory() ? 0o700 : 0o600);
      if (asRoot) expect(s.uid, s.path).toBe(65534);
    }
  });
});
