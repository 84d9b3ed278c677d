import type { MediaStore } from "@gatecast/kiosk/sync";

/**
 * Verified media bytes shared by every simulated screen of a fleet, kept once per sha256 however many
 * screens hold the file (1000 screens × the same 500 KB would otherwise be 500 MB). Each screen still
 * downloads and hash-checks its own copy: only what is kept afterwards is shared.
 */
export class MediaPool {
  private readonly blobs = new Map<string, { body: ArrayBuffer; refs: number }>();

  hold(sha256: string, body: ArrayBuffer): void {
    const b = this.blobs.get(sha256);
    if (b) b.refs++;
    else this.blobs.set(sha256, { body, refs: 1 });
  }

  release(sha256: string): void {
    const b = this.blobs.get(sha256);
    if (!b) return;
    if (--b.refs <= 0) this.blobs.delete(sha256);
  }

  get(sha256: string): ArrayBuffer | undefined {
    return this.blobs.get(sha256)?.body;
  }

  bytesOf(sha256: string): number {
    return this.blobs.get(sha256)?.body.byteLength ?? 0;
  }

  /** Distinct files and their bytes, as kept in memory. */
  get size(): { files: number; bytes: number } {
    let bytes = 0;
    for (const b of this.blobs.values()) bytes += b.body.byteLength;
    return { files: this.blobs.size, bytes };
  }
}

/** One screen's media cache (URL → verified sha256) over the fleet's shared pool. */
export function pooledMediaStore(pool: MediaPool): MediaStore & { usageBytes(): number } {
  const urls = new Map<string, string>();
  const drop = (url: string) => {
    const sha = urls.get(url);
    if (sha === undefined) return;
    urls.delete(url);
    pool.release(sha);
  };
  return {
    async list() {
      return new Map(urls);
    },
    async put(media, body) {
      drop(media.url);
      pool.hold(media.sha256, body);
      urls.set(media.url, media.sha256);
    },
    async copy(fromUrl, media) {
      const sha = urls.get(fromUrl);
      const body = sha === undefined ? undefined : pool.get(sha);
      if (!body) return false;
      drop(media.url);
      pool.hold(media.sha256, body);
      urls.set(media.url, media.sha256);
      return true;
    },
    async delete(list) {
      for (const u of list) drop(u);
    },
    async clear() {
      for (const u of [...urls.keys()]) drop(u);
    },
    usageBytes() {
      let n = 0;
      for (const sha of urls.values()) n += pool.bytesOf(sha);
      return n;
    },
  };
}
