import type { Language, Localized } from "@gatecast/playlists";

/** The BCP 47 tag for each content language, for the `lang` attribute (fonts and line breaking follow it). */
export const LANG_TAG: Record<Language, string> = { vi: "vi", zh: "zh-Hans", en: "en" };

export const LANGUAGES: readonly Language[] = ["vi", "zh", "en"];

/** Languages present in any of the texts, in display order. */
export function languagesOf(...texts: (Localized | undefined)[]): Language[] {
  return LANGUAGES.filter((l) => texts.some((t) => t?.[l]));
}
