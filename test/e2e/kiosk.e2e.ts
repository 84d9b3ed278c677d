import { mkdir } from "node:fs/promises";
import { type ManifestPayload, resolve } from "@gatecast/playlists";
import { expect, test } from "@playwright/test";
import { Store } from "../../controller/src/store/index.ts";
import { adminApi, type ControllerProcess, startControllerProcess } from "../../harness/controllerProcess.ts";
import {
  fastClockScript,
  pairKiosk,
  pendingPlayIds,
  publishedManifest,
  SCREENSHOTS,
  visibleItem,
} from "./kioskHelpers.ts";

/** An instant in the screen's program at which a notice with the given layout has just started. */
function instantShowing(m: ManifestPayload, from: number, layout: "stacked" | "side-by-side"): number {
  for (let t = from; t < from + 6 * 3_600_000; t += 1_000) {
    const r = resolve(m, t);
    if (r.item?.kind === "notice" && r.item.layout === layout && r.item.title.zh) return r.startsAt + 500;
  }
  throw new Error(`no ${layout} notice in the program`);
}

let c: ControllerProcess;
test.beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  c = await startControllerProcess();
});
test.afterAll(async () => {
  await c?.cleanup();
});

test.describe("kiosk against a real controller and the embedded broker", () => {
  test("pairs from scratch and plays the sample content in Vietnamese and Chinese (1920×1080)", async ({ page }) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    const version = await pairKiosk(page, c.url, "huu-nghi-arrivals-1");
    expect(version).toBeGreaterThanOrEqual(1);
    const manifest = await publishedManifest(c.url, "huu-nghi-arrivals-1");
    // Monday 07:00 at the gate: rush hour; pick the moment a stacked bilingual notice starts
    const at = instantShowing(manifest, Date.parse("2026-11-23T07:00:00+07:00"), "stacked");
    await page.goto(`${c.url}/kiosk/?heartbeat=1000&clock=${encodeURIComponent(new Date(at).toISOString())}`);
    const itemId = await visibleItem(page);
    const item = manifest.items.find((i) => i.id === itemId);
    if (item?.kind !== "notice") throw new Error(`expected a notice, got ${itemId}`);
    const layer = page.locator("[data-item].in");
    await expect(layer.locator('[lang="vi"]', { hasText: item.title.vi }).first()).toBeVisible();
    await expect(layer.locator('[lang="zh-Hans"]', { hasText: item.title.zh ?? "" }).first()).toBeVisible();
    // the gate's name in both languages in the header
    await expect(page.getByText("友谊国际口岸").first()).toBeVisible();
    await expect(page.getByText("Cửa khẩu Quốc tế Hữu Nghị").first()).toBeVisible();
    const fontsReady = await page.evaluate(() => document.fonts.ready.then(() => document.fonts.status));
    expect(fontsReady).toBe("loaded");
    await page.screenshot({ path: `${SCREENSHOTS}/landscape-1920x1080.png` });
  });

  test("a portrait screen (1080×1920) and a side-by-side notice", async ({ page }) => {
    await page.setViewportSize({ width: 1080, height: 1920 });
    await pairKiosk(page, c.url, "huu-nghi-departures-1");
    const manifest = await publishedManifest(c.url, "huu-nghi-departures-1");
    const at = instantShowing(manifest, Date.parse("2026-11-23T12:00:00+07:00"), "side-by-side");
    await page.goto(`${c.url}/kiosk/?clock=${encodeURIComponent(new Date(at).toISOString())}`);
    const itemId = await visibleItem(page);
    const item = manifest.items.find((i) => i.id === itemId);
    if (item?.kind !== "notice") throw new Error(`expected a notice, got ${itemId}`);
    await expect(page.locator("[data-item].in").locator('[lang="zh-Hans"]').first()).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/portrait-1080x1920.png` });
  });

  test("a new release is on screen within 2 s", async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const before = await pairKiosk(page, c.url, "tan-thanh-arrivals-1");
    const api = await adminApi(c.url);
    const item = await api<{ duration: number }>("GET", "/api/v1/items/notice-emergency");
    await api("PUT", "/api/v1/items/notice-emergency", { ...item.body, duration: item.body.duration + 1 });
    const t0 = Date.now();
    const release = await api("POST", "/api/v1/releases", { note: "kiosk e2e: new release" });
    expect(release.status).toBe(201);
    await expect(page.locator(".screen[data-manifest-version]")).not.toHaveAttribute(
      "data-manifest-version",
      String(before),
      {
        timeout: 2_000,
      },
    );
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  test("a critical alert takes over within 1 s and ends at its expiry with the browser offline", async ({
    page,
    context,
  }) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await pairKiosk(page, c.url, "huu-nghi-lorry-1");
    await visibleItem(page);
    const api = await adminApi(c.url);
    const now = Date.now();
    const sent = await api("POST", "/api/v1/alerts", {
      id: `fog-${now}`,
      severity: "critical",
      message: {
        vi: "Sương mù dày đặc: tạm dừng thông quan xe hàng",
        zh: "浓雾：货车暂停通关",
        en: "Dense fog: lorry clearance suspended",
      },
      targets: { gates: ["huu-nghi"] },
      startsAt: new Date(now - 1_000).toISOString(),
      expiresAt: new Date(now + 8_000).toISOString(),
    });
    expect(sent.status).toBe(201);
    const critical = page.locator(".critical");
    await expect(critical).toBeVisible({ timeout: 1_000 });
    await expect(critical.locator('[lang="zh-Hans"]', { hasText: "浓雾：货车暂停通关" })).toBeVisible();
    await expect(critical.locator('[lang="vi"]', { hasText: "Sương mù dày đặc" })).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/critical-alert-1920x1080.png` });
    await context.setOffline(true);
    await expect(critical).toBeHidden({ timeout: 12_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(now + 7_500);
    await context.setOffline(false);
    // the kiosk acked it once it was shown
    const view = await api<{ ackCount: number }>("GET", `/api/v1/alerts/fog-${now}`);
    expect(view.body.ackCount).toBeGreaterThanOrEqual(1);
  });

  test("a gate-status board in Vietnamese and Chinese drops an expired row by itself, browser offline", async ({
    page,
    context,
  }) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    const api = await adminApi(c.url);
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const agency = { vi: "Chi cục Hải quan cửa khẩu Hữu Nghị", zh: "友谊口岸海关分局" };
    const rows = [
      {
        crossing: { vi: "Làn xe hàng", zh: "货运通道" },
        state: "suspended",
        from: iso(now - 60_000),
        to: iso(now + 30_000),
        reason: { vi: "Sương mù dày đặc", zh: "浓雾" },
        agency,
        issuedAt: "2026-12-01T23:45:00Z",
      },
      {
        crossing: { vi: "Làn hành khách", zh: "旅客通道" },
        state: "open",
        hours: { from: "07:00", to: "20:00" },
        from: iso(now - 60_000),
        to: iso(now + 86_400_000),
        agency,
        issuedAt: "2026-12-01T23:00:00Z",
      },
    ];
    const puts = [
      api("PUT", "/api/v1/items/e2e-status", {
        kind: "gate-status",
        category: "procedure",
        gate: "huu-nghi",
        duration: 120,
        rows,
      }),
      api("PUT", "/api/v1/playlists/e2e-status", { name: "E2E gate status", items: ["e2e-status"] }),
    ];
    for (const r of await Promise.all(puts)) expect(r.status).toBeLessThan(300);
    const schedule = await api("PUT", "/api/v1/schedules/e2e-status", {
      playlist: "e2e-status",
      targets: { screens: ["huu-nghi-departures-1"] },
      priority: 1000,
    });
    expect(schedule.status).toBeLessThan(300);
    expect((await api("POST", "/api/v1/releases", { note: "kiosk e2e: gate status" })).status).toBe(201);
    await pairKiosk(page, c.url, "huu-nghi-departures-1");
    const board = page.locator("[data-item].in [data-testid=gate-status]");
    await expect(board).toBeVisible({ timeout: 15_000 });
    const suspended = board.locator("tr[data-state=suspended]");
    await expect(suspended.locator('[lang="vi"]', { hasText: "Làn xe hàng" })).toBeVisible();
    await expect(suspended.locator('[lang="zh-Hans"]', { hasText: "货运通道" })).toBeVisible();
    await expect(suspended).toContainText("Tạm dừng");
    await expect(suspended).toContainText("暂停通关");
    await expect(board.locator("tr[data-state=open]")).toContainText("07:00–20:00");
    // issued 23:45 UTC: 06:45 the next day at the gate
    await expect(board.getByTestId("gate-status-updated")).toContainText("Cập nhật lúc 06:45 02/12/2026");
    await expect(board.getByTestId("gate-status-updated")).toContainText("更新于 2026年12月2日 06:45");
    await page.screenshot({ path: `${SCREENSHOTS}/gate-status-1920x1080.png` });
    await context.setOffline(true);
    await expect(suspended).toHaveCount(0, { timeout: 40_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(now + 29_000);
    await expect(board.locator("tr[data-state=open]")).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/gate-status-expired-1920x1080.png` });
    await context.setOffline(false);
  });

  test("controller stopped, browser offline, page reloaded: the same schedule keeps playing, fonts included", async ({
    page,
    context,
  }) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    const version = await pairKiosk(page, c.url, "tan-thanh-lorry-1");
    await visibleItem(page);
    // the service worker controls the page before we cut the network
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
    await c.stop();
    await context.setOffline(true);
    const t0 = Date.now();
    await page.reload();
    await expect(page.locator(".screen[data-manifest-version]")).toHaveAttribute(
      "data-manifest-version",
      String(version),
      {
        timeout: 3_000,
      },
    );
    await visibleItem(page);
    expect(Date.now() - t0).toBeLessThan(3_000 + 1_000);
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.status === "loaded").map((f) => f.family);
    });
    expect(fonts.some((f) => /Noto Sans SC/.test(f))).toBe(true);
    expect(fonts.some((f) => /Noto Sans(?! SC)/.test(f))).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/offline-reload-1920x1080.png` });
    await context.setOffline(false);
    c = await c.restart();
  });

  test("proof-of-play recorded while the controller is down reaches it exactly once after reconnect", async ({
    page,
  }) => {
    // ten times real time: items change about every second
    await page.addInitScript(fastClockScript("2026-11-23T05:00:00+07:00", 10));
    await pairKiosk(page, c.url, "tan-thanh-lorry-1");
    const storedIds = async () => {
      const store = await Store.open(c.dataDir);
      try {
        return store.plays.playIds("tan-thanh-lorry-1");
      } finally {
        store.close();
      }
    };
    await expect.poll(async () => (await storedIds()).length, { timeout: 20_000 }).toBeGreaterThan(0);

    await c.stop();
    await expect.poll(async () => (await pendingPlayIds(page)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    const offline = await pendingPlayIds(page);
    const before = new Set(await storedIds());
    expect(offline.some((id) => before.has(id))).toBe(false);

    c = await c.restart();
    await expect
      .poll(
        async () => {
          const now = new Set(await storedIds());
          return offline.filter((id) => !now.has(id)).length;
        },
        { timeout: 40_000 },
      )
      .toBe(0);
    // acknowledged records leave the kiosk; every id is stored once (the play id is the key)
    await expect
      .poll(async () => (await pendingPlayIds(page)).filter((id) => offline.includes(id)).length, { timeout: 20_000 })
      .toBe(0);
    const all = await storedIds();
    expect(all.length).toBe(new Set(all).size);
  });
});
