import type { Drawable, ScriptTools, ToSimplified } from "./check.ts";
import { KIOSK_GLYPHS } from "./kioskGlyphs.ts";
import { decodeRanges, inRanges } from "./ranges.ts";

export * from "./check.ts";
export * from "./ranges.ts";
export { KIOSK_GLYPHS };

/**
 * `@gatecast/playlists/script`: the script checks with their data. The console imports it lazily
 * and the controller at start; the kiosk never does (OpenCC's tables are large).
 */

let drawable: Drawable | undefined;
/** Whether the kiosk's bundled fonts draw a code point. */
export function kioskDraws(codePoint: number): boolean {
  drawable ??= inRanges(decodeRanges(KIOSK_GLYPHS));
  return drawable(codePoint);
}

type OpenCC = typeof import("opencc-js/t2cn");

/** The checks' tools over opencc-js: Traditional (Taiwan, Hong Kong or standard) → mainland Simplified. */
export function scriptToolsOf(opencc: Pick<OpenCC, "Converter">): ScriptTools {
  const tw = opencc.Converter({ from: "tw", to: "cn" });
  const hk = opencc.Converter({ from: "hk", to: "cn" });
  const toSimplified: ToSimplified = (s) => hk(tw(s));
  return { toSimplified, drawable: kioskDraws };
}

let tools: Promise<ScriptTools> | undefined;
/** The tools with OpenCC's tables loaded on first use (the console: a chunk of its own). */
export function loadScriptTools(): Promise<ScriptTools> {
  tools ??= import("opencc-js/t2cn").then(scriptToolsOf);
  return tools;
}
