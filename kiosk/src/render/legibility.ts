/**
 * How tall an item's text is on screen, from the fonts' own metrics (not the CSS font size): the cap
 * height of Latin text (Vietnamese, English) and the em box of Han text. The kiosk keeps every text at
 * or above its screen's minimum with it, and the readability check measures rendered items with it.
 */
import type { Language } from "@gatecast/playlists";

export type Script = "latin" | "han";

/** The elements that carry an item's own text (not the kiosk's header or category chip). */
export const ITEM_TEXT = ".notice-title, .notice-body, .caption-line";

export interface TextSample {
  lang: Language;
  script: Script;
  /** `title`, `body` or `caption`. */
  role: "title" | "body" | "caption";
  /** The CSS font size as rendered, px (transforms included). */
  fontPx: number;
  /** Latin cap height or Han em box as rendered, px. */
  heightPx: number;
  /** The computed text colour (CSS). */
  color: string;
  rect: { x: number; y: number; width: number; height: number };
  /** On screen now: inside its fitted box (a later page's text is laid out beside it, out of sight). */
  visible: boolean;
  text: string;
}

const ratios = new Map<string, { cap: number; em: number }>();
let canvas: CanvasRenderingContext2D | null | undefined;

/** Cap height (of "H") and em box (of "国"), per pixel of font size, for one font. */
export function fontRatios(weight: string, family: string): { cap: number; em: number } {
  const key = `${weight}|${family}`;
  const known = ratios.get(key);
  if (known) return known;
  canvas ??= document.createElement("canvas").getContext("2d");
  const ctx = canvas;
  // Noto Sans's own figures, should a canvas not be there
  let found = { cap: 0.714, em: 1 };
  if (ctx) {
    ctx.font = `${weight} 100px ${family}`;
    const h = ctx.measureText("H");
    const han = ctx.measureText("国");
    const em = (han.emHeightAscent ?? 0) + (han.emHeightDescent ?? 0);
    found = {
      cap: h.actualBoundingBoxAscent > 0 ? h.actualBoundingBoxAscent / 100 : found.cap,
      em: em > 0 ? em / 100 : 1,
    };
  }
  // only cache once the font is in: before, the canvas measures a fallback
  if (document.fonts?.status === "loaded" && document.fonts.check(`${weight} 100px ${family}`, "H"))
    ratios.set(key, found);
  return found;
}

const LANGS: Record<string, Language> = { vi: "vi", en: "en", zh: "zh", "zh-hans": "zh" };

function langOf(el: Element): Language {
  const tag = el.closest("[lang]")?.getAttribute("lang")?.toLowerCase() ?? "vi";
  return LANGS[tag] ?? (tag.startsWith("zh") ? "zh" : "en");
}

/** Every item text under `root` that is laid out (paged-away text included: it is the same size). */
export function measureTexts(root: ParentNode): TextSample[] {
  const out: TextSample[] = [];
  for (const el of root.querySelectorAll<HTMLElement>(ITEM_TEXT)) {
    const text = el.textContent?.trim() ?? "";
    if (!text || el.offsetHeight === 0) continue;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    // a scaled ancestor (offsetHeight is whole pixels: only a clear difference is a transform)
    const ratio = rect.height / el.offsetHeight;
    const scale = Math.abs(ratio - 1) > 0.05 ? ratio : 1;
    const fontPx = Number.parseFloat(style.fontSize) * scale;
    const clip = el.closest(".fit-box")?.getBoundingClientRect();
    const visible = clip
      ? rect.x < clip.right - 1 && rect.right > clip.left + 1 && rect.y < clip.bottom - 1 && rect.bottom > clip.top + 1
      : true;
    const lang = langOf(el);
    const script: Script = lang === "zh" ? "han" : "latin";
    const r = fontRatios(style.fontWeight, style.fontFamily);
    out.push({
      lang,
      script,
      role: el.classList.contains("caption-line")
        ? "caption"
        : el.classList.contains("notice-title")
          ? "title"
          : "body",
      fontPx,
      heightPx: fontPx * (script === "han" ? r.em : r.cap),
      color: style.color,
      rect: { x: rect.x, y: rect.y, width: rect.width, height: rect.height },
      visible,
      text,
    });
  }
  return out;
}

/** The smallest heights (px) text may have on this screen, per script. */
export interface Floor {
  latin: number;
  han: number;
}

/**
 * The smallest `--fs` (px) at which every item text under `content` is at least its floor, found
 * from the sizes at the current `--fs` (text scales with it); 0 when there is no text.
 */
export function readableFontSize(content: HTMLElement, currentFs: number, floor: Floor): number {
  let need = 0;
  for (const s of measureTexts(content)) {
    if (s.heightPx <= 0) continue;
    need = Math.max(need, (floor[s.script] * currentFs) / s.heightPx);
  }
  return need;
}
