import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type Alert, type Content, SITE_UNLISTED, type SiteRelease, signToJson } from "@gatecast/playlists";
import type { KeyRing } from "../keys.ts";
import { phoneImage } from "./images.ts";
import { siteModel } from "./model.ts";
import { SITE_CSS, type SiteImage, sitePages } from "./pages.ts";
import { sitePaths } from "./paths.ts";

export class SiteError extends Error {}

export interface SiteSource {
  release: { id: number; createdAt: number; content: Content };
  /** The urgent notices not cancelled (those in force at `now` are shown). */
  alerts: readonly Alert[];
  now: number;
  /** Where the store keeps a media file (its original). */
  mediaPath: (sha256: string) => string;
  keys: Pick<KeyRing, "current" | "jwks" | "signBytes">;
  /** Phone copies of images are kept here by content hash (the controller's cache); none: made each time. */
  imageCacheDir?: string | undefined;
  baseUrl?: string | undefined;
}

export interface BuiltSite {
  /** Every file of the site by path, `release.json` and `keys.json` included. */
  files: Map<string, Buffer>;
  release: SiteRelease;
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/**
 * The whole site of one release in memory: the pages in each language, the style sheet, phone copies of
 * the images (never the originals), the signed `release.json` over all of them, and `keys.json`.
 */
export async function renderSite(src: SiteSource): Promise<BuiltSite> {
  const model = siteModel(src.release, src.alerts, src.now);
  const files = new Map<string, Buffer>();
  const images = new Map<string, SiteImage>();
  for (const sha of model.images) {
    const img = await phoneImage(sha, src.mediaPath(sha), src.imageCacheDir);
    const path = `img/${img.name}`;
    files.set(path, img.bytes);
    images.set(sha, { path, width: img.width, height: img.height });
  }
  files.set(sitePaths.style, Buffer.from(SITE_CSS));
  for (const page of sitePages(model, { baseUrl: src.baseUrl, images })) files.set(page.path, Buffer.from(page.html));
  const release: SiteRelease = {
    format: "gatecast-site",
    release: model.release.id,
    issuedAt: new Date(src.now).toISOString(),
    pages: [...files.entries()]
      .map(([path, bytes]) => ({ path, sha256: sha256(bytes) }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
  const envelope = await signToJson(release, src.keys.current.keyId, src.keys.signBytes);
  files.set(sitePaths.release, Buffer.from(`${envelope}\n`));
  files.set(sitePaths.keys, Buffer.from(`${JSON.stringify(src.keys.jwks, null, 2)}\n`));
  if (!SITE_UNLISTED.every((f) => files.has(f))) throw new Error("site files out of step with SITE_UNLISTED");
  return { files, release };
}

/**
 * Writes a site to `outDir`, replacing the site there as a whole (a page of a deleted item does not
 * linger): written beside it, then swapped in by renaming. Refuses a folder that holds anything but a
 * gate site, so a mistyped OUTDIR never loses files.
 */
export async function writeSite(site: BuiltSite, outDir: string): Promise<void> {
  if (existsSync(outDir)) {
    const entries = await readdir(outDir);
    if (entries.length > 0 && !entries.includes(sitePaths.release))
      throw new SiteError(`${outDir} is not empty and holds no gate site (release.json): not replacing it`);
  }
  const parent = dirname(outDir);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const tmp = join(parent, `.${basename(outDir)}.new-${tag}`);
  const old = join(parent, `.${basename(outDir)}.old-${tag}`);
  try {
    for (const [path, bytes] of site.files) {
      const file = join(tmp, path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, bytes);
    }
    const had = existsSync(outDir);
    if (had) await rename(outDir, old);
    await rename(tmp, outDir);
    if (had) await rm(old, { recursive: true, force: true });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
