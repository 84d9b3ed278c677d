import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, expect, type Page } from "@playwright/test";
import { ROOT } from "../../harness/controllerProcess.ts";

/** What operators use: a 1366×768 laptop. */
export const VIEWPORT = { width: 1366, height: 768 };

/** Photographs a page for a person to look at, into test-results/<dir>. */
export async function shot(page: Page, dir: string, name: string): Promise<void> {
  const folder = join(ROOT, "test-results", dir);
  await mkdir(folder, { recursive: true });
  // let fonts and images settle: the photo is for a person to look at
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(folder, `${name}.png`) });
}

/** A fresh browser context at 1366×768, logged in to the console at `url` as `who`. */
export async function openConsole(
  browser: Browser,
  url: string,
  who: { username: string; password: string },
): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  await page.goto(`${url}/console/`);
  await page.getByLabel("Tên đăng nhập").fill(who.username);
  await page.getByLabel("Mật khẩu").fill(who.password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("navigation", { name: "Điều hướng chính" })).toBeVisible();
  return page;
}

/** The error shown beside the field a locator points into. */
export const fieldError = (page: Page, label: string) =>
  page.locator(".field", { has: page.getByLabel(label, { exact: true }) }).locator(".field-error");
