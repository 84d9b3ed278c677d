import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { ScreenView } from "@gatecast/playlists/api";
import { expect, type Page, test } from "@playwright/test";
import {
  ADMIN_PASSWORD,
  adminApi,
  type ControllerProcess,
  ROOT,
  startControllerProcess,
} from "../../harness/controllerProcess.ts";
import { pairKiosk } from "./kioskHelpers.ts";

/**
 * Readable from where people stand (issue 14), on the fixture of a 55" landscape screen read from 5 m
 * and a 43" portrait one read from 8 m, with the controller's readability check on: a kiosk on the
 * portrait screen pages a long notice and never shows text below 0.0044 × 8 m (measured in the page
 * from the fonts); the item editor warns live for the chosen screen; the release page lists the
 * shortfalls and an approver releases anyway with a reason that the audit log keeps.
 */

const SHOTS = join(ROOT, "test-results/readability-screens");
const FIXTURE = join(ROOT, "controller/src/readability/fixtures/unreadable");

let c: ControllerProcess;
// each test renders in Chromium on the controller and in the browser: minutes on a loaded machine
test.describe.configure({ timeout: 150_000 });
test.beforeAll(async () => {
  c = await startControllerProcess({ env: { GATECAST_CONTENT: FIXTURE, READABILITY_CHECK: "on" } });
});
test.afterAll(async () => {
  await c?.cleanup();
});

async function shot(page: Page, name: string) {
  await mkdir(SHOTS, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

test("a long notice on a 43-inch portrait screen at 8 m is paged, every page's text at or above the minimum", async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await pairKiosk(page, c.url, "portrait-43");
  const notice = page.locator('.layer.in[data-item="long-rules"] .notice');
  await expect(notice).toBeVisible({ timeout: 30_000 });
  const pages = Number(await notice.getAttribute("data-pages"));
  expect(pages).toBeGreaterThan(1);

  // 43" at 1080×1920: 0.4958 mm a pixel; at 8 m Latin cap height ≥ 35.2 mm, Han em box ≥ 42.24 mm
  const mmPerPx = (43 * 25.4) / Math.hypot(1080, 1920);
  const seen = new Set<number>();
  for (let tries = 0; tries < 200 && seen.size < pages; tries++) {
    const page_ = Number(await notice.getAttribute("data-page"));
    if (!seen.has(page_)) {
      seen.add(page_);
      // what is on screen now: the text inside the box, its size from the font's own cap height / em box
      const sizes = await page.evaluate(() => {
        const layer = document.querySelector('.layer.in[data-item="long-rules"]');
        const box = layer?.querySelector(".fit-box")?.getBoundingClientRect();
        const ctx = document.createElement("canvas").getContext("2d");
        if (!layer || !box || !ctx) return [];
        return [...layer.querySelectorAll<HTMLElement>(".notice-title, .notice-body")]
          .filter((el) => {
            const r = el.getBoundingClientRect();
            return r.right > box.left + 1 && r.left < box.right - 1;
          })
          .map((el) => {
            const s = getComputedStyle(el);
            const han = el.closest("[lang]")?.getAttribute("lang") === "zh-Hans";
            ctx.font = `${s.fontWeight} 100px ${s.fontFamily}`;
            const m = ctx.measureText(han ? "国" : "H");
            // the em box: the font's em square (Chromium may not expose emHeight*; it is then the font size)
            const em = (m.emHeightAscent ?? 0) + (m.emHeightDescent ?? 0) || 100;
            const ratio = han ? em / 100 : m.actualBoundingBoxAscent / 100;
            return { han, px: Number.parseFloat(s.fontSize) * ratio };
          });
      });
      expect(sizes.length).toBeGreaterThan(0);
      for (const s of sizes) expect(s.px * mmPerPx).toBeGreaterThanOrEqual(s.han ? 42.24 - 0.05 : 35.2 - 0.05);
      await shot(page, `kiosk-portrait-page-${page_ + 1}-of-${pages}`);
    }
    await page.waitForTimeout(100);
  }
  expect(seen.size).toBe(pages);

  // the heartbeat says so: paged, and the window's real size
  const api = await adminApi(c.url);
  await expect
    .poll(async () => (await api<ScreenView>("GET", "/api/v1/screens/portrait-43")).body, { timeout: 15_000 })
    .toMatchObject({ viewport: { width: 1080, height: 1920 }, paging: { item: "long-rules", pages } });
  await context.close();
});

test("the item editor warns live for the chosen screen; the approver releases anyway with a reason, audited", async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${c.url}/console/`);
  await page.getByLabel("Tên đăng nhập").fill("admin");
  await page.getByLabel("Mật khẩu").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();

  await page.goto(`${c.url}/console/library/items/long-rules`);
  await page.getByTestId("preview-screen").selectOption("screen:portrait-43");
  const live = page.getByTestId("readability-live");
  await expect(live.locator('[data-severity="blocking"]').first()).toContainText("trang, mỗi trang", {
    timeout: 15_000,
  });
  await expect(live).toContainText(/chữ cao [\d,.]+ mm — nên từ 46,4 mm ở 8 m/);
  await shot(page, "editor-live-warning");
  // shorter text: it fits on fewer pages, the warning follows as the editor types
  const body = page.getByRole("textbox", { name: /^Nội dung/ }).first();
  const original = await body.inputValue();
  const before = await live.textContent();
  await body.fill("Người và phương tiện vào khu vực biên giới phải có giấy tờ hợp lệ.");
  await expect.poll(() => live.textContent(), { timeout: 15_000 }).not.toBe(before);
  await body.fill(original);
  await expect.poll(() => live.textContent(), { timeout: 15_000 }).toBe(before);

  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Phát hành" }).click();
  // a change to release
  const api = await adminApi(c.url);
  const item = (await api<Record<string, unknown>>("GET", "/api/v1/items/short-passport")).body;
  expect((await api("PUT", "/api/v1/items/short-passport", { ...item, duration: 12 })).status).toBe(200);
  await page.reload();
  const rows = page.locator('[data-testid="shortfall"][data-severity="blocking"]');
  await expect(rows).toHaveCount(6, { timeout: 60_000 });
  await expect(rows.first()).toContainText("Quy định khu vực biên giới");
  await page.getByTestId("release-note").fill("Phát hành thử");
  await page.getByTestId("release-submit").click();
  await expect(page.getByText("ít nhất 10 ký tự").first()).toBeVisible();
  const reason = "Thông báo tạm thời, sẽ rút gọn trước thứ Hai";
  await page.getByTestId("release-reason").fill(reason);
  await shot(page, "release-with-reason");
  await page.getByTestId("release-submit").click();
  await expect(page.getByText(/Đã phát hành bản \d+/).first()).toBeVisible({ timeout: 15_000 });

  const audit = (await api<{ action: string; actor: string; after: { reason: string } }[]>("GET", "/api/v1/audit"))
    .body;
  expect(audit.find((e) => e.action === "release-despite-readability")).toMatchObject({
    actor: "admin",
    after: { reason },
  });
  await context.close();
});
