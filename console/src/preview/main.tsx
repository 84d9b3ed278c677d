/**
 * The screen preview: the kiosk's own renderer, stylesheet and text fitting (kiosk/src/render), run in
 * an iframe the console sizes to the screen's pixels, fed by messages instead of a signed manifest.
 *
 * The console loads this page as the iframe's `srcdoc` (the controller forbids framing its pages), so
 * the document is same-origin with the console but its `location` is about:srcdoc: origins come from
 * `window.origin`.
 */
import "@fontsource/noto-sans/400.css";
import "@fontsource/noto-sans/700.css";
import "@fontsource/noto-sans-sc/400.css";
import "@fontsource/noto-sans-sc/700.css";
import "@gatecast/kiosk/src/styles/kiosk.css";
import { startFrames } from "@gatecast/kiosk/src/app/frames.ts";
import { services } from "@gatecast/kiosk/src/app/services.ts";
import { alerts, now, phase, slot, sync } from "@gatecast/kiosk/src/app/state.ts";
import { systemClock } from "@gatecast/kiosk/src/clock.ts";
import { App } from "@gatecast/kiosk/src/render/app.tsx";
import { MANIFEST_FORMAT, type ManifestPayload } from "@gatecast/playlists";
import { render } from "preact";
import { isPreviewShow, type PreviewFitted, type PreviewShow } from "../screen/protocol.ts";

function manifestOf(d: PreviewShow): ManifestPayload {
  const at = new Date().toISOString();
  return {
    format: MANIFEST_FORMAT,
    screenId: d.screen.id,
    version: 1,
    release: 0,
    issuedAt: at,
    expiresAt: at,
    gate: d.gate,
    screen: d.screen,
    schedules: [],
    playlists: [],
    items: d.item ? [d.item] : [],
    alerts: d.alerts,
    webHosts: d.webHosts,
    media: d.media,
  };
}

let fitTimers: ReturnType<typeof setTimeout>[] = [];

/** Tells the console how large the kiosk could make the item's text (small means too much text). */
function reportFit(): void {
  for (const t of fitTimers) clearTimeout(t);
  const send = () => {
    const layers = document.querySelectorAll<HTMLElement>(".layer");
    const top = layers[layers.length - 1];
    const box = top?.querySelector<HTMLElement>(".notice .fit-box, .caption .fit-box");
    const fs = box ? Number.parseFloat(getComputedStyle(box).getPropertyValue("--fs")) : Number.NaN;
    const text = box ? (box.closest(".notice") ? "notice" : "caption") : null;
    const msg: PreviewFitted = { type: "gatecast-preview-fitted", fontPx: Number.isFinite(fs) ? fs : null, text };
    window.parent.postMessage(msg, window.origin);
  };
  fitTimers = [150, 600, 1500].map((ms) => setTimeout(() => void document.fonts.ready.then(send), ms));
}

let lastTurn: number | null = null;

function show(d: PreviewShow): void {
  const manifest = manifestOf(d);
  // an edit of the item on screen replaces it at once; a new turn (next item, next loop) crossfades as on a gate
  document.documentElement.classList.toggle("instant", d.startsAt === lastTurn);
  lastTurn = d.startsAt;
  now.value = Date.now();
  phase.value = { kind: "paired", screenId: d.screen.id };
  sync.value = {
    connected: true,
    current: { envelope: { payload: {}, keyId: "preview", signature: "preview" }, manifest },
    pending: null,
    media: { ready: d.media.length, total: d.media.length },
    gateAlerts: null,
  };
  alerts.value = d.alerts;
  slot.value = d.item
    ? {
        key: `${d.startsAt}:${JSON.stringify(d.item)}`,
        item: d.item,
        playlist: d.playlist,
        startsAt: d.startsAt,
        endsAt: d.endsAt,
      }
    : null;
  reportFit();
}

services.origin = window.origin;

window.addEventListener("message", (e: MessageEvent<unknown>) => {
  if (e.origin !== window.origin || !isPreviewShow(e.data)) return;
  show(e.data);
});

setInterval(() => {
  now.value = Date.now();
}, 250);
startFrames(systemClock);

const root = document.getElementById("app");
if (root) render(<App />, root);
window.parent.postMessage({ type: "gatecast-preview-ready" }, window.origin);
