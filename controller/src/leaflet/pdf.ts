import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, normalize } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../browser/chromium.ts";
import type { LeafletSize } from "./html.ts";

/** The origin the leaflet is printed under: never reached, every request is answered from memory or disk. */
const ORIGIN = "http://leaflet.gatecast.invalid";

const require = createRequire(import.meta.url);
const FONT_PACKAGES = ["@fontsource/noto-sans", "@fontsource/noto-sans-sc"] as const;
/** The weights the leaflet uses, from the kiosk's own font packages. */
export const LEAFLET_FONT_CSS = FONT_PACKAGES.flatMap((p) => [
  `${ORIGIN}/fonts/${p}/400.css`,
  `${ORIGIN}/fonts/${p}/700.css`,
]);

function fontFile(path: string): string | undefined {
  const pkg = FONT_PACKAGES.find((p) => path.startsWith(`/fonts/${p}/`));
  if (!pkg) return undefined;
  const root = dirname(require.resolve(`${pkg}/package.json`));
  const file = normalize(join(root, path.slice(`/fonts/${pkg}/`.length)));
  return file.startsWith(root) ? file : undefined;
}

const TYPES: Record<string, string> = { css: "text/css", woff2: "font/woff2", woff: "font/woff" };

/**
 * Prints leaflet HTML to PDF in headless Chromium: the page, its images (by path under `/img/`) and its
 * fonts are served from memory and the font packages, nothing from the network. Chromium embeds the
 * glyphs the text uses (subsets) in the PDF.
 */
export async function printPdf(
  html: string,
  images: ReadonlyMap<string, { bytes: Buffer; mime: string }>,
  size: LeafletSize,
  browser?: Browser,
): Promise<Buffer> {
  const own = browser ? null : await launchChromium();
  const b = browser ?? (own as Browser);
  try {
    const context = await b.newContext({ javaScriptEnabled: true, offline: false });
    try {
      const page = await context.newPage();
      await page.route("**/*", async (route) => {
        const url = new URL(route.request().url());
        if (url.origin !== ORIGIN) return route.abort();
        if (url.pathname === "/") return route.fulfill({ contentType: "text/html; charset=utf-8", body: html });
        const image = images.get(url.pathname);
        if (image) return route.fulfill({ contentType: image.mime, body: image.bytes });
        const font = fontFile(decodeURIComponent(url.pathname));
        if (font) {
          const ext = font.split(".").pop() ?? "";
          return route.fulfill({ contentType: TYPES[ext] ?? "application/octet-stream", body: await readFile(font) });
        }
        return route.fulfill({ status: 404, body: "" });
      });
      await page.goto(`${ORIGIN}/`, { waitUntil: "load" });
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const pdf = await page.pdf({ format: size, printBackground: true, preferCSSPageSize: true });
      return Buffer.from(pdf);
    } finally {
      await context.close();
    }
  } finally {
    await own?.close();
  }
}
