/** WCAG 2 contrast between colours. Pure. */

export interface Rgba {
  r: number;
  g: number;
  b: number;
  /** 0–1 */
  a: number;
}

/** Text must reach this contrast against what is under it (WCAG 1.4.3); below it warns. */
export const MIN_CONTRAST = 4.5;

const channel = (c: number) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

/** Relative luminance of an sRGB colour (0 black … 1 white). */
export function luminance(c: Pick<Rgba, "r" | "g" | "b">): number {
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

/** WCAG contrast ratio (1–21) between two opaque colours. */
export function contrastRatio(a: Pick<Rgba, "r" | "g" | "b">, b: Pick<Rgba, "r" | "g" | "b">): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** `top` painted over an opaque `bottom`. */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top.a;
  return {
    r: top.r * a + bottom.r * (1 - a),
    g: top.g * a + bottom.g * (1 - a),
    b: top.b * a + bottom.b * (1 - a),
    a: 1,
  };
}

/** A CSS colour as computed styles give it (`rgb(…)`, `rgba(…)`, `#rgb`, `#rrggbb`, `#rrggbbaa`); null otherwise. */
export function parseColor(css: string): Rgba | null {
  const s = css.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(s)?.[1];
  if (hex) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join("") : hex;
    if (full.length !== 6 && full.length !== 8) return null;
    const n = (i: number) => Number.parseInt(full.slice(i, i + 2), 16);
    return { r: n(0), g: n(2), b: n(4), a: full.length === 8 ? n(6) / 255 : 1 };
  }
  const fn = /^rgba?\(([^)]*)\)$/.exec(s)?.[1];
  if (!fn) return null;
  const tokens = fn.split(/[\s,/]+/).filter(Boolean);
  if (tokens.length < 3 || tokens.length > 4) return null;
  const value = (t: string, full: number) =>
    t.endsWith("%") ? (Number.parseFloat(t) / 100) * full : Number.parseFloat(t);
  const [r, g, b] = tokens.slice(0, 3).map((t) => value(t, 255));
  const alpha = tokens[3] === undefined ? 1 : value(tokens[3], 1);
  if (r === undefined || g === undefined || b === undefined || ![r, g, b, alpha].every(Number.isFinite)) return null;
  return { r, g, b, a: Math.min(1, Math.max(0, alpha)) };
}

/**
 * The contrast text of one colour reaches over a background made of many pixels (an image under a
 * caption): each pixel against the text as it appears over that pixel (translucent text takes on its
 * background), and the ratio that `share` of the pixels reach at least (one bright speck in a photo
 * does not decide it alone). NaN without pixels.
 */
export function contrastOver(
  text: Pick<Rgba, "r" | "g" | "b"> & { a?: number },
  pixels: readonly Pick<Rgba, "r" | "g" | "b">[],
  share = 0.9,
): number {
  if (pixels.length === 0) return Number.NaN;
  const colour = { ...text, a: text.a ?? 1 };
  const ratios = pixels.map((p) => contrastRatio(over(colour, { ...p, a: 1 }), p)).sort((a, b) => a - b);
  const index = Math.min(ratios.length - 1, Math.max(0, Math.floor((1 - share) * ratios.length)));
  return ratios[index] ?? Number.NaN;
}
