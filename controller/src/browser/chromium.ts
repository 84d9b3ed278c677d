/**
 * Headless Chromium for what the controller renders itself (readability checks, printable leaflets):
 * Debian's `chromium` (never a downloaded browser) driven through playwright-core, with none of its
 * background calls to the internet. `CHROMIUM_PATH` names another binary.
 */
import type { Browser, LaunchOptions } from "playwright-core";
import { z } from "zod";

export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/** Flags every Chromium the project starts carries (the tests' harness adds its own on top). */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const Env = z.object({ CHROMIUM_PATH: z.string().min(1, { error: "CHROMIUM_PATH is empty" }).optional() });

/** The Chromium binary: `CHROMIUM_PATH`, else Debian's. */
export function chromiumPath(env: Record<string, string | undefined> = process.env): string {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "CHROMIUM_PATH is invalid");
  return parsed.data.CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH;
}

export class ChromiumMissingError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot start Chromium at ${path} (install Debian's chromium, or set CHROMIUM_PATH): ${String(cause)}`, {
      cause,
    });
    this.name = "ChromiumMissingError";
  }
}

/**
 * Starts a headless Chromium. playwright-core is loaded on first use, so processes that never render
 * (the kiosk's server side, most CLI commands) do not pay for it. Close the browser when done.
 */
export async function launchChromium(
  opts: { args?: readonly string[]; env?: Record<string, string | undefined> } & Pick<LaunchOptions, "timeout"> = {},
): Promise<Browser> {
  const path = chromiumPath(opts.env);
  const { chromium } = await import("playwright-core");
  try {
    return await chromium.launch({
      executablePath: path,
      headless: true,
      args: [...CHROMIUM_FLAGS, ...(opts.args ?? [])],
      timeout: opts.timeout ?? 30_000,
    });
  } catch (e) {
    throw new ChromiumMissingError(path, e);
  }
}

/** Runs `fn` with a fresh browser and always closes it. */
export async function withChromium<T>(
  fn: (browser: Browser) => Promise<T>,
  opts?: Parameters<typeof launchChromium>[0],
): Promise<T> {
  const browser = await launchChromium(opts);
  try {
    return await fn(browser);
  } finally {
    await browser.close().catch(() => undefined);
  }
}
