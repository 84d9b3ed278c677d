import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Screen } from "../schema/content.ts";
import { arcMinutes, HAN_FACTOR, minTextPx, mmPerPixel, panelSizeMm, screenScale, textMinimums } from "./geometry.ts";

const landscape55 = { diagonalInches: 55, viewingDistanceM: 5, resolution: { width: 1920, height: 1080 } };
const portrait43 = { diagonalInches: 43, viewingDistanceM: 8, resolution: { width: 1080, height: 1920 } };

describe("panel geometry", () => {
  it("a 55-inch full-HD panel is 1218 × 685 mm with 0.63 mm pixels", () => {
    const { widthMm, heightMm } = panelSizeMm(landscape55);
    expect(widthMm).toBeCloseTo(1217.6, 1);
    expect(heightMm).toBeCloseTo(684.9, 1);
    expect(mmPerPixel(landscape55)).toBeCloseTo(0.6342, 4);
  });

  it("a 43-inch portrait panel is 535 × 952 mm with 0.50 mm pixels", () => {
    const { widthMm, heightMm } = panelSizeMm(portrait43);
    expect(widthMm).toBeCloseTo(535.5, 1);
    expect(heightMm).toBeCloseTo(951.9, 1);
    expect(mmPerPixel(portrait43)).toBeCloseTo(0.4958, 4);
  });

  it("the diagonal squared is the width squared plus the height squared, for any panel", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 7, max: 300, noNaN: true }),
        fc.integer({ min: 320, max: 16384 }),
        fc.integer({ min: 320, max: 16384 }),
        (diagonalInches, width, height) => {
          const p = { diagonalInches, resolution: { width, height } };
          const { widthMm, heightMm } = panelSizeMm(p);
          expect(Math.hypot(widthMm, heightMm)).toBeCloseTo(diagonalInches * 25.4, 6);
          expect(widthMm / heightMm).toBeCloseTo(width / height, 6);
          expect(mmPerPixel(p) * width).toBeCloseTo(widthMm, 6);
        },
      ),
    );
  });

  it("screenScale at the panel's own resolution: CSS pixels are panel pixels", () => {
    const s = screenScale(landscape55);
    expect(s.pxPerMmX).toBeCloseTo(1 / mmPerPixel(landscape55), 9);
    expect(s.pxPerMmY).toBeCloseTo(s.pxPerMmX, 9);
    expect(s.mmPerPx).toBeCloseTo(mmPerPixel(landscape55), 9);
    // a 15 mm touch target on a 55-inch panel
    expect(Math.ceil(15 * s.pxPerMm)).toBe(24);
  });

  it("screenScale follows the real viewport (a kiosk at device scale 1.5 has fewer CSS pixels)", () => {
    const s = screenScale(landscape55, { width: 1280, height: 720 });
    expect(s.pxPerMmX).toBeCloseTo(1280 / 1217.6, 3);
    expect(s.mmPerPx).toBeCloseTo(mmPerPixel(landscape55) * 1.5, 6);
    // stretched: the larger density wins so a target is at least that many mm both ways
    const odd = screenScale(landscape55, { width: 1920, height: 1200 });
    expect(odd.pxPerMm).toBe(odd.pxPerMmY);
    expect(odd.pxPerMmY).toBeGreaterThan(odd.pxPerMmX);
    // nonsense viewports fall back to the panel's resolution
    expect(screenScale(landscape55, { width: 0, height: 0 }).pxPerMmX).toBeCloseTo(s.pxPerMmX * 1.5, 6);
  });
});

describe("arc-minute thresholds", () => {
  it("22 mm at 5 m is needed, 29 mm preferred; Han 1.2 × both", () => {
    expect(textMinimums(5, "latin").minMm).toBeCloseTo(22, 6);
    expect(textMinimums(5, "latin").preferredMm).toBeCloseTo(29, 6);
    expect(textMinimums(5, "han").minMm).toBeCloseTo(26.4, 6);
    expect(textMinimums(8, "latin").minMm).toBeCloseTo(35.2, 6);
    expect(textMinimums(8, "han").preferredMm).toBeCloseTo(0.0058 * 8000 * HAN_FACTOR, 6);
  });

  it("the minimum subtends 15 minutes of arc and the preferred 20, at any distance", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.3, max: 100, noNaN: true }), (d) => {
        const { minMm, preferredMm } = textMinimums(d, "latin");
        expect(arcMinutes(minMm, d)).toBeCloseTo(15.13, 1);
        expect(arcMinutes(preferredMm, d)).toBeCloseTo(19.94, 1);
        expect(textMinimums(d, "han").minMm).toBeCloseTo(minMm * 1.2, 9);
      }),
    );
  });

  it("minTextPx: 35 px of cap height on a 55-inch at 5 m, 71 px on a 43-inch portrait at 8 m", () => {
    expect(minTextPx(landscape55, "latin")).toBeCloseTo(22 / 0.6342, 1);
    expect(minTextPx(portrait43, "latin")).toBeCloseTo(35.2 / 0.4958, 1);
    expect(minTextPx(portrait43, "han")).toBeCloseTo((35.2 * 1.2) / 0.4958, 1);
  });
});

describe("screen panel defaults", () => {
  const base = { id: "s1", gate: "g1", name: "S1" };
  it("55 inches, 5 m, full HD turned with the screen", () => {
    expect(Screen.parse(base).panel).toEqual({
      diagonalInches: 55,
      viewingDistanceM: 5,
      resolution: { width: 1920, height: 1080 },
    });
    expect(Screen.parse({ ...base, orientation: "portrait" }).panel?.resolution).toEqual({ width: 1080, height: 1920 });
    expect(Screen.parse({ ...base, panel: { diagonalInches: 43 } }).panel).toEqual({
      diagonalInches: 43,
      viewingDistanceM: 5,
      resolution: { width: 1920, height: 1080 },
    });
  });

  it("keeps what is given and names a bad field", () => {
    const p = { diagonalInches: 32, viewingDistanceM: 2.5, resolution: { width: 1366, height: 768 } };
    expect(Screen.parse({ ...base, panel: p }).panel).toEqual(p);
    const bad = Screen.safeParse({ ...base, panel: { diagonalInches: 2 } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["panel", "diagonalInches"]);
    expect(Screen.safeParse({ ...base, panel: { colour: "red" } }).success).toBe(false);
  });
});
