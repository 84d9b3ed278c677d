/**
 * Reading time: how long a moving reader needs for a text, per language. Pure.
 * About 4.5 Vietnamese syllables, 3 English words or 6 Han characters a second, never under 5 s.
 */
import type { Language } from "../schema/common.ts";

/** Texts by language (a `Localized`, or any part of one). */
export type Texts = Partial<Record<Language, string>>;

export const READING_RATE: Record<Language, number> = { vi: 4.5, en: 3, zh: 6 };
/** No message is read in less (a short sign still needs a glance, a second look and a decision). */
export const MIN_READING_S = 5;

const HAN = /\p{Script=Han}/gu;
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** What a reader of `lang` reads one by one: Han characters (plus any Latin words or numbers among them), or words/syllables. */
export function readingUnits(text: string, lang: Language): number {
  if (lang === "zh") {
    const han = text.match(HAN)?.length ?? 0;
    const rest = text.replace(HAN, " ").match(WORD)?.length ?? 0;
    return han + rest;
  }
  return text.match(WORD)?.length ?? 0;
}

/** Seconds a reader of `lang` needs for these texts together (at least `MIN_READING_S` when there is any). */
export function readingSeconds(texts: readonly (string | undefined)[], lang: Language): number {
  const units = texts.reduce((n, t) => n + (t ? readingUnits(t, lang) : 0), 0);
  return units === 0 ? 0 : Math.max(MIN_READING_S, units / READING_RATE[lang]);
}

export interface LanguageReading {
  lang: Language;
  /** Seconds needed. */
  needS: number;
  /** Seconds this language is on screen in one turn (each page's share when paged). */
  visibleS: number;
}

export interface ReadingInput {
  /** The texts of the item, per language (a notice's title and body, a caption). */
  texts: readonly (Texts | undefined)[];
  durationS: number;
  /** `alternate`: Vietnamese (with English) the first half, Chinese the second. */
  alternate?: boolean;
  /** Pages the kiosk shows the text in (1 when it fits); each page gets an equal share of the time. */
  pages?: number;
}

/**
 * Per language on the item: the time needed and the time visible. Each reader reads only their own
 * language, so the longest language decides, not the sum. Paged: each page is on screen for its
 * share of the time and holds about its share of the text (never under the 5 s minimum).
 */
export function readingTimes(input: ReadingInput): LanguageReading[] {
  const pages = Math.max(1, Math.floor(input.pages ?? 1));
  const langs = (["vi", "zh", "en"] as const).filter((l) => input.texts.some((t) => t?.[l]));
  const alternate = Boolean(input.alternate) && langs.includes("zh") && langs.length > 1;
  return langs.map((lang) => {
    const share = alternate ? 0.5 : 1;
    const whole = readingSeconds(
      input.texts.map((t) => t?.[lang]),
      lang,
    );
    const needS = pages > 1 ? Math.max(MIN_READING_S, whole / pages) : whole;
    return { lang, needS, visibleS: (input.durationS * share) / pages };
  });
}

/** The shortest duration (whole seconds) at which every language of the item is read in time. */
export function durationNeeded(input: Omit<ReadingInput, "durationS">): number {
  // visibleS grows in proportion to the duration: at 1 s it is the language's share of one second
  const perSecond = readingTimes({ ...input, durationS: 1 });
  return Math.max(0, Math.ceil(Math.max(0, ...perSecond.map((r) => r.needS / r.visibleS)) - 1e-9));
}
