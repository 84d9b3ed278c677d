/**
 * What falls short on one screen for one item, from what the kiosk's renderer measured: text height
 * against the screen's viewing distance, contrast against what is under the text, and reading time
 * against the item's duration (each page's share when the kiosk pages it). Pure.
 */

import { z } from "zod";
import { itemTextFields } from "../schema/check.ts";
import { Id, Language, type Localized } from "../schema/common.ts";
import type { Item, ScreenPanel } from "../schema/content.ts";
import { MIN_CONTRAST } from "./contrast.ts";
import { type Script, screenScale, textMinimums } from "./geometry.ts";
import { readingTimes } from "./reading.ts";

export const ShortfallKind = z.enum(["text-size", "contrast", "reading-time", "unchecked"]);
export type ShortfallKind = z.infer<typeof ShortfallKind>;
export const ShortfallSeverity = z.enum(["blocking", "warning"]);
export type ShortfallSeverity = z.infer<typeof ShortfallSeverity>;

/** One item × screen × language that falls short of one rule. */
export const Shortfall = z.strictObject({
  item: Id,
  screen: Id,
  /** null: not one language's (the check could not render the item). */
  lang: Language.nullable(),
  kind: ShortfallKind,
  severity: ShortfallSeverity,
  /** What was measured and what is needed, in `unit` (mm of text height, contrast ratio, seconds). */
  measured: z.number(),
  required: z.number(),
  unit: z.enum(["mm", "ratio", "s"]),
  /** Pages the kiosk shows the text in on this screen (1: it fits). */
  pages: z.int().min(1),
  viewingDistanceM: z.number(),
  /** What went wrong, for `unchecked` (in English; for logs and the command line). */
  detail: z.string().max(500).optional(),
});
export type Shortfall = z.infer<typeof Shortfall>;

/** One text block as the renderer measured it. */
export const TextMeasure = z.strictObject({
  lang: Language,
  script: z.enum(["latin", "han"]),
  role: z.enum(["title", "body", "caption"]),
  /** Latin cap height or Han em box, in the page's CSS pixels. */
  heightPx: z.number().nonnegative(),
  /** Against what is under it (null: not measured). */
  contrast: z.number().min(1).nullable(),
});
export type TextMeasure = z.infer<typeof TextMeasure>;

export const ItemMeasure = z.strictObject({
  item: Id,
  screen: Id,
  /** The page's size in CSS pixels while measuring (the panel's resolution). */
  viewport: z.strictObject({ width: z.number().positive(), height: z.number().positive() }),
  pages: z.int().min(1),
  texts: z.array(TextMeasure),
  /** Set when the item could not be rendered: the check names it instead of passing it. */
  error: z.string().max(500).optional(),
});
export type ItemMeasure = z.infer<typeof ItemMeasure>;

/** The texts a reader reads on an item (a notice's title and body; a caption; a status board's rows). */
export const itemTexts = (item: Item): Localized[] => itemTextFields(item).map(([, text]) => text);

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Every shortfall of one measured item on one screen, blocking first. `durationS`: the item's
 * shortest turn on that screen (default: its own duration).
 */
export function judgeItem(item: Item, panel: ScreenPanel, m: ItemMeasure, durationS = item.duration): Shortfall[] {
  const base = { item: item.id, screen: m.screen, pages: m.pages, viewingDistanceM: panel.viewingDistanceM };
  if (m.error)
    return [
      {
        ...base,
        lang: null,
        kind: "unchecked",
        severity: "blocking",
        measured: 0,
        required: 0,
        unit: "mm",
        detail: m.error,
      },
    ];
  const out: Shortfall[] = [];
  const { mmPerPx } = screenScale(panel, m.viewport);
  const langs = [...new Set(m.texts.map((t) => t.lang))];
  for (const lang of langs) {
    const texts = m.texts.filter((t) => t.lang === lang);
    // the smallest text of each script in this language decides
    for (const script of ["latin", "han"] as Script[]) {
      const ofScript = texts.filter((t) => t.script === script);
      if (ofScript.length === 0) continue;
      const mm = Math.min(...ofScript.map((t) => t.heightPx)) * mmPerPx;
      const need = textMinimums(panel.viewingDistanceM, script);
      if (mm < need.minMm)
        out.push({
          ...base,
          lang,
          kind: "text-size",
          severity: "blocking",
          measured: round(mm),
          required: round(need.minMm),
          unit: "mm",
        });
      else if (mm < need.preferredMm)
        out.push({
          ...base,
          lang,
          kind: "text-size",
          severity: "warning",
          measured: round(mm),
          required: round(need.preferredMm),
          unit: "mm",
        });
    }
    const contrasts = texts.map((t) => t.contrast).filter((c): c is number => c !== null);
    if (contrasts.length) {
      const worst = Math.min(...contrasts);
      if (worst < MIN_CONTRAST)
        out.push({
          ...base,
          lang,
          kind: "contrast",
          severity: "warning",
          measured: round(worst, 2),
          required: MIN_CONTRAST,
          unit: "ratio",
        });
    }
  }
  const reading = readingTimes({
    texts: itemTexts(item),
    durationS,
    alternate: item.kind === "notice" && item.layout === "alternate",
    pages: m.pages,
  });
  for (const r of reading) {
    if (r.visibleS + 1e-9 >= r.needS) continue;
    out.push({
      ...base,
      lang: r.lang,
      kind: "reading-time",
      // a paged notice's pages are too short to read: the kiosk cannot make that up by shrinking
      severity: m.pages > 1 ? "blocking" : "warning",
      measured: round(r.visibleS),
      required: round(r.needS),
      unit: "s",
    });
  }
  return sortShortfalls(out);
}

const SEVERITY_ORDER: Record<ShortfallSeverity, number> = { blocking: 0, warning: 1 };
const KIND_ORDER: Record<ShortfallKind, number> = { unchecked: 0, "text-size": 1, "reading-time": 2, contrast: 3 };
const LANG_ORDER: Record<Language, number> = { vi: 0, zh: 1, en: 2 };

/** Blocking first, then by item, screen, kind and language: one stable order for lines, lists and hashes. */
export function sortShortfalls(list: readonly Shortfall[]): Shortfall[] {
  return [...list].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.item.localeCompare(b.item) ||
      a.screen.localeCompare(b.screen) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (a.lang ? LANG_ORDER[a.lang] : -1) - (b.lang ? LANG_ORDER[b.lang] : -1),
  );
}

export const isBlocking = (s: Pick<Shortfall, "severity">) => s.severity === "blocking";
