/**
 * The screen preview: the kiosk's own renderer, stylesheet and text fitting (`@gatecast/kiosk/preview`),
 * run in an iframe the console sizes to the screen's pixels, fed by messages instead of a signed manifest.
 *
 * The console loads this page as the iframe's `srcdoc` (the controller forbids framing its pages), so
 * the document is same-origin with the console but its `location` is about:srcdoc: origins come from
 * `window.origin`.
 */
// first: no schema may be built before zod is told not to use eval (the CSP forbids it)
import "@gatecast/playlists/jitless";
import "@fontsource/noto-sans/400.css";
import "@fontsource/noto-sans/700.css";
import "@fontsource/noto-sans-sc/400.css";
import "@fontsource/noto-sans-sc/700.css";
import { startPreview } from "@gatecast/kiosk/preview";
import { isPreviewShow, type PreviewFitted } from "../screen/protocol.ts";

const root = document.getElementById("app");
if (root) {
  const preview = startPreview(root, {
    origin: window.origin,
    onFit: (fit) => {
      const msg: PreviewFitted = { type: "gatecast-preview-fitted", ...fit };
      window.parent.postMessage(msg, window.origin);
    },
  });
  // the readability check drives this page directly (headless Chromium, no console around it)
  (window as Window & { gatecastPreview?: typeof preview }).gatecastPreview = preview;
  window.addEventListener("message", (e: MessageEvent<unknown>) => {
    if (e.origin !== window.origin || !isPreviewShow(e.data)) return;
    preview.show(e.data);
  });
  window.parent.postMessage({ type: "gatecast-preview-ready" }, window.origin);
}
