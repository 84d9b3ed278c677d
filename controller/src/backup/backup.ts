import { createReadStream, existsSync } from "node:fs";
import {
  chmod,
  chown,
  copyFile,
  lstat,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { PrivateJwk } from "@gatecast/playlists";
import { Decrypter, Encrypter } from "age-encryption";
import Database from "better-sqlite3";
import * as tar from "tar";
import { SIGNING_FILES, SIGNING_KEY_FILE } from "../keys.ts";
import { DB_FILE, Store, StoreMissingError } from "../store/index.ts";
import { LOCK_FILE, lockDataDir } from "../store/lock.ts";
import { sha256OfFile } from "../store/media.ts";
import { MIGRATIONS } from "../store/migrations.ts";
import { AGE_RECIPIENT } from "./age.ts";

export class BackupError extends Error {}

/** Restores refuse archives whose files add up to more than this (a bomb, or the wrong archive). */
export const DEFAULT_RESTORE_MAX_BYTES = 64 * 1024 ** 3;

const MEDIA_ENTRY = /^media\/([0-9a-f]{2})\/([0-9a-f]{64})$/;
const AGE_MAGIC = "age-encryption.org/v1\n";
const AGE_ARMOR = "-----BEGIN AGE ENCRYPTED FILE-----";

export const isAgeRecipient = (s: string) => AGE_RECIPIENT.test(s);

export interface BackupOptions {
  /** Encrypt the archive to these age public keys; only their holders can restore it. */
  recipients?: readonly string[];
}

/**
 * One archive with everything a controller needs to come back: an online SQLite backup (consistent
 * while the controller keeps writing; the store is opened read-only, beside it), the signing key and
 * what is kept with it, and every media file the store records. Nothing else: restore accepts exactly
 * these files. The archive is written 0600 to a temp name created with that mode and renamed, so a
 * half-written archive never has the final name and the key is never readable by others, whatever
 * the umask; with `recipients` it is encrypted (age) to keys the operators hold off the controller.
 */
export async function backup(
  dataDir: string,
  file: string,
  opts: BackupOptions = {},
): Promise<{ bytes: number; media: number; encrypted: boolean }> {
  let store: Store;
  try {
    store = Store.openReadOnly(dataDir);
  } catch (e) {
    if (e instanceof StoreMissingError) throw new BackupError(e.message);
    throw e;
  }
  const staging = await mkdtemp(join(tmpdir(), "gatecast-backup-"));
  try {
    try {
      await store.db.backup(join(staging, DB_FILE));
    } finally {
      store.close();
    }
    const entries = [DB_FILE];
    for (const name of SIGNING_FILES) {
      if (!existsSync(join(dataDir, name))) continue;
      await copyFile(join(dataDir, name), join(staging, name));
      await chmod(join(staging, name), 0o600);
      entries.push(name);
    }
    // the media the snapshot records and the disk holds (a file uploaded after the snapshot is left out)
    const snapshot = new Database(join(staging, DB_FILE), { readonly: true });
    const recorded = (snapshot.prepare("SELECT sha256 FROM media ORDER BY sha256").all() as { sha256: string }[]).map(
      (r) => r.sha256,
    );
    snapshot.close();
    const media: string[] = [];
    for (const sha of recorded) {
      if (existsSync(join(dataDir, "media", sha.slice(0, 2), sha))) media.push(`media/${sha.slice(0, 2)}/${sha}`);
    }
    if (media.length > 0) await symlink(resolve(dataDir, "media"), join(staging, "media"));
    entries.push(...media);

    const recipients = opts.recipients ?? [];
    for (const r of recipients) if (!isAgeRecipient(r)) throw new BackupError(`not an age public key: ${r}`);
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const partial = `${file}.partial`;
    await rm(partial, { force: true });
    // created 0600 (a umask can only take bits away), so the key inside is never readable by others
    const out = await open(partial, "wx", 0o600);
    const sink = out.createWriteStream(); // closes the file when the pipeline ends
    try {
      // node-tar's stream is a minipass: async-iterable, which is what Readable.from takes
      const archive = Readable.from(tar.create({ gzip: true, cwd: staging, portable: true, follow: true }, entries));
      if (recipients.length > 0) {
        const e = new Encrypter();
        for (const r of recipients) e.addRecipient(r);
        const encrypted = await e.encrypt(Readable.toWeb(archive) as ReadableStream<Uint8Array>);
        await pipeline(Readable.fromWeb(encrypted as unknown as WebReadableStream<Uint8Array>), sink);
      } else {
        await pipeline(archive, sink);
      }
    } catch (e) {
      await out.close().catch(() => undefined);
      await rm(partial, { force: true });
      throw e;
    }
    await rename(partial, file);
    return { bytes: (await stat(file)).size, media: media.length, encrypted: recipients.length > 0 };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The age identities (`AGE-SECRET-KEY-1…` lines) in a key file, as `age-keygen` writes it. */
export async function readAgeIdentities(file: string): Promise<string[]> {
  const text = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
    throw new BackupError(`cannot read the identity file ${file}: ${e.code ?? e.message}`);
  });
  const ids = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("AGE-SECRET-KEY-"));
  if (ids.length === 0) throw new BackupError(`${file} holds no age identity (AGE-SECRET-KEY-1…)`);
  return ids;
}

/** The archive's bytes, decrypted when it is an age file (which then needs `identities`). */
async function archiveStream(file: string, identities: readonly string[]): Promise<Readable> {
  const head = Buffer.alloc(64);
  const fh = await open(file, "r");
  const { bytesRead } = await fh.read(head, 0, head.length, 0).finally(() => fh.close());
  const start = head.subarray(0, bytesRead).toString("latin1");
  const encrypted = start.startsWith(AGE_MAGIC) || start.startsWith(AGE_ARMOR);
  if (!encrypted) {
    if (identities.length > 0) throw new BackupError(`${file} is not encrypted: leave out --identity`);
    return createReadStream(file);
  }
  if (start.startsWith(AGE_ARMOR)) throw new BackupError(`${file} is ASCII-armoured: decrypt it with age -d first`);
  if (identities.length === 0)
    throw new BackupError(
      `${file} is encrypted: pass --identity FILE (the operators' age key, kept off the controller)`,
    );
  const d = new Decrypter();
  for (const id of identities) d.addIdentity(id);
  try {
    const plain = await d.decrypt(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>);
    return Readable.fromWeb(plain as unknown as WebReadableStream<Uint8Array>);
  } catch (e) {
    throw new BackupError(`cannot decrypt ${file}: ${(e as Error).message}`);
  }
}

export interface RestoreOptions {
  /** Replace a store already in DATA_DIR (it is kept beside, renamed, not deleted). */
  force?: boolean;
  /** age identities for an encrypted archive. */
  identities?: readonly string[];
  maxBytes?: number;
}

export interface RestoreResult {
  media: number;
  /** Where the data folder that was replaced now is, when there was one worth keeping. */
  previous: string | null;
}

/**
 * Restores an archive into DATA_DIR, holding its lock (a running controller refuses it) and trusting
 * nothing the archive says about itself: it must hold exactly what `backup` writes (the store, the
 * files kept with the signing key, `media/xx/<sha256>` files whose bytes hash to their names), as
 * plain files adding up to at most `maxBytes`; modes become 0600/0700 and the owner that of DATA_DIR
 * (when run as root). The database must pass SQLite's integrity check and be no newer than this
 * gatecast. Everything is checked in a folder beside DATA_DIR, which then takes its place in two
 * renames; the previous folder is kept beside. Nothing is left behind on failure.
 */
export async function restore(file: string, dataDir: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  if (!existsSync(file)) throw new BackupError(`no such backup: ${file}`);
  const target = resolve(dataDir);
  const existed = existsSync(target);
  const lock = lockDataDir(target);
  let staging: string | null = null;
  try {
    if (existsSync(join(target, DB_FILE)) && !opts.force) {
      throw new BackupError(`${target} already holds a store: pass --force to replace it (it is kept beside)`);
    }
    const owner = await stat(target);
    const source = await archiveStream(file, opts.identities ?? []);
    staging = await mkdtemp(join(dirname(target), `.${basename(target)}.restore-`));
    await extractChecked(source, staging, opts.maxBytes ?? DEFAULT_RESTORE_MAX_BYTES, owner);
    const media = await checkRestored(staging);
    await normalise(staging, owner);

    // the swap: two renames on one filesystem; between them DATA_DIR is absent, never half-written
    let previous: string | null = null;
    const aside = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    await rename(target, aside);
    try {
      await rename(staging, target);
    } catch (e) {
      await rename(aside, target);
      throw e;
    }
    staging = null;
    if (existed && (await holdsData(aside))) previous = aside;
    else await rm(aside, { recursive: true, force: true });
    return { media, previous };
  } catch (e) {
    if (staging) await rm(staging, { recursive: true, force: true });
    if (!existed) await rm(target, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  } finally {
    lock.release();
  }
}

/** Extracts only the files a backup holds, as plain files, up to `maxBytes` in all; anything else refuses the archive. */
async function extractChecked(
  source: Readable,
  into: string,
  maxBytes: number,
  owner: { uid: number; gid: number },
): Promise<void> {
  const allowed = new Set([DB_FILE, ...SIGNING_FILES]);
  let total = 0;
  let refused: string | null = null;
  const asRoot = process.getuid?.() === 0;
  const extractor = tar.extract({
    cwd: into,
    strict: true,
    preserveOwner: false,
    ...(asRoot ? { uid: owner.uid, gid: owner.gid } : {}),
    filter: (path, entry) => {
      if (refused) return false;
      const type = "type" in entry ? entry.type : "File";
      const name = path.replace(/\/+$/, "");
      const isDir = type === "Directory";
      const fileOk = (type === "File" || type === "OldFile") && (allowed.has(name) || isMediaEntry(name));
      const dirOk = isDir && (name === "media" || /^media\/[0-9a-f]{2}$/.test(name));
      total += entry.size ?? 0;
      if (!fileOk && !dirOk)
        refused = `the archive holds ${type === "File" ? "" : `a ${type} `}${name}, which gatecast backup never writes`;
      else if (total > maxBytes)
        refused = `the archive's files add up to more than ${maxBytes} bytes (the restore limit)`;
      if (refused) {
        (extractor as unknown as { abort(e: Error): void }).abort(new BackupError(refused));
        return false;
      }
      return true;
    },
  });
  try {
    await pipeline(source, extractor as unknown as Writable);
  } catch (e) {
    if (e instanceof BackupError) throw e;
    if (refused) throw new BackupError(refused);
    throw new BackupError(`not a gatecast backup (${(e as Error).message})`);
  }
  if (refused) throw new BackupError(refused);
}

function isMediaEntry(name: string): boolean {
  const m = MEDIA_ENTRY.exec(name);
  return m !== null && m[2]?.startsWith(m[1] ?? "") === true;
}

/** The restored files make a store this gatecast can run: returns how many media files were checked. */
async function checkRestored(dir: string): Promise<number> {
  if (!existsSync(join(dir, DB_FILE))) throw new BackupError("the archive has no database");
  const db = new Database(join(dir, DB_FILE), { readonly: true });
  try {
    const check = db.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new BackupError(`the archived database is damaged: ${String(check)}`);
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > MIGRATIONS.length)
      throw new BackupError(`the archive is from a newer gatecast (schema ${version}): upgrade this one first`);
  } catch (e) {
    if (e instanceof BackupError) throw e;
    throw new BackupError(`the archived database cannot be read: ${(e as Error).message}`);
  } finally {
    db.close();
  }
  if (existsSync(join(dir, SIGNING_KEY_FILE))) {
    const text = await readFile(join(dir, SIGNING_KEY_FILE), "utf8");
    let key: unknown = null;
    try {
      key = JSON.parse(text);
    } catch {
      // refused below
    }
    if (!PrivateJwk.safeParse(key).success)
      throw new BackupError(`the archived ${SIGNING_KEY_FILE} is not an Ed25519 private key`);
  }
  const mediaDir = join(dir, "media");
  let count = 0;
  for (const sub of existsSync(mediaDir) ? await readdir(mediaDir) : []) {
    for (const name of await readdir(join(mediaDir, sub))) {
      if ((await sha256OfFile(join(mediaDir, sub, name))) !== name)
        throw new BackupError(`media file ${name} does not match its hash`);
      count++;
    }
  }
  return count;
}

/** Files 0600, folders 0700, owned by DATA_DIR's owner: whatever the archive said. */
async function normalise(dir: string, owner: { uid: number; gid: number }): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const walk = async (p: string): Promise<void> => {
    const s = await lstat(p);
    if (asRoot) await chown(p, owner.uid, owner.gid);
    if (s.isDirectory()) {
      await chmod(p, 0o700);
      for (const name of await readdir(p)) await walk(join(p, name));
    } else {
      await chmod(p, 0o600);
    }
  };
  await walk(dir);
  await mkdir(join(dir, "media", "tmp"), { recursive: true, mode: 0o700 });
  if (asRoot) await chown(join(dir, "media", "tmp"), owner.uid, owner.gid);
}

/** Whether a data folder holds anything but the lock and empty folders (worth keeping after a restore). */
async function holdsData(dir: string): Promise<boolean> {
  for (const name of await readdir(dir, { recursive: true })) {
    const s = await lstat(join(dir, name));
    if (!s.isDirectory() && basename(name) !== LOCK_FILE) return true;
  }
  return false;
}
