import type { ManifestPayload } from "@gatecast/playlists";
import { expect, type Page } from "@playwright/test";
import { adminApi } from "../../harness/controllerProcess.ts";

export const SCREENSHOTS = "test-results/kiosk-screens";

/** Opens the kiosk page, reads the pairing code it shows, claims it for `screenId`, waits for content. */
export async function pairKiosk(page: Page, url: string, screenId: string, query = "heartbeat=1000"): Promise<number> {
  await page.goto(`${url}/kiosk/?${query}`);
  const codeEl = page.locator(".pair-code[data-code]");
  await expect(codeEl).toHaveAttribute("data-code", /^[A-Z0-9]{6}$/, { timeout: 15_000 });
  const code = (await codeEl.getAttribute("data-code")) ?? "";
  const api = await adminApi(url);
  const claim = await api("POST", `/api/v1/pairings/${code}/claim`, { screenId });
  expect(claim.status).toBe(200);
  return manifestVersionOnScreen(page);
}

/** The manifest version the page shows, once it shows one. */
export async function manifestVersionOnScreen(page: Page, timeout = 15_000): Promise<number> {
  const screen = page.locator(".screen[data-manifest-version]");
  await expect(screen).toHaveCount(1, { timeout });
  return Number(await screen.getAttribute("data-manifest-version"));
}

/** The id of the item on the visible stage layer. */
export async function visibleItem(page: Page): Promise<string> {
  const layer = page.locator("[data-item].in").first();
  await expect(layer).toBeVisible({ timeout: 15_000 });
  // the crossfade is over: what a traveller sees, not a blend of two items
  await expect(layer).toHaveCSS("opacity", "1", { timeout: 5_000 });
  return (await layer.getAttribute("data-item")) ?? "";
}

export async function publishedManifest(url: string, screenId: string): Promise<ManifestPayload> {
  const api = await adminApi(url);
  const r = await api<ManifestPayload>("GET", `/api/v1/screens/${screenId}/manifest`);
  return r.body;
}

/** A kiosk clock running `speed` times faster than real time from `startIso`. */
export function fastClockScript(startIso: string, speed: number): string {
  return `(() => { const base = Date.parse(${JSON.stringify(startIso)}); const t0 = Date.now();
    window.__gatecastClock = { now: () => base + (Date.now() - t0) * ${speed} }; })();`;
}

/** Ids of the play records the kiosk still holds in IndexedDB (not yet acknowledged). */
export async function pendingPlayIds(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open("gatecast-kiosk");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction("plays", "readonly").objectStore("plays").getAllKeys();
          req.onsuccess = () => {
            resolve(req.result.map(String));
            db.close();
          };
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

/**
 * Collects Content-Security-Policy violations on a page (Chromium reports each on the console and as
 * a `securitypolicyviolation` event): call before the page loads anything.
 */
export async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  await page.exposeFunction("__gatecastCspViolation", (v: string) => seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __gatecastCspViolation?: (v: string) => void }).__gatecastCspViolation;
      report?.(`${e.violatedDirective}: ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`);
    });
  });
  return seen;
}
