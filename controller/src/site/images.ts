import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";

// one libvips thread per image: resizing in the background must leave the controller's cores to it
sharp.concurrency(1);

/** Phone-sized copies: 720 px wide (a 360 px screen at 2×), WebP, which every phone browser in use shows. */
export const SITE_IMAGE_WIDTH = 720;
const QUALITY = 70;
/** Raised when the way copies are made changes, so cached copies of the old kind are not reused. */
const RECIPE = `w${SITE_IMAGE_WIDTH}q${QUALITY}v1`;

export interface ResizedImage {
  /** File name (content-addressed by the original's sha256 and the recipe). */
  name: string;
  bytes: Buffer;
  width: number;
  height: number;
}

/**
 * The phone copy of a stored image, made once per original: copies are kept in `cacheDir` by the
 * original's content hash, so a rebuild after a release that changed only text resizes nothing.
 */
export async function phoneImage(
  sha256: string,
  original: string,
  cacheDir: string | undefined,
): Promise<ResizedImage> {
  const name = `${sha256.slice(0, 16)}-${RECIPE}.webp`;
  const cached = cacheDir ? join(cacheDir, name) : undefined;
  if (cached) {
    try {
      const bytes = await readFile(cached);
      const meta = await sharp(bytes).metadata();
      if (meta.width && meta.height) return { name, bytes, width: meta.width, height: meta.height };
    } catch {
      // not cached yet (or unreadable): made again below
    }
  }
  const { data, info } = await sharp(original, { limitInputPixels: 100_000_000 })
    .rotate()
    .resize({ width: SITE_IMAGE_WIDTH, withoutEnlargement: true })
    .webp({ quality: QUALITY })
    .toBuffer({ resolveWithObject: true });
  if (cacheDir && cached) {
    await mkdir(cacheDir, { recursive: true, mode: 0o700 });
    const tmp = `${cached}.${process.pid}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, cached);
  }
  return { name, bytes: data, width: info.width, height: info.height };
}
