import { isAbort, nextDelay, sleep } from "./backoff.ts";
import type { MediaStore } from "./media-cache.ts";
import { planMedia, type ResolvedMedia } from "./media-plan.ts";

export interface MediaSyncDeps {
  store: MediaStore;
  /** Downloads a file; throws on a network or HTTP error. `attempt` counts the tries of this file from 0. */
  fetchBytes: (url: string, signal: AbortSignal, attempt: number) => Promise<ArrayBuffer>;
  /** Lowercase hex sha256. */
  digest: (data: ArrayBuffer) => Promise<string>;
  onProgress: (ready: number, total: number) => void;
  onError: (kind: "download-failed" | "hash-mismatch" | "storage", message: string) => void;
  random: () => number;
  signal: AbortSignal;
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Files downloaded at once. */
  concurrency?: number;
}

const short = (sha: string) => sha.slice(0, 12);

/**
 * Makes every file of `needed` present and verified in the store: copies what is cached under another
 * URL, downloads the rest, checks size and sha256 before keeping a file, and retries each failure with
 * backoff until it succeeds or `signal` aborts (then it rejects with an AbortError).
 */
export async function syncMedia(needed: readonly ResolvedMedia[], deps: MediaSyncDeps): Promise<void> {
  const wait = deps.wait ?? sleep;
  const total = needed.length;
  const plan = planMedia(needed, await deps.store.list());
  let ready = plan.ready.length;
  deps.onProgress(ready, total);

  const queue: ResolvedMedia[] = [];
  for (const { media, from } of plan.copy) {
    deps.signal.throwIfAborted();
    if (await deps.store.copy(from, media).catch(() => false)) deps.onProgress(++ready, total);
    else queue.push(media);
  }
  queue.push(...plan.download);

  const fetchOne = async (media: ResolvedMedia) => {
    for (let attempt = 0; ; attempt++) {
      deps.signal.throwIfAborted();
      try {
        const body = await deps.fetchBytes(media.url, deps.signal, attempt);
        if (body.byteLength !== media.bytes) {
          deps.onError(
            "hash-mismatch",
            `${short(media.sha256)}: got ${body.byteLength} bytes, expected ${media.bytes} (${media.url})`,
          );
        } else {
          const sha = await deps.digest(body);
          if (sha !== media.sha256) {
            deps.onError("hash-mismatch", `${short(media.sha256)}: content hashes to ${short(sha)} (${media.url})`);
          } else {
            try {
              await deps.store.put(media, body);
              deps.onProgress(++ready, total);
              return;
            } catch (e) {
              deps.onError("storage", `${short(media.sha256)}: ${e instanceof Error ? e.message : String(e)}`);
            }
          }
        }
      } catch (e) {
        if (isAbort(e) || deps.signal.aborted) throw e;
        deps.onError("download-failed", `${short(media.sha256)}: ${e instanceof Error ? e.message : String(e)}`);
      }
      await wait(nextDelay(attempt, deps.random()), deps.signal);
    }
  };

  const workers = Array.from({ length: Math.max(1, Math.min(deps.concurrency ?? 2, queue.length)) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await fetchOne(next);
  });
  await Promise.all(workers);
  deps.signal.throwIfAborted();
}

/**
 * `fetchBytes` for the browser: CORS, no credentials, and never the HTTP cache. Verified copies live
 * in Cache Storage; the HTTP cache could only hand back a body that failed its check, and does: media
 * is served `immutable` with its expected hash as ETag, so a revalidation (`no-cache`) gets a 304 and
 * the corrupt body again, for ever.
 */
export function browserFetchBytes(fetchImpl: typeof fetch) {
  return async (url: string, signal: AbortSignal): Promise<ArrayBuffer> => {
    const res = await fetchImpl(url, { mode: "cors", credentials: "omit", cache: "no-store", signal });
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
    return res.arrayBuffer();
  };
}
