/** Screens are Full HD panels; the inventory records only their orientation. */
export type Orientation = "landscape" | "portrait";

export const SCREEN_SIZE: Record<Orientation, { width: number; height: number }> = {
  landscape: { width: 1920, height: 1080 },
  portrait: { width: 1080, height: 1920 },
};

export const LANGS = ["vi", "zh", "en"] as const;
export type ScreenLang = (typeof LANGS)[number];

/**
 * Below this share of the screen's short side, fitted text is hard to read from a few metres: a
 * notice's body (about 30 px on a Full HD screen), a caption band's line (about 22 px).
 */
export const SMALL_TEXT_SHARE = { notice: 0.028, caption: 0.02 } as const;
