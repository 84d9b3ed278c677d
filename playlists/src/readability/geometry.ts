/**
 * Readability geometry: how large a screen's pixels are, and how large text must be to be read from
 * where people stand. Pure; no DOM.
 *
 * Thresholds follow NUREG-0700 (character height subtending at least 15 minutes of arc, about 20
 * preferred): 0.0044 × viewing distance blocks a release below it, 0.0058 × distance warns. Han
 * characters carry more strokes in the same box, so their em box must be 1.2 × the Latin cap height.
 */
import type { PanelResolution, ScreenPanel } from "../schema/content.ts";

export const MM_PER_INCH = 25.4;
/** Latin cap height below this × viewing distance blocks (15′ of arc). */
export const MIN_CAP_RATIO = 0.0044;
/** Latin cap height below this × viewing distance warns (20′ of arc). */
export const PREFERRED_CAP_RATIO = 0.0058;
/** Han em box needed, relative to the Latin cap height needed. */
export const HAN_FACTOR = 1.2;

/** The panel's width and height in millimetres (square pixels; the diagonal split by the resolution's aspect). */
export function panelSizeMm(panel: Pick<ScreenPanel, "diagonalInches" | "resolution">): {
  widthMm: number;
  heightMm: number;
} {
  const { width, height } = panel.resolution;
  const diagonalPx = Math.hypot(width, height);
  const diagonalMm = panel.diagonalInches * MM_PER_INCH;
  return { widthMm: (diagonalMm * width) / diagonalPx, heightMm: (diagonalMm * height) / diagonalPx };
}

/** Millimetres per panel pixel. */
export function mmPerPixel(panel: Pick<ScreenPanel, "diagonalInches" | "resolution">): number {
  return (panel.diagonalInches * MM_PER_INCH) / Math.hypot(panel.resolution.width, panel.resolution.height);
}

export interface ScreenScale {
  widthMm: number;
  heightMm: number;
  /** CSS pixels per millimetre across and down (they differ when the viewport is stretched). */
  pxPerMmX: number;
  pxPerMmY: number;
  /** The larger of the two: `mm × pxPerMm` CSS pixels cover at least `mm` in both directions (touch targets). */
  pxPerMm: number;
  /** Millimetres per CSS pixel down (text height): `1 / pxPerMmY`. */
  mmPerPx: number;
}

/**
 * How CSS pixels map to millimetres on this panel. `viewport`: the page's real size in CSS pixels
 * (a kiosk's `innerWidth × innerHeight`); absent, the panel's own resolution (scale 1).
 */
export function screenScale(
  panel: Pick<ScreenPanel, "diagonalInches" | "resolution">,
  viewport?: PanelResolution | { width: number; height: number },
): ScreenScale {
  const { widthMm, heightMm } = panelSizeMm(panel);
  const vp = viewport && viewport.width > 0 && viewport.height > 0 ? viewport : panel.resolution;
  const pxPerMmX = vp.width / widthMm;
  const pxPerMmY = vp.height / heightMm;
  return { widthMm, heightMm, pxPerMmX, pxPerMmY, pxPerMm: Math.max(pxPerMmX, pxPerMmY), mmPerPx: 1 / pxPerMmY };
}

/** The angle (minutes of arc) a height subtends from a distance. */
export function arcMinutes(heightMm: number, distanceM: number): number {
  return (2 * Math.atan(heightMm / 2 / (distanceM * 1000)) * 180 * 60) / Math.PI;
}

/** Which script a measured text height belongs to: Latin (cap height) or Han (em box). */
export type Script = "latin" | "han";

export interface TextMinimums {
  /** Below this blocks a release (mm). */
  minMm: number;
  /** Below this warns (mm). */
  preferredMm: number;
}

/** The heights text must have at a viewing distance: Latin cap height or Han em box. */
export function textMinimums(distanceM: number, script: Script): TextMinimums {
  const factor = script === "han" ? HAN_FACTOR : 1;
  const mm = distanceM * 1000;
  return { minMm: MIN_CAP_RATIO * mm * factor, preferredMm: PREFERRED_CAP_RATIO * mm * factor };
}

/** The smallest CSS pixel height text may have on this panel from its viewing distance (what the kiosk keeps to). */
export function minTextPx(panel: ScreenPanel, script: Script, viewport?: { width: number; height: number }): number {
  return textMinimums(panel.viewingDistanceM, script).minMm * screenScale(panel, viewport).pxPerMmY;
}
