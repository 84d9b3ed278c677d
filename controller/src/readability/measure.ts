/**
 * Renders items with the kiosk's own renderer (the console's screen preview page, `console/dist`) in
 * headless Chromium at each screen's resolution, and measures what a traveller would see: each text's
 * cap height or Han em box from the fonts' metrics, the pages it takes, and its contrast against the
 * pixels actually under it (the text hidden, the page photographed).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import {
  contrastOver,
  type Gate,
  type Item,
  type ItemMeasure,
  itemMedia,
  type MediaInfo,
  panelOf,
  parseColor,
  type Screen,
  type TextMeasure,
} from "@gatecast/playlists";
import type { Browser, Page } from "playwright-core";

/** The origin the check's page runs at: every request to it is answered from disk, nothing goes out. */
const ORIGIN = "http://gatecast-check.invalid";

export interface MeasureSource {
  /** The built console (`console/dist`), whose `preview.html` runs the kiosk's renderer. */
  consoleDir: string;
  /** A media file's bytes, or null when it is not there (the kiosk then shows its fallback). */
  media(sha256: string): Promise<Buffer | null>;
  /** Every media file's type and size (what a manifest names). */
  mediaInfo: readonly MediaInfo[];
  webHosts: readonly string[];
}

export interface MeasureJob {
  gate: Gate;
  screen: Screen;
  item: Item;
  durationS: number;
}

export class PreviewMissingError extends Error {
  constructor(dir: string) {
    super(`the console is not built (no ${join(dir, "preview.html")}): run npm run build`);
    this.name = "PreviewMissingError";
  }
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

interface InPage {
  gatecastPreview?: {
    show(frame: unknown): void;
    measure(): Promise<{
      pages: number;
      viewport: { width: number; height: number };
      texts: {
        lang: TextMeasure["lang"];
        script: TextMeasure["script"];
        role: TextMeasure["role"];
        heightPx: number;
        color: string;
        rect: { x: number; y: number; width: number; height: number };
        visible: boolean;
      }[];
    }>;
    hideText(hidden: boolean): void;
  };
}

async function openPreview(browser: Browser, screen: Screen, source: MeasureSource): Promise<Page> {
  if (!existsSync(join(source.consoleDir, "preview.html"))) throw new PreviewMissingError(source.consoleDir);
  const { resolution } = panelOf(screen);
  const context = await browser.newContext({ viewport: resolution, deviceScaleFactor: 1, reducedMotion: "reduce" });
  const page = await context.newPage();
  await page.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort("blockedbyclient");
    const media = /^\/media\/([0-9a-f]{64})$/.exec(url.pathname)?.[1];
    if (media) {
      const bytes = await source.media(media);
      const info = source.mediaInfo.find((m) => m.sha256 === media);
      return bytes
        ? route.fulfill({ status: 200, body: bytes, contentType: info?.mime ?? "application/octet-stream" })
        : route.fulfill({ status: 404, body: "" });
    }
    const rel = url.pathname.replace(/^\/console\//, "");
    const file = normalize(join(source.consoleDir, rel));
    if (!file.startsWith(normalize(source.consoleDir)) || !existsSync(file))
      return route.fulfill({ status: 404, body: "" });
    return route.fulfill({
      status: 200,
      body: await readFile(file),
      contentType: TYPES[extname(file)] ?? "application/octet-stream",
    });
  });
  await page.goto(`${ORIGIN}/console/preview.html`);
  await page.waitForFunction(() => Boolean((window as InPage).gatecastPreview), undefined, { timeout: 20_000 });
  // no crossfades or page slides while measuring: what is measured is the settled frame
  await page.addStyleTag({
    content: "*, *::before, *::after { transition: none !important; animation: none !important; }",
  });
  return page;
}

/** Scale of the photograph the background is sampled from: a quarter is plenty for colours, and fast. */
const SHOT_SCALE = 0.25;

type Rect = { x: number; y: number; width: number; height: number };

/**
 * Photographs the part of the page under `rects` (their union, clipped to the viewport) at a quarter
 * of its size (CDP's own scaled capture), and gives each rectangle's place in the photograph.
 */
async function photograph(page: Page, rects: Rect[], width: number, height: number) {
  const x0 = Math.max(0, Math.floor(Math.min(...rects.map((r) => r.x))));
  const y0 = Math.max(0, Math.floor(Math.min(...rects.map((r) => r.y))));
  const x1 = Math.min(width, Math.ceil(Math.max(...rects.map((r) => r.x + r.width))));
  const y1 = Math.min(height, Math.ceil(Math.max(...rects.map((r) => r.y + r.height))));
  const cdp = await page.context().newCDPSession(page);
  try {
    const { data } = await cdp.send("Page.captureScreenshot", {
      format: "jpeg",
      quality: 85,
      clip: { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0), scale: SHOT_SCALE },
    });
    return {
      jpeg: data,
      rects: rects.map((r) => ({
        x: (r.x - x0) * SHOT_SCALE,
        y: (r.y - y0) * SHOT_SCALE,
        width: r.width * SHOT_SCALE,
        height: r.height * SHOT_SCALE,
      })),
    };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Pixels (RGB) under each rectangle of a JPEG photograph (base64), on a grid of points. */
async function samplePixels(
  page: Page,
  jpeg: string,
  rects: { x: number; y: number; width: number; height: number }[],
): Promise<{ r: number; g: number; b: number }[][]> {
  return page.evaluate(
    async ({ b64, rects }) => {
      const blob = await (await fetch(`data:image/jpeg;base64,${b64}`)).blob();
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext("2d");
      if (!ctx) return rects.map(() => []);
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      return rects.map((r) => {
        const out: { r: number; g: number; b: number }[] = [];
        const cols = 32;
        const rows = 8;
        for (let j = 0; j < rows; j++)
          for (let i = 0; i < cols; i++) {
            const x = Math.floor(r.x + ((i + 0.5) * r.width) / cols);
            const y = Math.floor(r.y + ((j + 0.5) * r.height) / rows);
            if (x < 0 || y < 0 || x >= bitmap.width || y >= bitmap.height) continue;
            const k = (y * bitmap.width + x) * 4;
            out.push({ r: data[k] ?? 0, g: data[k + 1] ?? 0, b: data[k + 2] ?? 0 });
          }
        return out;
      });
    },
    { b64: jpeg, rects },
  );
}

/** One frame of one item on a page already at the screen's size, measured (text heights, pages, contrast). */
async function measureFrame(page: Page, job: MeasureJob, source: MeasureSource, startsAt: number) {
  const media = itemMedia(job.item);
  await page.evaluate((frame) => (window as InPage).gatecastPreview?.show(frame), {
    gate: job.gate,
    screen: job.screen,
    item: job.item,
    playlist: null,
    startsAt,
    endsAt: startsAt + job.durationS * 1000,
    alerts: [],
    media: source.mediaInfo
      .filter((m) => m.sha256 === media)
      .map((m) => ({ ...m, url: `${ORIGIN}/media/${m.sha256}` })),
    webHosts: [...source.webHosts],
  });
  const fit = await page.evaluate(() => (window as InPage).gatecastPreview?.measure());
  if (!fit) throw new Error("the preview page did not answer");
  const { width, height } = fit.viewport;
  // contrast: photograph what is under the text, then sample it where each visible text stands
  const visible = fit.texts.filter((t) => t.visible && t.rect.x < width && t.rect.y < height);
  let samples: { r: number; g: number; b: number }[][] = [];
  if (visible.length) {
    await page.evaluate(() => (window as InPage).gatecastPreview?.hideText(true));
    const shot = await photograph(
      page,
      visible.map((t) => t.rect),
      width,
      height,
    );
    await page.evaluate(() => (window as InPage).gatecastPreview?.hideText(false));
    samples = await samplePixels(page, shot.jpeg, shot.rects);
  }
  const texts: TextMeasure[] = fit.texts.map((t) => {
    const i = visible.indexOf(t);
    const colour = parseColor(t.color);
    const pixels = i >= 0 ? (samples[i] ?? []) : [];
    return {
      lang: t.lang,
      script: t.script,
      role: t.role,
      heightPx: t.heightPx,
      contrast: colour && pixels.length ? contrastOver(colour, pixels) : null,
    };
  });
  return { pages: fit.pages, viewport: fit.viewport, texts };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Measures each job, one page per screen size. A job that cannot be rendered comes back with its
 * error (the judge then names it unchecked) instead of stopping the others.
 */
export async function measureJobs(
  browser: Browser,
  jobs: readonly MeasureJob[],
  source: MeasureSource,
): Promise<ItemMeasure[]> {
  const out: ItemMeasure[] = [];
  const byScreen = new Map<string, MeasureJob[]>();
  for (const j of jobs) byScreen.set(j.screen.id, [...(byScreen.get(j.screen.id) ?? []), j]);
  for (const [screenId, list] of byScreen) {
    const first = list[0];
    if (!first) continue;
    let page: Page | null = null;
    try {
      page = await openPreview(browser, first.screen, source);
      let turn = Date.now();
      for (const job of list) {
        try {
          turn += 1_000_000;
          const halves =
            job.item.kind === "notice" && job.item.layout === "alternate"
              ? [turn, turn - (job.durationS * 1000) / 2 - 500]
              : [turn];
          const frames = [];
          for (const startsAt of halves) frames.push(await measureFrame(page, job, source, startsAt));
          const [head] = frames;
          if (!head) continue;
          out.push({
            item: job.item.id,
            screen: screenId,
            viewport: head.viewport,
            pages: Math.max(...frames.map((f) => f.pages)),
            texts: frames
              .flatMap((f) => f.texts)
              .map((t) => ({
                ...t,
                heightPx: round2(t.heightPx),
                contrast: t.contrast === null ? null : round2(t.contrast),
              })),
          });
        } catch (e) {
          out.push(failed(job, screenId, e));
        }
      }
    } catch (e) {
      for (const job of list) out.push(failed(job, screenId, e));
    } finally {
      await page
        ?.context()
        .close()
        .catch(() => undefined);
    }
  }
  return out;
}

function failed(job: MeasureJob, screen: string, e: unknown): ItemMeasure {
  const { resolution } = panelOf(job.screen);
  return {
    item: job.item.id,
    screen,
    viewport: resolution,
    pages: 1,
    texts: [],
    error: (e instanceof Error ? e.message : String(e)).slice(0, 500),
  };
}
