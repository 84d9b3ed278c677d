import type { ManifestPayload } from "@gatecast/playlists";

/** A media file of a manifest, its URL made absolute against the controller's origin. */
export interface ResolvedMedia {
  sha256: string;
  bytes: number;
  mime: string;
  url: string;
}

export function resolveMediaUrl(url: string, origin: string): string {
  try {
    return new URL(url, origin).href;
  } catch {
    return url;
  }
}

/**
 * Every media file a manifest needs, once each. Two entries that share a URL but not a hash both stay:
 * at most one can match what the URL serves, so the other is reported as a hash mismatch and the
 * manifest never goes on screen (never "the file at that URL, whatever its hash").
 */
export function resolveMedia(manifest: Pick<ManifestPayload, "media">, origin: string): ResolvedMedia[] {
  const seen = new Set<string>();
  const out: ResolvedMedia[] = [];
  for (const m of manifest.media) {
    const url = resolveMediaUrl(m.url, origin);
    const key = `${m.sha256} ${url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ sha256: m.sha256, bytes: m.bytes, mime: m.mime, url });
  }
  return out;
}

/** Where the renderer loads a media file from (the service worker answers from the media cache). */
export function mediaUrlOf(manifest: Pick<ManifestPayload, "media">, sha256: string, origin: string): string | null {
  const ref = manifest.media.find((m) => m.sha256 === sha256);
  return ref ? resolveMediaUrl(ref.url, origin) : null;
}

export interface MediaPlan {
  /** Already cached under the right URL with the right hash. */
  ready: ResolvedMedia[];
  /** Cached and verified under another URL (same hash): copy, no download. */
  copy: { media: ResolvedMedia; from: string }[];
  download: ResolvedMedia[];
}

/** What to do to have every file of `needed` in the cache. `cached` maps URL → verified sha256. */
export function planMedia(needed: readonly ResolvedMedia[], cached: ReadonlyMap<string, string>): MediaPlan {
  const byHash = new Map<string, string>();
  for (const [url, sha] of cached) if (!byHash.has(sha)) byHash.set(sha, url);
  const plan: MediaPlan = { ready: [], copy: [], download: [] };
  for (const media of needed) {
    if (cached.get(media.url) === media.sha256) plan.ready.push(media);
    else {
      const from = byHash.get(media.sha256);
      if (from !== undefined) plan.copy.push({ media, from });
      else plan.download.push(media);
    }
  }
  return plan;
}

/** Cached URLs that none of the manifests still in use (playing, or downloading) needs. */
export function evictable(cached: ReadonlyMap<string, string>, keep: readonly (readonly ResolvedMedia[])[]): string[] {
  const wanted = new Map<string, string>();
  for (const list of keep) for (const m of list) wanted.set(m.url, m.sha256);
  return [...cached].filter(([url, sha]) => wanted.get(url) !== sha).map(([url]) => url);
}

/** How many of `needed` are in the cache. */
export function countReady(needed: readonly ResolvedMedia[], cached: ReadonlyMap<string, string>): number {
  return needed.filter((m) => cached.get(m.url) === m.sha256).length;
}
