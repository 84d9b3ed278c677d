import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUDGET, defaultDist, measure } from "../scripts/size.ts";

const built = existsSync(join(defaultDist, "index.html")) && existsSync(join(defaultDist, "sw.js"));
const title = built
  ? "initial JS ≤ 150 KB gzip and service worker ≤ 30 KB gzip"
  : "size budget not checked: kiosk/dist is absent (run `npm run build -w kiosk` first)";

describe("kiosk bundle size", () => {
  it.skipIf(!built)(title, () => {
    const r = measure();
    expect(r.initialJs.length).toBeGreaterThan(0);
    expect(r.initialJsGzip).toBeLessThanOrEqual(BUDGET.initialJsGzip);
    expect(r.serviceWorkerGzip).toBeLessThanOrEqual(BUDGET.serviceWorkerGzip);
    expect(r.precachedFonts).toBeGreaterThan(40);
  });
});
