import {
  CROSSING_STATE_LABEL,
  GATE_STATUS_TEXT,
  itemTextFields,
  type Localized,
  type ManifestPayload,
  SOURCE_LABEL,
} from "@gatecast/playlists";
import { FAMILY_CJK, FAMILY_LATIN } from "../fonts.ts";

const WAIT_MS = 20_000;

function texts(m: ManifestPayload): Localized[] {
  const out: Localized[] = [m.gate.name];
  for (const item of m.items) {
    for (const [, text] of itemTextFields(item)) out.push(text);
    if (item.source) out.push(item.source.agency, SOURCE_LABEL);
    if (item.kind === "gate-status") {
      out.push(...Object.values(GATE_STATUS_TEXT), ...Object.values(CROSSING_STATE_LABEL));
      for (const r of item.rows) out.push(r.agency);
    }
  }
  for (const a of m.alerts) out.push(a.message);
  return out;
}

/**
 * Loads, before a manifest goes on screen, the font slices its texts need (rare Chinese characters are
 * not in the precache): the service worker keeps them, so they render later with no network.
 */
export async function preloadFonts(m: ManifestPayload, signal: AbortSignal): Promise<void> {
  const fonts = typeof document === "undefined" ? undefined : document.fonts;
  if (!fonts) return;
  const all = texts(m);
  const latin = all.flatMap((t) => [t.vi, t.en ?? ""]).join(" ");
  const cjk = all.map((t) => t.zh ?? "").join("");
  const loads = [400, 700].flatMap((w) => [
    fonts.load(`${w} 32px "${FAMILY_LATIN}"`, latin || "a"),
    ...(cjk ? [fonts.load(`${w} 32px "${FAMILY_CJK}"`, cjk)] : []),
  ]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.allSettled(loads),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, WAIT_MS);
      signal.addEventListener("abort", () => resolve(), { once: true });
    }),
  ]);
  clearTimeout(timer);
  signal.throwIfAborted();
}
