// first: no schema may be built before zod is told not to use eval (the CSP forbids it)
import "@gatecast/playlists/jitless";
// Regular and bold faces of both families (vite.config.ts trims and completes these stylesheets).
import "@fontsource/noto-sans/400.css";
import "@fontsource/noto-sans-sc/400.css";
import "./styles/kiosk.css";
import { render } from "preact";
import { startKiosk } from "./app/kiosk.ts";
import { phase } from "./app/state.ts";
import { createClock, testHooksOn } from "./clock.ts";
import { App } from "./render/app.tsx";

// A kiosk has no pointer, no keyboard and nobody to select or right-click anything.
for (const type of ["contextmenu", "selectstart", "dragstart"]) {
  document.addEventListener(type, (e) => e.preventDefault());
}

const root = document.getElementById("app");
if (root) render(<App />, root);

if (!window.isSecureContext || !globalThis.crypto?.subtle) {
  // No service worker, no Cache Storage, no WebCrypto: nothing could be verified. Say so on screen.
  phase.value = { kind: "insecure" };
} else {
  // ?clock= and window.__gatecastClock only where the controller says tests run
  const clock = testHooksOn()
    ? createClock({ wall: () => Date.now(), hook: () => window.__gatecastClock, search: location.search })
    : createClock({ wall: () => Date.now() });
  startKiosk(clock).catch((e: unknown) => {
    console.error("gatecast: start-up failed", e);
    setTimeout(() => location.reload(), 30_000);
  });
}
