import { MEDIA_CACHE, SHA_HEADER } from "./cache-names.ts";
import type { ResolvedMedia } from "./media-plan.ts";

/** Where verified media files live: Cache Storage in the browser, a map in tests and the simulator. */
export interface MediaStore {
  /** URL → sha256 of every cached file. */
  list(): Promise<Map<string, string>>;
  put(media: ResolvedMedia, body: ArrayBuffer): Promise<void>;
  /** Copies an already verified file to another URL; false when it is gone. */
  copy(fromUrl: string, media: ResolvedMedia): Promise<boolean>;
  delete(urls: readonly string[]): Promise<void>;
  clear(): Promise<void>;
}

export async function sha256Hex(data: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data as BufferSource);
  let hex = "";
  for (const b of new Uint8Array(digest)) hex += b.toString(16).padStart(2, "0");
  return hex;
}

function responseFor(media: ResolvedMedia, body: ArrayBuffer | Blob): Response {
  const size = body instanceof Blob ? body.size : body.byteLength;
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": media.mime,
      "content-length": String(size),
      "accept-ranges": "bytes",
      "cache-control": "public, max-age=31536000, immutable",
      [SHA_HEADER]: media.sha256,
    },
  });
}

/** The media cache in Cache Storage, shared with the service worker, which serves it (with ranges). */
export function cacheStorageMediaStore(storage: CacheStorage, name: string = MEDIA_CACHE): MediaStore {
  const open = () => storage.open(name);
  return {
    async list() {
      const cache = await open();
      const out = new Map<string, string>();
      for (const req of await cache.keys()) {
        const res = await cache.match(req);
        const sha = res?.headers.get(SHA_HEADER);
        if (sha) out.set(req.url, sha);
        else await cache.delete(req);
      }
      return out;
    },
    async put(media, body) {
      const cache = await open();
      await cache.put(media.url, responseFor(media, body));
    },
    async copy(fromUrl, media) {
      const cache = await open();
      const res = await cache.match(fromUrl);
      if (!res) return false;
      await cache.put(media.url, responseFor(media, await res.blob()));
      return true;
    },
    async delete(urls) {
      const cache = await open();
      await Promise.all(urls.map((u) => cache.delete(u)));
    },
    async clear() {
      await storage.delete(name);
    },
  };
}

/** An in-memory MediaStore for tests and the fleet simulator. */
export function memoryMediaStore(): MediaStore & { files: Map<string, { sha256: string; body: ArrayBuffer }> } {
  const files = new Map<string, { sha256: string; body: ArrayBuffer }>();
  return {
    files,
    async list() {
      return new Map([...files].map(([url, f]) => [url, f.sha256]));
    },
    async put(media, body) {
      files.set(media.url, { sha256: media.sha256, body });
    },
    async copy(fromUrl, media) {
      const f = files.get(fromUrl);
      if (!f) return false;
      files.set(media.url, { sha256: media.sha256, body: f.body });
      return true;
    },
    async delete(urls) {
      for (const u of urls) files.delete(u);
    },
    async clear() {
      files.clear();
    },
  };
}
