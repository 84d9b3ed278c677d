import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { createPartialResponse } from "workbox-range-requests";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { CacheFirst } from "workbox-strategies";
import { FONT_CACHE, MEDIA_CACHE } from "./sync/cache-names.ts";

/*
 * The few service-worker globals used here, declared locally so the kiosk type-checks with the DOM lib
 * alone (pulling in lib.webworker would leak worker globals into every package of the root typecheck).
 */
interface ServiceWorkerScope {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
  registration: { scope: string };
  location: Location;
  skipWaiting(): Promise<void>;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
}
declare let self: ServiceWorkerScope;

// The app shell and the common font slices: a cold start with no network renders both scripts.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Any navigation inside the kiosk's scope gets the shell (query strings such as ?clock= are kept by the page).
const scope = new URL(self.registration.scope).pathname;
registerRoute(new NavigationRoute(createHandlerBoundToURL("index.html"), { allowlist: [new RegExp(`^${scope}`)] }));

// Media: answered from the kiosk's verified media cache, with Range support for video; the network
// only for a file not cached (the page downloads and verifies before it ever shows a file).
const MEDIA_PATH = /\/media\/[0-9a-f]{64}$/;
registerRoute(
  ({ request, url }) =>
    request.method === "GET" &&
    (MEDIA_PATH.test(url.pathname) || request.destination === "video" || request.destination === "image"),
  async ({ request }) => {
    const cache = await caches.open(MEDIA_CACHE);
    const cached = await cache.match(request.url, { ignoreVary: true });
    if (!cached) return fetch(request);
    if (request.headers.has("range")) return createPartialResponse(request, cached);
    return cached;
  },
);

// Font slices outside the precache (rare characters), kept once fetched.
registerRoute(
  ({ request, url }) => request.destination === "font" && url.origin === self.location.origin,
  new CacheFirst({ cacheName: FONT_CACHE }),
);

// A new version waits: the page decides when (an item boundary, no critical alert on screen).
self.addEventListener("message", (event) => {
  const data: unknown = event.data;
  if (typeof data === "object" && data !== null && (data as { type?: unknown }).type === "SKIP_WAITING") {
    void self.skipWaiting();
  }
});

clientsClaim();
