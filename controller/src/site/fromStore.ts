import type { KeyRing } from "../keys.ts";
import type { Store } from "../store/index.ts";
import { type BuiltSite, renderSite, SiteError } from "./build.ts";

export interface StoreSiteOptions {
  /** A release number; the newest by default. Never the draft. */
  release?: number | undefined;
  now: number;
  baseUrl?: string | undefined;
  imageCacheDir?: string | undefined;
}

/** The site of a release in the store: the release's snapshot and the urgent notices in force at `now`. */
export async function siteFromStore(
  store: Store,
  keys: Pick<KeyRing, "current" | "jwks" | "signBytes">,
  opts: StoreSiteOptions,
): Promise<BuiltSite> {
  const release = opts.release === undefined ? store.releases.latest() : store.releases.get(opts.release);
  if (!release)
    throw new SiteError(opts.release === undefined ? "the store holds no release yet" : `no release ${opts.release}`);
  return renderSite({
    release,
    alerts: store.alerts.live(opts.now),
    now: opts.now,
    mediaPath: (sha) => store.media.path(sha),
    keys,
    imageCacheDir: opts.imageCacheDir,
    baseUrl: opts.baseUrl,
  });
}
