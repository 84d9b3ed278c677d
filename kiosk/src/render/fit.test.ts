import { describe, expect, it } from "vitest";
import { largestFitting } from "./fit.ts";

describe("largestFitting", () => {
  it("finds the largest size that fits", () => {
    for (const limit of [10, 11, 37, 63, 64, 99, 100]) {
      expect(largestFitting(10, 100, (s) => s <= limit)).toBe(limit);
    }
  });

  it("returns the minimum when nothing fits, the maximum when everything does", () => {
    expect(largestFitting(12, 96, () => false)).toBe(12);
    expect(largestFitting(12, 96, () => true)).toBe(96);
  });

  it("needs few measurements", () => {
    let calls = 0;
    largestFitting(8, 200, (s) => {
      calls++;
      return s <= 77;
    });
    expect(calls).toBeLessThanOrEqual(9);
  });

  it("copes with an empty or fractional range", () => {
    expect(largestFitting(20, 10, () => true)).toBe(20);
    expect(largestFitting(10.4, 20.6, (s) => s <= 15)).toBe(15);
  });
});
