import { describe, expect, it } from "vitest";
import { ChromiumMissingError, chromiumPath, DEFAULT_CHROMIUM_PATH, launchChromium, withChromium } from "./chromium.ts";

describe("the controller's Chromium", () => {
  it("is Debian's unless CHROMIUM_PATH names another", () => {
    expect(chromiumPath({})).toBe(DEFAULT_CHROMIUM_PATH);
    expect(chromiumPath({ CHROMIUM_PATH: "/opt/chromium/chrome" })).toBe("/opt/chromium/chrome");
    expect(() => chromiumPath({ CHROMIUM_PATH: "" })).toThrow(/CHROMIUM_PATH/);
  });

  it("renders a page headless and closes", async () => {
    const text = await withChromium(async (browser) => {
      const page = await browser.newPage({ viewport: { width: 400, height: 300 } });
      await page.setContent("<p lang='vi'>Cửa khẩu Hữu Nghị</p>");
      return page.textContent("p");
    });
    expect(text).toBe("Cửa khẩu Hữu Nghị");
  }, 60_000);

  it("names the missing binary and the setting", async () => {
    await expect(launchChromium({ env: { CHROMIUM_PATH: "/nonexistent/chromium" }, timeout: 5_000 })).rejects.toThrow(
      ChromiumMissingError,
    );
    await expect(launchChromium({ env: { CHROMIUM_PATH: "/nonexistent/chromium" }, timeout: 5_000 })).rejects.toThrow(
      /CHROMIUM_PATH/,
    );
  }, 30_000);
});
