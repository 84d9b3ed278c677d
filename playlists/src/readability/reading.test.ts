import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { durationNeeded, MIN_READING_S, readingSeconds, readingTimes, readingUnits } from "./reading.ts";

describe("reading units", () => {
  it("counts Vietnamese syllables, English words and Han characters", () => {
    expect(readingUnits("Xuất trình hộ chiếu tại quầy số 3.", "vi")).toBe(8);
    expect(readingUnits("Show your passport at desk 3.", "en")).toBe(6);
    expect(readingUnits("请在3号柜台出示护照。", "zh")).toBe(10);
    expect(readingUnits("", "vi")).toBe(0);
    expect(readingUnits("don't re-enter", "en")).toBe(2);
  });
});

describe("reading time", () => {
  it("4.5 syllables, 3 words, 6 Han characters a second; never under 5 s", () => {
    expect(readingSeconds(["một hai ba"], "vi")).toBe(MIN_READING_S);
    expect(readingSeconds([Array.from({ length: 45 }, () => "chữ").join(" ")], "vi")).toBeCloseTo(10, 9);
    expect(readingSeconds([Array.from({ length: 30 }, () => "word").join(" ")], "en")).toBeCloseTo(10, 9);
    expect(readingSeconds(["字".repeat(60)], "zh")).toBeCloseTo(10, 9);
    expect(readingSeconds([undefined, ""], "zh")).toBe(0);
  });

  it("the longest language decides, not the sum", () => {
    const texts = [{ vi: "chữ ".repeat(45), zh: "字".repeat(90) }];
    const r = readingTimes({ texts, durationS: 12 });
    expect(r.map((x) => x.lang)).toEqual(["vi", "zh"]);
    expect(r.map((x) => x.needS)).toEqual([10, 15]);
    expect(r.every((x) => x.visibleS === 12)).toBe(true);
    expect(durationNeeded({ texts })).toBe(15);
  });

  it("alternate: each language has its half", () => {
    const texts = [{ vi: "chữ ".repeat(45), zh: "字".repeat(30), en: "word ".repeat(15) }];
    const r = readingTimes({ texts, durationS: 16, alternate: true });
    expect(r.map((x) => x.visibleS)).toEqual([8, 8, 8]);
    expect(durationNeeded({ texts, alternate: true })).toBe(20);
    // alternate with one language only shows it the whole time
    expect(readingTimes({ texts: [{ vi: "xin chào" }], durationS: 8, alternate: true })[0]?.visibleS).toBe(8);
  });

  it("paged: each page has its share of the time and of the text, at least 5 s", () => {
    const texts = [{ vi: "chữ ".repeat(90) }];
    const [r] = readingTimes({ texts, durationS: 24, pages: 3 });
    expect(r?.visibleS).toBe(8);
    expect(r?.needS).toBeCloseTo(20 / 3, 9);
    expect(durationNeeded({ texts: [{ vi: "chữ" }], pages: 4 })).toBe(20);
  });

  it("at durationNeeded every language is read in time, and a second less is short", () => {
    const text = fc.record({
      vi: fc.option(
        fc.integer({ min: 1, max: 200 }).map((n) => "chữ ".repeat(n)),
        { nil: undefined },
      ),
      zh: fc.option(
        fc.integer({ min: 1, max: 300 }).map((n) => "字".repeat(n)),
        { nil: undefined },
      ),
      en: fc.option(
        fc.integer({ min: 1, max: 100 }).map((n) => "word ".repeat(n)),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(text, fc.boolean(), fc.integer({ min: 1, max: 6 }), (t, alternate, pages) => {
        const input = { texts: [t], alternate, pages };
        const need = durationNeeded(input);
        if (!t.vi && !t.zh && !t.en) {
          expect(need).toBe(0);
          return;
        }
        expect(readingTimes({ ...input, durationS: need }).every((r) => r.visibleS >= r.needS - 1e-9)).toBe(true);
        expect(readingTimes({ ...input, durationS: need - 1 }).some((r) => r.visibleS < r.needS)).toBe(true);
      }),
    );
  });
});
