/**
 * The kiosk's renderer, stylesheet and text fitting for a preview outside a kiosk (the console's
 * screen preview): fed one frame at a time instead of a signed manifest. Exported as
 * `@gatecast/kiosk/preview`; the kiosk's state stays its own.
 */
import "./styles/kiosk.css";
import {
  type Alert,
  type Gate,
  type Item,
  MANIFEST_FORMAT,
  type ManifestPayload,
  type MediaRef,
  type Screen,
} from "@gatecast/playlists";
import { render } from "preact";
import { startFrames } from "./app/frames.ts";
import { services } from "./app/services.ts";
import { alerts, now, phase, slot, sync } from "./app/state.ts";
import { systemClock } from "./clock.ts";
import { App } from "./render/app.tsx";
import { measureTexts, type TextSample } from "./render/legibility.ts";

export type { TextSample } from "./render/legibility.ts";

/** What the screen shows: one item's turn (or none: the welcome screen), with the gate's alerts. */
export interface PreviewFrame {
  gate: Gate;
  screen: Screen;
  item: Item | null;
  playlist: string | null;
  /** The item's turn on screen (ms): the progress bar and alternating notices follow it. */
  startsAt: number;
  endsAt: number;
  alerts: Alert[];
  /** Media the item may name, with the URL the kiosk would fetch it from. */
  media: MediaRef[];
  webHosts: string[];
}

/** How large the kiosk could make the item's text (small means too much text), in screen pixels. */
export interface PreviewFit {
  fontPx: number | null;
  /** Which text: a notice's body, or a caption over an image, a video or a web page. */
  text: "notice" | "caption" | null;
  /** The pages the kiosk shows the text in (1: it fits at or above the screen's readable size). */
  pages: number;
  /** Each text block's measured height (cap height, Han em box), in the page's pixels. */
  texts: TextSample[];
  viewport: { width: number; height: number };
}

export interface Preview {
  show(frame: PreviewFrame): void;
  /** Once the frame shown has settled (fonts, media, fitting): what its text measures. */
  measure(): Promise<PreviewFit>;
  /** Hides (or shows again) the item's text, to see what is under it. */
  hideText(hidden: boolean): void;
}

function manifestOf(f: PreviewFrame): ManifestPayload {
  const at = new Date().toISOString();
  return {
    format: MANIFEST_FORMAT,
    screenId: f.screen.id,
    version: 1,
    release: 0,
    issuedAt: at,
    expiresAt: at,
    gate: f.gate,
    screen: f.screen,
    schedules: [],
    playlists: [],
    items: f.item ? [f.item] : [],
    alerts: f.alerts,
    webHosts: f.webHosts,
    media: f.media,
  };
}

const topLayer = () => {
  const layers = document.querySelectorAll<HTMLElement>(".layer");
  return layers[layers.length - 1] ?? null;
};

/** The font size the top layer's text was fitted to, its pages and its text's measured heights, once fonts are in. */
function measureFit(): PreviewFit {
  const layer = topLayer();
  const box = layer?.querySelector<HTMLElement>(".notice .fit-box, .caption .fit-box");
  const fs = box ? Number.parseFloat(getComputedStyle(box).getPropertyValue("--fs")) : Number.NaN;
  const pages = box ? Number(box.dataset.pages ?? "1") : 1;
  return {
    fontPx: Number.isFinite(fs) ? fs : null,
    text: box ? (box.closest(".notice") ? "notice" : "caption") : null,
    pages: Number.isFinite(pages) && pages >= 1 ? pages : 1,
    texts: layer ? measureTexts(layer) : [],
    viewport: { width: window.innerWidth, height: window.innerHeight },
  };
}

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/** Fonts in, images decoded, videos showing a frame (each given a few seconds at most), layout done. */
async function settled(): Promise<void> {
  const bounded = (p: Promise<unknown>) =>
    Promise.race([p.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 4_000))]);
  await bounded(document.fonts.ready);
  const layer = topLayer();
  if (layer) {
    // the stage shows a layer once its item says it is ready (text fitted, media decoded)
    await bounded(
      new Promise<void>((resolve) => {
        const poll = () => (layer.classList.contains("in") || !layer.isConnected ? resolve() : setTimeout(poll, 20));
        poll();
      }),
    );
    const imgs = [...layer.querySelectorAll("img")].map((img) => bounded(img.decode()));
    const videos = [...layer.querySelectorAll("video")].map((v) =>
      v.readyState >= 2
        ? Promise.resolve()
        : bounded(new Promise((resolve) => v.addEventListener("loadeddata", resolve))),
    );
    await Promise.all([...imgs, ...videos]);
  }
  await frame();
  await frame();
  await bounded(document.fonts.ready);
}

/**
 * Renders the kiosk into `root`. Media URLs resolve against `origin`; `onFit` hears the fitted text
 * size after each frame (it settles as fonts and media load, so it is measured a few times).
 */
export function startPreview(root: HTMLElement, opts: { origin: string; onFit?: (fit: PreviewFit) => void }): Preview {
  services.origin = opts.origin;
  setInterval(() => {
    now.value = Date.now();
  }, 250);
  startFrames(systemClock);
  render(<App />, root);

  let lastTurn: number | null = null;
  let fitTimers: ReturnType<typeof setTimeout>[] = [];
  return {
    show(f) {
      // an edit of the item on screen replaces it at once; a new turn (next item, next loop) crossfades as on a gate
      document.documentElement.classList.toggle("instant", f.startsAt === lastTurn);
      lastTurn = f.startsAt;
      now.value = Date.now();
      phase.value = { kind: "paired", screenId: f.screen.id };
      const manifest = manifestOf(f);
      sync.value = {
        connected: true,
        current: { envelope: { payload: {}, keyId: "preview", signature: "preview" }, manifest },
        pending: null,
        media: { ready: f.media.length, total: f.media.length },
        gateAlerts: null,
      };
      alerts.value = f.alerts;
      slot.value = f.item
        ? {
            key: `${f.startsAt}:${JSON.stringify(f.item)}`,
            item: f.item,
            playlist: f.playlist,
            startsAt: f.startsAt,
            endsAt: f.endsAt,
          }
        : null;
      for (const t of fitTimers) clearTimeout(t);
      const onFit = opts.onFit;
      if (onFit)
        fitTimers = [150, 600, 1500].map((ms) =>
          setTimeout(() => void document.fonts.ready.then(() => onFit(measureFit())), ms),
        );
    },
    async measure() {
      await settled();
      return measureFit();
    },
    hideText(hidden) {
      document.documentElement.classList.toggle("measure-no-text", hidden);
    },
  };
}
