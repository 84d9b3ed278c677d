import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { link, mkdir, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { MediaInfo } from "@gatecast/playlists";
import { sniffMediaType } from "@gatecast/playlists";
import { type Db, prepare } from "./db.ts";

export class MediaTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`file is larger than the limit of ${limit} bytes`);
  }
}
export class MediaTypeError extends Error {
  constructor() {
    super("not an image, video or font we store (png, jpeg, webp, gif, mp4, webm, woff2, woff, ttf, otf)");
  }
}

export interface StoredMedia extends MediaInfo {
  name: string | null;
  createdAt: number;
}

const SHA256_NAME = /^[0-9a-f]{64}$/;

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Media files stored once by sha256 under `media/ab/abcdef…`, written to a temp file and renamed into place. */
export class MediaStore {
  readonly dir: string;

  constructor(
    private readonly db: Db,
    dataDir: string,
  ) {
    this.dir = join(dataDir, "media");
  }

  async init(): Promise<void> {
    await mkdir(join(this.dir, "tmp"), { recursive: true });
  }

  path(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  info(sha256: string): StoredMedia | undefined {
    const r = prepare(this.db, "SELECT * FROM media WHERE sha256 = ?").get(sha256) as
      | { sha256: string; bytes: number; mime: string; name: string | null; created_at: number }
      | undefined;
    return r ? { sha256: r.sha256, bytes: r.bytes, mime: r.mime, name: r.name, createdAt: r.created_at } : undefined;
  }

  list(): StoredMedia[] {
    const rows = prepare(this.db, "SELECT * FROM media ORDER BY created_at DESC").all() as {
      sha256: string;
      bytes: number;
      mime: string;
      name: string | null;
      created_at: number;
    }[];
    return rows.map((r) => ({ sha256: r.sha256, bytes: r.bytes, mime: r.mime, name: r.name, createdAt: r.created_at }));
  }

  /**
   * Streams `source` to disk while hashing it and checking its size and type. Nothing is left behind
   * when the stream fails, is cut off, or is refused: the temp file is removed.
   */
  async put(
    source: Readable,
    opts: { maxBytes: number; name?: string | undefined; now: number },
  ): Promise<StoredMedia> {
    const tmp = join(this.dir, "tmp", `${randomBytes(12).toString("hex")}.part`);
    const hash = createHash("sha256");
    let bytes = 0;
    let head = Buffer.alloc(0);
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > opts.maxBytes) return done(new MediaTooLargeError(opts.maxBytes));
        if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tmp, { flags: "wx" }));
      const mime = sniffMediaType(head);
      if (!mime) throw new MediaTypeError();
      const sha256 = hash.digest("hex");
      const existing = this.info(sha256);
      if (existing) {
        await unlink(tmp);
        return existing;
      }
      await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
      await rename(tmp, this.path(sha256));
      prepare(
        this.db,
        "INSERT OR IGNORE INTO media (sha256, bytes, mime, name, created_at) VALUES (?, ?, ?, ?, ?)",
      ).run(sha256, bytes, mime, opts.name ?? null, opts.now);
      return this.info(sha256) as StoredMedia;
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Adds a file already on disk (content import); hard-links when it can, copies otherwise. A file
   * already at the target (a store re-created over old media) is kept when its bytes are right and
   * replaced by a rename when not: never written into, since it may be a hard link to `file` itself.
   */
  async importFile(file: string, info: MediaInfo, now: number): Promise<void> {
    if (this.info(info.sha256)) return;
    await mkdir(join(this.dir, info.sha256.slice(0, 2)), { recursive: true });
    const target = this.path(info.sha256);
    const present = (await this.exists(info.sha256)) && (await sha256OfFile(target)) === info.sha256;
    if (!present) {
      const tmp = join(this.dir, "tmp", `${randomBytes(12).toString("hex")}.import`);
      try {
        await link(file, tmp);
      } catch {
        await pipeline(createReadStream(file), createWriteStream(tmp, { flags: "wx" }));
      }
      await rename(tmp, target);
    }
    prepare(this.db, "INSERT OR IGNORE INTO media (sha256, bytes, mime, name, created_at) VALUES (?, ?, ?, ?, ?)").run(
      info.sha256,
      info.bytes,
      info.mime,
      file.split("/").pop() ?? null,
      now,
    );
  }

  /** Empties `media/tmp`: what is there at start is a partial upload a crash left behind. */
  async clearPartials(): Promise<number> {
    const dir = join(this.dir, "tmp");
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(names.map((n) => rm(join(dir, n), { recursive: true, force: true })));
    return names.length;
  }

  /** Every file in the store's `xx/<sha256>` folders, known to the database or not. */
  async files(): Promise<{ sha256: string; bytes: number; modifiedAt: number }[]> {
    const entries = await readdir(this.dir, { recursive: true, withFileTypes: true }).catch(() => []);
    const out: { sha256: string; bytes: number; modifiedAt: number }[] = [];
    for (const e of entries) {
      if (!e.isFile() || !SHA256_NAME.test(e.name) || e.parentPath !== join(this.dir, e.name.slice(0, 2))) continue;
      const s = await stat(join(e.parentPath, e.name)).catch(() => null);
      if (s) out.push({ sha256: e.name, bytes: s.size, modifiedAt: s.mtimeMs });
    }
    return out;
  }

  /** Forgets files (their rows; call inside the transaction that decided it). */
  forget(sha256s: readonly string[]): void {
    const del = prepare(this.db, "DELETE FROM media WHERE sha256 = ?");
    for (const sha of sha256s) del.run(sha);
  }

  /** Deletes files from disk (after `forget`: a file is never known to the database and absent). */
  async deleteFiles(sha256s: readonly string[]): Promise<void> {
    await Promise.all(sha256s.map((sha) => rm(this.path(sha), { force: true })));
  }

  async exists(sha256: string): Promise<boolean> {
    return stat(this.path(sha256)).then(
      () => true,
      () => false,
    );
  }
}
