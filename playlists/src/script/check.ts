import type { DomainIssueCode } from "../issues.ts";
import { itemTextFields } from "../schema/check.ts";
import type { Alert, Category, Content, Item } from "../schema/content.ts";
import { ZH_REQUIRED } from "../schema/content.ts";

/*
 * Script checks on the texts an operator types: Traditional-only Chinese in a Simplified field,
 * Vietnamese (or other Latin text) standing in for Chinese, and characters the kiosk's fonts cannot
 * draw. Pure: the Traditional → Simplified conversion (OpenCC's tables) and the fonts' coverage are
 * passed in, so the kiosk never loads them. In border-law, procedure and alert texts these are errors
 * (refused at save and at release); elsewhere warnings. Stored releases are never re-checked.
 */

/** Simplified Chinese of a text, as OpenCC's Traditional → Simplified (mainland) conversion gives it. */
export type ToSimplified = (text: string) => string;
/** Whether the kiosk's bundled fonts draw a code point. */
export type Drawable = (codePoint: number) => boolean;

export interface ScriptTools {
  toSimplified: ToSimplified;
  drawable: Drawable;
}

export type ScriptCode = Extract<DomainIssueCode, "traditional-chinese" | "not-chinese" | "undrawable">;

export interface ScriptIssue {
  /** Inside the object: `title.zh`, `message.vi`. */
  path: (string | number)[];
  code: ScriptCode;
  /** `error` in texts whose Chinese is required (refused), `warning` elsewhere. */
  severity: "error" | "warning";
  params: Record<string, string>;
  message: string;
}

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /\p{Script=Latin}[\p{Script=Latin}\p{M}]*/gu;
const IGNORED = /^(?:\s|\u200b|\u200c|\u200d|\ufe0e|\ufe0f)$/u;

/** Traditional-only characters of a text (each once, in order) and the Simplified text, or null. */
export function traditionalOf(text: string, toSimplified: ToSimplified): { chars: string; simplified: string } | null {
  if (!HAN.test(text)) return null;
  const simplified = toSimplified(text);
  if (simplified === text) return null;
  const a = [...text];
  const b = [...simplified];
  const found = new Set<string>();
  const sameLength = a.length === b.length;
  for (const [i, c] of a.entries()) {
    if (!HAN.test(c)) continue;
    if (sameLength ? c !== b[i] : toSimplified(c) !== c && !b.includes(c)) found.add(c);
  }
  return found.size ? { chars: [...found].join(""), simplified } : null;
}

/**
 * Latin words in a Chinese text that are not Chinese: Vietnamese (letters with tone or vowel marks,
 * đ), or a text with no Chinese character at all. Acronyms in capitals (ASEAN, VNĐ) and plain Latin
 * words beside Chinese (km, WiFi) pass.
 */
export function latinInChinese(text: string): string | null {
  const words = text.normalize("NFD").match(LATIN_WORD) ?? [];
  const vietnamese = words.filter((w) => (/\p{M}/u.test(w) || /[đĐ]/.test(w)) && w !== w.toUpperCase());
  if (vietnamese.length) return vietnamese.map((w) => w.normalize("NFC")).join(" ");
  if (!HAN.test(text) && words.some((w) => w.length > 1)) return words.join(" ");
  return null;
}

/** Characters of a text the fonts cannot draw (each once, in order), or null. */
export function undrawableOf(text: string, drawable: Drawable): string | null {
  const found = new Set<string>();
  for (const c of text.normalize("NFC")) {
    if (IGNORED.test(c)) continue;
    const cp = c.codePointAt(0) ?? 0;
    if (!drawable(cp)) found.add(c);
  }
  return found.size ? [...found].join("") : null;
}

const MESSAGES: Record<ScriptCode, string> = {
  "traditional-chinese": "Traditional Chinese characters in a Simplified Chinese text",
  "not-chinese": "not Chinese: Latin or Vietnamese text in the Chinese field",
  undrawable: "characters the kiosk's fonts cannot draw",
};

/** The problems of one localized text (`{vi, zh, en}`) at `base`. */
export function scriptIssuesOfText(
  text: Partial<Record<"vi" | "zh" | "en", string>> | undefined,
  base: (string | number)[],
  strict: boolean,
  tools: ScriptTools,
): ScriptIssue[] {
  if (!text) return [];
  const out: ScriptIssue[] = [];
  const severity = strict ? "error" : "warning";
  const add = (lang: string, code: ScriptCode, params: Record<string, string>) =>
    out.push({ path: [...base, lang], code, severity, params, message: MESSAGES[code] });
  for (const lang of ["vi", "zh", "en"] as const) {
    const s = text[lang];
    if (!s) continue;
    if (lang === "zh") {
      const trad = traditionalOf(s, tools.toSimplified);
      if (trad) add(lang, "traditional-chinese", trad);
      const latin = latinInChinese(s);
      if (latin) add(lang, "not-chinese", { words: latin });
    }
    const bad = undrawableOf(s, tools.drawable);
    if (bad) add(lang, "undrawable", { chars: bad });
  }
  return out;
}

const strictFor = (category: Category) => ZH_REQUIRED.has(category);

/** An item's problems, inside the item (`title.zh`). */
export function scriptIssuesOfItem(item: Item, tools: ScriptTools): ScriptIssue[] {
  const strict = strictFor(item.category);
  return itemTextFields(item).flatMap(([path, text]) => scriptIssuesOfText(text, path, strict, tools));
}

/** An urgent notice's problems (always errors: it is the alert category). */
export const scriptIssuesOfAlert = (alert: Pick<Alert, "message">, tools: ScriptTools): ScriptIssue[] =>
  scriptIssuesOfText(alert.message, ["message"], true, tools);

/** Every problem of a content, inside it (`items.3.title.zh`), with the object's id. */
export function scriptIssuesOfContent(
  content: Pick<Content, "items" | "alerts">,
  tools: ScriptTools,
): (ScriptIssue & { kind: "item" | "alert"; id: string })[] {
  return [
    ...content.items.flatMap((it, i) =>
      scriptIssuesOfItem(it, tools).map((x) => ({
        ...x,
        path: ["items", i, ...x.path],
        kind: "item" as const,
        id: it.id,
      })),
    ),
    ...content.alerts.flatMap((a, i) =>
      scriptIssuesOfAlert(a, tools).map((x) => ({
        ...x,
        path: ["alerts", i, ...x.path],
        kind: "alert" as const,
        id: a.id,
      })),
    ),
  ];
}
