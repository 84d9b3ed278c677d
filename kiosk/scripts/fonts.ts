/**
 * Which @fontsource faces the kiosk ships and which of their files the service worker precaches.
 * Used by vite.config.ts at build time; pure string logic so it is unit-tested.
 */

import { FAMILY_CJK, FAMILY_LATIN } from "../src/fonts.ts";

export { FAMILY_CJK, FAMILY_LATIN };

/**
 * Google Fonts slices Noto Sans SC by character frequency: the highest-numbered slices hold the most
 * used characters (slices 100–119 cover the ~3,500 characters of everyday text and all of the sample
 * content). They are precached (≈1.3 MB for 400 + 700) so a cold start with no network renders Chinese;
 * rarer characters load on demand, are kept by the service worker's font cache, and are fetched ahead
 * of a manifest switch for the texts that manifest contains.
 */
export const PRECACHED_CJK_SLICES: readonly number[] = Array.from({ length: 23 }, (_, i) => 97 + i);

const LATIN_SUBSETS = ["latin", "latin-ext", "vietnamese"];

/** Whether a `/* name *\/ @font-face {…}` block of a @fontsource stylesheet is one the kiosk ships. */
export function keepFontFace(block: string): boolean {
  const name = /\/\*\s*(\S+)\s*\*\//.exec(block)?.[1];
  if (!name || !block.includes("@font-face")) return false;
  if (/^noto-sans-sc-\[\d+\]-\d+-normal$/.test(name)) return true;
  const latin = /^noto-sans-([a-z-]+)-\d+-normal$/.exec(name);
  return latin !== null && LATIN_SUBSETS.includes(latin[1] ?? "");
}

/** Renames the family and drops the WOFF fallback of one @font-face block. */
export function renameFontFamily(block: string): string {
  return block
    .replace(/font-family:\s*'Noto Sans SC'/, `font-family: '${FAMILY_CJK}'`)
    .replace(/font-family:\s*'Noto Sans'/, `font-family: '${FAMILY_LATIN}'`)
    .replace(/,\s*url\([^)]*\.woff\)\s*format\('woff'\)/g, "");
}

/**
 * The kiosk's @font-face rules from one @fontsource `400.css`: the faces it ships, renamed, each
 * followed by the same face in the other `weights` (the files are named alike: `…-700-normal.woff2`).
 */
export function fontFaces(css: string, weights: readonly number[]): string {
  const out: string[] = [];
  for (const block of css.split(/(?=\/\*)/)) {
    if (!keepFontFace(block)) continue;
    const face = renameFontFamily(block).trim();
    for (const w of weights) {
      out.push(face.replace(/font-weight:\s*400/, `font-weight: ${w}`).replace(/-400-normal\./g, `-${w}-normal.`));
    }
  }
  return out.join("\n");
}

/** Keeps every non-font entry of the precache manifest, and the font files a cold offline start needs. */
export function precacheFont(url: string): boolean {
  if (!url.endsWith(".woff2")) return true;
  const file = url.split("/").pop() ?? "";
  if (new RegExp(`^noto-sans-(${LATIN_SUBSETS.join("|")})-\\d+-normal`).test(file)) return true;
  const slice = /^noto-sans-sc-(\d+)-\d+-normal/.exec(file);
  return slice !== null && PRECACHED_CJK_SLICES.includes(Number(slice[1]));
}

/** The code points one @font-face block declares (its `unicode-range`). */
export function unicodeRanges(block: string): [number, number][] {
  const list = /unicode-range:\s*([^;]+);/.exec(block)?.[1] ?? "";
  return list
    .split(",")
    .map((part) => part.trim().replace(/^U\+/i, ""))
    .filter(Boolean)
    .map((part) => {
      const [a = "0", b = a] = part.split("-");
      return [Number.parseInt(a, 16), Number.parseInt(b, 16)];
    });
}

/** What the kiosk's fonts draw: the unicode-ranges of the faces it ships from @fontsource stylesheets. */
export function fontCoverage(...css: string[]): [number, number][] {
  return css.flatMap((sheet) =>
    sheet
      .split(/(?=\/\*)/)
      .filter(keepFontFace)
      .flatMap(unicodeRanges),
  );
}
