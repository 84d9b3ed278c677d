import { Workbox } from "workbox-window";

export interface Updates {
  /** A new version is installed and waits for a good moment. */
  readonly waiting: boolean;
  /** Activates the waiting version; the page reloads once it controls it. */
  apply(): void;
  /** Asks the server for a new version. */
  check(): void;
  /** Asks now, and says whether a new version is installing or waiting (it takes over at the next boundary). */
  fetch(): Promise<boolean>;
}

const none: Updates = {
  waiting: false,
  apply: () => undefined,
  check: () => undefined,
  fetch: () => Promise.resolve(false),
};

/**
 * Registers the service worker. A new version never takes over by itself: it waits until the player
 * calls `apply()` at an item boundary with no critical alert on screen; then skip-waiting and reload.
 */
export function setupUpdates(onError: (message: string) => void): Updates {
  if (import.meta.env.DEV || !("serviceWorker" in navigator)) return none;
  const base = import.meta.env.BASE_URL;
  const wb = new Workbox(`${base}sw.js`, { scope: base, type: "classic" });
  let waiting = false;
  let applying = false;
  wb.addEventListener("waiting", () => {
    waiting = true;
  });
  wb.addEventListener("controlling", (event) => {
    if (event.isUpdate || applying) location.reload();
  });
  wb.register().catch((e: unknown) => onError(`service worker: ${e instanceof Error ? e.message : String(e)}`));
  setInterval(() => void wb.update().catch(() => undefined), 30 * 60_000);
  return {
    get waiting() {
      return waiting;
    },
    apply() {
      if (!waiting || applying) return;
      applying = true;
      wb.messageSkipWaiting();
    },
    check() {
      void wb.update().catch(() => undefined);
    },
    async fetch() {
      try {
        await wb.update();
        const reg = await navigator.serviceWorker.getRegistration(base);
        return waiting || !!reg?.installing || !!reg?.waiting;
      } catch {
        return false;
      }
    },
  };
}
