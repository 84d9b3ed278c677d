import { type Browser, chromium } from "playwright-core";

/**
 * Debian's Chromium for printing (CHROMIUM_PATH, default /usr/bin/chromium), headless and with none of
 * its background calls to the internet.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
