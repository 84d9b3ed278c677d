import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextVersion, plausibleVersion } from "./manifest.ts";

describe("nextVersion", () => {
  const instant = fc.integer({ min: 0, max: Date.parse("2100-01-01T00:00:00Z") });
  const version = fc.option(fc.integer({ min: 1, max: 2 ** 42 }), { nil: undefined });

  it("is above the last version, above what a screen holds, and never below the issuing millisecond", () => {
    fc.assert(
      fc.property(version, instant, fc.integer({ min: 0, max: 2 ** 42 }), (prev, at, floor) => {
        const v = nextVersion(prev, at, floor);
        expect(v).toBeGreaterThan(prev ?? 0);
        expect(v).toBeGreaterThan(floor);
        expect(v).toBeGreaterThanOrEqual(at);
        expect(Number.isSafeInteger(v)).toBe(true);
      }),
    );
  });

  it("a store that forgot its versions still goes above one issued a millisecond or more earlier", () => {
    fc.assert(
      fc.property(version, instant, fc.integer({ min: 1, max: 10 ** 9 }), (prev, at, later) => {
        const before = nextVersion(prev, at);
        // only one version was issued in that millisecond: the forgetful store starts from the clock
        if (before !== at) return;
        expect(nextVersion(undefined, at + later)).toBeGreaterThan(before);
      }),
    );
  });

  it("is plausible from a screen only up to a year past the clock", () => {
    const now = Date.parse("2026-12-01T00:00:00Z");
    expect(plausibleVersion(nextVersion(41, now), now)).toBe(true);
    expect(plausibleVersion(now + 400 * 86_400_000, now)).toBe(false);
    expect(plausibleVersion(Number.MAX_SAFE_INTEGER + 2, now)).toBe(false);
  });
});
