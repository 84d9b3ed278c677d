import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import * as tar from "tar";
import { SIGNING_KEY_FILE } from "../keys.ts";

const DB_FILE = "gatecast.db";

export class BackupError extends Error {}

/**
 * One archive with everything a controller needs to come back: an online SQLite backup (consistent
 * while the controller keeps writing), the media store and the signing key. Written to a temp name
 * and renamed, so a half-written archive never has the final name.
 */
export async function backup(dataDir: string, file: string): Promise<{ bytes: number; media: number }> {
  if (!existsSync(join(dataDir, DB_FILE))) throw new BackupError(`no gatecast store in ${dataDir}`);
  const staging = await mkdtemp(join(tmpdir(), "gatecast-backup-"));
  try {
    const db = new Database(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
    try {
      await db.backup(join(staging, DB_FILE));
    } finally {
      db.close();
    }
    const entries = [DB_FILE];
    if (existsSync(join(dataDir, SIGNING_KEY_FILE))) {
      await copyFile(join(dataDir, SIGNING_KEY_FILE), join(staging, SIGNING_KEY_FILE));
      entries.push(SIGNING_KEY_FILE);
    }
    const media = existsSync(join(dataDir, "media"));
    if (media) {
      await symlink(join(dataDir, "media"), join(staging, "media"));
      entries.push("media");
    }
    const partial = `${file}.partial`;
    await mkdir(dirname(file), { recursive: true });
    await tar.create(
      {
        gzip: true,
        file: partial,
        cwd: staging,
        portable: true,
        follow: true,
        filter: (p) => !p.startsWith("media/tmp"),
      },
      entries,
    );
    await rename(partial, file);
    const mediaCount = media ? (await listMedia(join(dataDir, "media"))).length : 0;
    return { bytes: (await stat(file)).size, media: mediaCount };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function listMedia(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && /^[0-9a-f]{64}$/.test(e.name)).map((e) => join(e.parentPath, e.name));
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Restores an archive into an empty (or absent) data folder, after checking it: the database passes
 * SQLite's integrity check and every media file matches its hash. Nothing is left behind on failure.
 */
export async function restore(
  file: string,
  dataDir: string,
  opts: { force?: boolean } = {},
): Promise<{ media: number }> {
  if (!existsSync(file)) throw new BackupError(`no such backup: ${file}`);
  if (existsSync(join(dataDir, DB_FILE)) && !opts.force) {
    throw new BackupError(`${dataDir} already holds a store: stop the controller and pass --force to replace it`);
  }
  const staging = await mkdtemp(join(dirname(dataDir.replace(/\/$/, "")) || tmpdir(), ".gatecast-restore-"));
  try {
    await tar.extract({ file, cwd: staging, strict: true }).catch((e: Error) => {
      throw new BackupError(`not a gatecast backup (${e.message})`);
    });
    if (!existsSync(join(staging, DB_FILE))) throw new BackupError("the archive has no database");
    const db = new Database(join(staging, DB_FILE), { readonly: true });
    try {
      const check = db.pragma("integrity_check", { simple: true });
      if (check !== "ok") throw new BackupError(`the archived database is damaged: ${String(check)}`);
    } finally {
      db.close();
    }
    const media = existsSync(join(staging, "media")) ? await listMedia(join(staging, "media")) : [];
    for (const m of media) {
      const name = m.split("/").pop() as string;
      if ((await sha256Of(m)) !== name) throw new BackupError(`media file ${name} does not match its hash`);
    }
    if (opts.force) await rm(dataDir, { recursive: true, force: true });
    await mkdir(dirname(dataDir.replace(/\/$/, "")), { recursive: true });
    await rename(staging, dataDir);
    return { media: media.length };
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}
