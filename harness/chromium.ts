/**
 * Debian's Chromium as every browser test and benchmark starts it: never a downloaded browser, and
 * none of its background calls to the internet (this machine has none; they fail loudly otherwise).
 * The flags are the controller's own launcher's (`controller/src/browser/chromium.ts`), plus autoplay.
 */
import { CHROMIUM_FLAGS, chromiumPath } from "../controller/src/browser/chromium.ts";

export const CHROMIUM_PATH = chromiumPath();

export const CHROMIUM_ARGS = [...CHROMIUM_FLAGS, "--autoplay-policy=no-user-gesture-required"];
