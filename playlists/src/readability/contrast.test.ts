import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contrastOver, contrastRatio, luminance, MIN_CONTRAST, over, parseColor } from "./contrast.ts";

const white = { r: 255, g: 255, b: 255 };
const black = { r: 0, g: 0, b: 0 };

describe("WCAG contrast", () => {
  it("black on white is 21:1, a colour on itself 1:1", () => {
    expect(contrastRatio(black, white)).toBeCloseTo(21, 9);
    expect(contrastRatio(white, black)).toBeCloseTo(21, 9);
    expect(contrastRatio({ r: 120, g: 30, b: 200 }, { r: 120, g: 30, b: 200 })).toBe(1);
  });

  it("matches the WCAG reference figures", () => {
    // #767676 on white is the lightest grey that passes 4.5:1
    expect(contrastRatio({ r: 0x76, g: 0x76, b: 0x76 }, white)).toBeCloseTo(4.54, 2);
    expect(contrastRatio({ r: 0x77, g: 0x77, b: 0x77 }, white)).toBeLessThan(MIN_CONTRAST);
    expect(luminance({ r: 255, g: 0, b: 0 })).toBeCloseTo(0.2126, 4);
  });

  it("is symmetric and between 1 and 21 for any two colours", () => {
    const c = fc.record({
      r: fc.integer({ min: 0, max: 255 }),
      g: fc.integer({ min: 0, max: 255 }),
      b: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(c, c, (a, b) => {
        const ab = contrastRatio(a, b);
        expect(ab).toBeCloseTo(contrastRatio(b, a), 12);
        expect(ab).toBeGreaterThanOrEqual(1);
        expect(ab).toBeLessThanOrEqual(21 + 1e-9);
      }),
    );
  });

  it("composites translucent colours over what is under them", () => {
    const half = over({ r: 0, g: 0, b: 0, a: 0.5 }, { ...white, a: 1 });
    expect(half).toEqual({ r: 127.5, g: 127.5, b: 127.5, a: 1 });
    expect(over({ ...white, a: 0 }, { ...black, a: 1 })).toEqual({ ...black, a: 1 });
  });

  it("reads computed CSS colours", () => {
    expect(parseColor("rgb(255, 255, 255)")).toEqual({ ...white, a: 1 });
    expect(parseColor("rgba(0, 0, 0, 0.55)")).toEqual({ ...black, a: 0.55 });
    expect(parseColor("rgb(10 20 30 / 50%)")).toEqual({ r: 10, g: 20, b: 30, a: 0.5 });
    expect(parseColor("#0f0")).toEqual({ r: 0, g: 255, b: 0, a: 1 });
    expect(parseColor("#11223380")).toEqual({ r: 17, g: 34, b: 51, a: 128 / 255 });
    expect(parseColor("transparent")).toBeNull();
    expect(parseColor("rgb(1, 2)")).toBeNull();
    expect(parseColor("#12345")).toBeNull();
  });

  it("over many pixels, the ratio 90 % of them reach decides, not one speck", () => {
    const pixels = [...Array.from({ length: 95 }, () => black), ...Array.from({ length: 5 }, () => white)];
    expect(contrastOver(white, pixels)).toBeCloseTo(21, 6);
    const mixed = [...Array.from({ length: 80 }, () => black), ...Array.from({ length: 20 }, () => white)];
    expect(contrastOver(white, mixed)).toBe(1);
    expect(contrastOver(white, [])).toBeNaN();
  });
});

describe("translucent text over pixels", () => {
  it("white at 80 % over black reads as light grey on black", () => {
    const ratio = contrastOver({ r: 255, g: 255, b: 255, a: 0.8 }, [{ r: 0, g: 0, b: 0 }]);
    expect(ratio).toBeCloseTo(contrastRatio({ r: 204, g: 204, b: 204 }, { r: 0, g: 0, b: 0 }), 6);
    expect(contrastOver({ r: 255, g: 255, b: 255, a: 0 }, [{ r: 10, g: 10, b: 10 }])).toBe(1);
  });
});
