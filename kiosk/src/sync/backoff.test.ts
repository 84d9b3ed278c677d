import { describe, expect, it } from "vitest";
import { BACKOFF, nextDelay, sleep } from "./backoff.ts";

describe("nextDelay", () => {
  it("starts at 1 s and doubles", () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => nextDelay(a, 0.5))).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
  });

  it("stops doubling at 60 s", () => {
    expect(nextDelay(6, 0.5)).toBe(60_000);
    expect(nextDelay(50, 0.5)).toBe(60_000);
    expect(nextDelay(1e9, 0.5)).toBe(60_000);
  });

  it("spreads each delay by ±30 %", () => {
    expect(nextDelay(0, 0)).toBe(700);
    expect(nextDelay(0, 1)).toBe(1300);
    expect(nextDelay(10, 0)).toBe(42_000);
    expect(nextDelay(10, 0.999999)).toBeLessThanOrEqual(78_000);
    for (let attempt = 0; attempt < 12; attempt++) {
      const nominal = Math.min(BACKOFF.maxMs, 1000 * 2 ** attempt);
      for (const r of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.9999]) {
        const d = nextDelay(attempt, r);
        expect(d).toBeGreaterThanOrEqual(Math.floor(nominal * 0.7));
        expect(d).toBeLessThanOrEqual(Math.ceil(nominal * 1.3));
      }
    }
  });

  it("is monotonic in the random draw", () => {
    const draws = [0, 0.2, 0.4, 0.6, 0.8, 1].map((r) => nextDelay(3, r));
    expect([...draws].sort((a, b) => a - b)).toEqual(draws);
  });

  it("tolerates nonsense input", () => {
    expect(nextDelay(-3, 0.5)).toBe(1000);
    expect(nextDelay(Number.NaN, 0.5)).toBe(1000);
    expect(nextDelay(2.7, 0.5)).toBe(4000);
    expect(nextDelay(0, 7)).toBe(1300);
    expect(nextDelay(0, Number.NaN)).toBe(1000);
  });
});

describe("sleep", () => {
  it("rejects when aborted", async () => {
    const ac = new AbortController();
    const p = sleep(10_000, ac.signal);
    ac.abort();
    await expect(p).rejects.toThrow();
  });

  it("resolves after the delay", async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
  });
});
