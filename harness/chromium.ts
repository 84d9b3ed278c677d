/**
 * Debian's Chromium as every browser test and benchmark starts it: never a downloaded browser, and
 * none of its background calls to the internet (this machine has none; they fail loudly otherwise).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--autoplay-policy=no-user-gesture-required",
];
