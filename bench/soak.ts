/**
 * Kiosk soak: the real kiosk (the controller's /kiosk/ build, paired the way a technician pairs it) in
 * Debian's headless Chromium, playing 2-second items, images and videos mixed, for a long while. Reads
 * the JS heap (after a forced GC), DOM nodes and media elements after a warm-up and at the end.
 */

import { type ItemSpec, itemIdOf, makePng, setupGate, waitFor } from "@gatecast/sim";
import { type Browser, chromium, type Page } from "@playwright/test";
import { z } from "zod";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../harness/chromium.ts";
import type { Installation } from "../harness/installation.ts";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Runs in the page: records `ms` of a canvas animation with MediaRecorder, resolves with base64 WebM. */
const RECORD_WEBM = `async (ms, hue) => {
  const canvas = document.createElement("canvas");
  canvas.width = 320;
  canvas.height = 180;
  document.body.append(canvas);
  const g = canvas.getContext("2d");
  const rec = new MediaRecorder(canvas.captureStream(25), { mimeType: "video/webm;codecs=vp8", videoBitsPerSecond: 400000 });
  const chunks = [];
  rec.ondataavailable = (e) => chunks.push(e.data);
  const done = new Promise((resolve) => { rec.onstop = resolve; });
  const t0 = performance.now();
  function draw() {
    const t = performance.now() - t0;
    g.fillStyle = "hsl(" + hue + ", 60%, 35%)";
    g.fillRect(0, 0, 320, 180);
    g.fillStyle = "#fff";
    g.beginPath();
    g.arc(40 + ((t / ms) * 240) % 240, 90, 30, 0, Math.PI * 2);
    g.fill();
    g.font = "24px sans-serif";
    g.fillText("gatecast " + Math.round(t), 10, 30);
    if (rec.state === "recording") requestAnimationFrame(draw);
  }
  rec.start(250);
  draw();
  await new Promise((r) => setTimeout(r, ms));
  rec.stop();
  await done;
  const buf = new Uint8Array(await new Blob(chunks, { type: "video/webm" }).arrayBuffer());
  let s = "";
  for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(s);
}`;

/**
 * A small WebM made inside Chromium: a canvas animation recorded with MediaRecorder (VP8), no download.
 * `hue` tells two videos apart.
 */
export async function makeWebm(browser: Browser, seconds: number, hue: number): Promise<Uint8Array> {
  const page = await browser.newPage();
  try {
    // a string, not a function: tsx would wrap the function's inner functions in a helper the page lacks
    const b64 = await page.evaluate<string>(`(${RECORD_WEBM})(${seconds * 1000}, ${hue})`);
    return new Uint8Array(Buffer.from(b64, "base64"));
  } finally {
    await page.close();
  }
}

export interface SoakSample {
  atS: number;
  /** V8 heap in use after a forced garbage collection (CDP Runtime.getHeapUsage). */
  heapUsedBytes: number;
  /** Most elements in the document at once since the previous sample. */
  domElements: number;
  /** Nodes the renderer holds, attached or not (CDP Memory.getDOMCounters). */
  domNodes: number;
  jsEventListeners: number;
  /** Most `img` and `video` elements at once since the previous sample. */
  mediaElements: number;
  /** Item on screen when sampled. */
  item: string;
}

export interface SoakRow {
  minutes: number;
  warmupS: number;
  items: number;
  start: SoakSample;
  end: SoakSample;
  heapGrowthPct: number;
  domElementsDelta: number;
  domNodesDelta: number;
  mediaElementsDelta: number;
  /** Plays the controller stored for the soak screen. */
  plays: number;
  pageErrors: string[];
  samples: SoakSample[];
}

/**
 * Counts elements and media elements every 100 ms in the page and keeps the peak since the last read:
 * a reading then covers whole playlist cycles, not one moment of a crossfade or a video preload.
 */
const PEAK_SAMPLER = `(() => {
  if (!window.__gatecastSoak) {
    const state = { elements: 0, media: 0 };
    window.__gatecastSoak = state;
    setInterval(() => {
      state.elements = Math.max(state.elements, document.getElementsByTagName("*").length);
      state.media = Math.max(state.media, document.querySelectorAll("img, video").length);
    }, 100);
  }
})()`;
const READ_PEAKS = `(() => {
  const s = window.__gatecastSoak;
  if (!s) return null;
  const out = { elements: s.elements, media: s.media };
  s.elements = 0;
  s.media = 0;
  return out;
})()`;

/**
 * Reads the page when `item` has just come on screen and its crossfade is over (every sample at the same
 * point of the playlist): the heap after a forced GC and the renderer's node count, with the peak element
 * and media element counts since the previous sample.
 */
async function sample(page: Page, t0: number, item: string): Promise<SoakSample> {
  // a function, not a string: the kiosk's Content-Security-Policy forbids eval
  await page.waitForFunction(
    (id) => {
      const l = document.querySelector("[data-item].in");
      return !!l && l.getAttribute("data-item") === id && getComputedStyle(l).opacity === "1";
    },
    item,
    { timeout: 60_000, polling: 50 },
  );
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send("HeapProfiler.collectGarbage");
    const heap = await cdp.send("Runtime.getHeapUsage");
    const counters = await cdp.send("Memory.getDOMCounters");
    let peaks = await page.evaluate<{ elements: number; media: number } | null>(READ_PEAKS);
    if (!peaks) {
      // the page reloaded (an app update or the watchdog): count again from now
      await page.evaluate(PEAK_SAMPLER);
      await new Promise((r) => setTimeout(r, 200));
      peaks = (await page.evaluate<{ elements: number; media: number } | null>(READ_PEAKS)) ?? {
        elements: 0,
        media: 0,
      };
    }
    return {
      atS: Math.round((Date.now() - t0) / 1000),
      heapUsedBytes: heap.usedSize,
      domElements: peaks.elements,
      domNodes: counters.nodes,
      jsEventListeners: counters.jsEventListeners,
      mediaElements: peaks.media,
      item,
    };
  } finally {
    await cdp.detach();
  }
}

const PlaysReport = z.object({ rows: z.array(z.object({ key: z.string(), plays: z.number() })) });

export interface SoakOptions {
  minutes: number;
  warmupS: number;
  sampleEveryS: number;
  gate?: string;
  screenId?: string;
  log?: (line: string) => void;
}

export async function benchSoak(env: Installation, browser: Browser, opts: SoakOptions): Promise<SoakRow> {
  const gate = opts.gate ?? "bench-soak";
  const screenId = opts.screenId ?? `${gate}-1`;
  const videos = [await makeWebm(browser, 2, 200), await makeWebm(browser, 2, 20)];
  const media = [];
  for (let i = 0; i < 4; i++) media.push(await env.api.upload(`soak-${i}.png`, makePng(640, 360, 50 + i), "image/png"));
  for (const [i, v] of videos.entries()) media.push(await env.api.upload(`soak-${i}.webm`, v, "video/webm"));
  const [img1, img2, img3, img4, vid1, vid2] = media.map((m) => m.sha256) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const items: ItemSpec[] = [
    { kind: "image", seconds: 2, media: img1 },
    { kind: "video", seconds: 2, media: vid1 },
    { kind: "image", seconds: 2, media: img2 },
    { kind: "notice", seconds: 2 },
    { kind: "image", seconds: 2, media: img3 },
    { kind: "video", seconds: 2, media: vid2 },
    { kind: "image", seconds: 2, media: img4 },
  ];
  await setupGate(env.api, { gate, items }, "bench: soak playlist");

  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  try {
    const startedAt = new Date().toISOString();
    await page.goto(`${env.controller.url}/kiosk/`);
    // the element renders before its code arrives: wait for a real one
    const code = await waitFor(
      async () => {
        const shown = await page
          .locator(".pair-code[data-code]")
          .getAttribute("data-code")
          .catch(() => null);
        return shown && /^[A-Z0-9]{6}$/.test(shown) ? shown : undefined;
      },
      30_000,
      "the kiosk's pairing code",
      100,
    );
    await env.api.must("POST", `/api/v1/pairings/${code}/claim`, { screenId, gate, name: "Soak screen" });
    await env.syncBroker();
    await page.locator(".screen[data-manifest-version]").waitFor({ timeout: 60_000 });
    const t0 = Date.now();
    await page.evaluate(PEAK_SAMPLER);
    opts.log?.(`soak (${env.kind}): paired as ${screenId}, warming up ${opts.warmupS} s`);
    await new Promise((r) => setTimeout(r, opts.warmupS * 1000));
    const first = itemIdOf(gate, 0);
    const samples = [await sample(page, t0, first)];
    const end = t0 + (opts.warmupS + opts.minutes * 60) * 1000;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, Math.min(opts.sampleEveryS * 1000, Math.max(0, end - Date.now()))));
      samples.push(await sample(page, t0, first));
      const last = samples[samples.length - 1];
      if (last)
        opts.log?.(
          `soak (${env.kind}) ${last.atS}s: heap ${(last.heapUsedBytes / 1_048_576).toFixed(1)} MB, ${last.domElements} elements, ${last.domNodes} nodes, ${last.mediaElements} media`,
        );
    }
    const report = await env.api.must(
      "GET",
      `/api/v1/reports/plays?from=${encodeURIComponent(startedAt)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}&groupBy=screen`,
      undefined,
      PlaysReport,
    );
    const start = samples[0] as SoakSample;
    const last = samples[samples.length - 1] as SoakSample;
    return {
      minutes: opts.minutes,
      warmupS: opts.warmupS,
      items: items.length,
      start,
      end: last,
      heapGrowthPct: Math.round(((last.heapUsedBytes - start.heapUsedBytes) / start.heapUsedBytes) * 1000) / 10,
      domElementsDelta: last.domElements - start.domElements,
      domNodesDelta: last.domNodes - start.domNodes,
      mediaElementsDelta: last.mediaElements - start.mediaElements,
      plays: report.rows.find((r) => r.key === screenId)?.plays ?? 0,
      pageErrors: pageErrors.slice(0, 20),
      samples,
    };
  } finally {
    await context.close();
  }
}
