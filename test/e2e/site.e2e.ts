import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test } from "@playwright/test";
import {
  adminApi,
  adminSession,
  CONTROLLER_BUNDLE,
  type ControllerProcess,
  ROOT,
  startControllerProcess,
} from "../../harness/controllerProcess.ts";

/**
 * The gate site on a traveller's phone (360×780, no JavaScript): the controller's `/site/` without a
 * login, and the exported copy opened from `file://`. Photographed into test-results/site-screens.
 * Then the console's leaflet button downloads a PDF.
 */

const PHONE = { width: 360, height: 780 };
const SHOTS = join(ROOT, "test-results/site-screens");

let c: ControllerProcess;
test.beforeAll(async () => {
  c = await startControllerProcess();
});
test.afterAll(async () => {
  await c?.cleanup();
});

/** Waits (bounded) for the background build of the first release's site. */
async function siteReady(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await fetch(`${url}/site/release.json`)).status !== 200) {
    if (Date.now() > deadline) throw new Error("the gate site was not built");
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a phone shows an item's page in both languages, without login or JavaScript", async ({ browser }) => {
  await siteReady(c.url);
  await mkdir(SHOTS, { recursive: true });
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(`${c.url}/site/`);
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await page.getByRole("link", { name: "Cửa khẩu Quốc tế Hữu Nghị" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cửa khẩu Quốc tế Hữu Nghị");
  await page.screenshot({ path: join(SHOTS, "gate-huu-nghi.png"), fullPage: true });
  await page.getByRole("link", { name: "Quy định khu vực biên giới" }).click();

  const vi = page.locator('section[lang="vi"]');
  const zh = page.locator('section[lang="zh-Hans"]');
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quy định khu vực biên giới");
  await expect(vi).toContainText("Bộ đội Biên phòng");
  await expect(zh.getByRole("heading")).toHaveText("边境地区管理规定");
  await expect(zh).toContainText("严禁经小道、便道非法出入境");
  await expect(vi).toBeInViewport();
  // stacked on a phone: nothing wider than the screen
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await page.screenshot({ path: join(SHOTS, "item-vi.png"), fullPage: true });

  // the Chinese page, its own language first
  await page.getByRole("link", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hans");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("边境地区管理规定");
  await expect(page.locator('section[lang="vi"] h2')).toHaveText("Quy định khu vực biên giới");
  // Vietnamese on a Chinese page keeps a Latin font: a CJK font's Vietnamese marks are wrong (tờ → tớ)
  const viFont = await page.locator('section[lang="vi"]').evaluate((e) => getComputedStyle(e).fontFamily);
  expect(viFont).toMatch(/^system-ui/);
  await page.screenshot({ path: join(SHOTS, "item-zh.png"), fullPage: true });

  await page.goto(`${c.url}/site/items/promo-mau-son.html`);
  const img = page.locator("figure img");
  await expect(img).toHaveAttribute("alt", "Mẫu Sơn — biển mây trên đỉnh núi, mát lạnh quanh năm");
  expect(await img.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(720);
  await page.screenshot({ path: join(SHOTS, "item-image.png"), fullPage: true });
  await context.close();
});

test("the exported site works from file://", async ({ browser }) => {
  const api = await adminApi(c.url);
  const now = Date.now();
  const alert = await api("POST", "/api/v1/alerts", {
    id: "e2e-lane-closed",
    severity: "critical",
    message: {
      vi: "Làn xe khách tạm đóng đến 14 giờ, đi theo hướng dẫn của Bộ đội Biên phòng",
      zh: "客车通道临时关闭至14时，请听从边防部队指引",
    },
    targets: { gates: ["tan-thanh"] },
    startsAt: new Date(now - 60_000).toISOString(),
    expiresAt: new Date(now + 3_600_000).toISOString(),
  });
  expect(alert.status).toBe(201);
  // the controller's own copy follows the notice by itself
  await expect
    .poll(async () => (await fetch(`${c.url}/site/urgent.zh.html`)).text(), { timeout: 20_000 })
    .toContain("客车通道临时关闭至14时");
  const out = await mkdtemp(join(tmpdir(), "gatecast-site-e2e-"));
  try {
    execFileSync(process.execPath, [CONTROLLER_BUNDLE, "site", join(out, "site")], {
      env: { ...process.env, DATA_DIR: c.dataDir },
      stdio: "pipe",
    });
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(out, "site/index.zh.html")).href);
    await page.getByRole("link", { name: "新清口岸" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("新清口岸");
    await expect(page.locator(".alert.critical")).toContainText("客车通道临时关闭至14时");
    await page.screenshot({ path: join(SHOTS, "file-gate-tan-thanh-zh.png"), fullPage: true });
    await page.getByRole("link", { name: "现行紧急通知" }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("现行紧急通知");
    await expect(page.locator('.alert p[lang="vi"]')).toHaveText(
      "Làn xe khách tạm đóng đến 14 giờ, đi theo hướng dẫn của Bộ đội Biên phòng",
    );
    await page.screenshot({ path: join(SHOTS, "file-urgent-zh.png"), fullPage: true });
    await context.close();
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test("the console's leaflet button downloads a PDF of the items shown", async ({ browser }) => {
  const { cookie } = await adminSession(c.url);
  const [name, value] = cookie.split("=") as [string, string];
  const context = await browser.newContext({ acceptDownloads: true });
  await context.addCookies([{ name, value, url: c.url }]);
  const page = await context.newPage();
  await page.goto(`${c.url}/console/library?q=${encodeURIComponent("hải quan")}`);
  const button = page.getByTestId("leaflet-A5");
  await expect(button).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const file = join(SHOTS, "leaflet-from-console.pdf");
  await download.saveAs(file);
  expect((await readFile(file)).subarray(0, 5).toString()).toBe("%PDF-");
  expect(download.suggestedFilename()).toMatch(/^gatecast-leaflet-[a-z0-9-]+-A5\.pdf$/);
  await context.close();
});
