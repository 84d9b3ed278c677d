import { describe, expect, it } from "vitest";
import { Item, type ScreenPanel } from "../schema/content.ts";
import { type ItemMeasure, judgeItem, sortShortfalls } from "./judge.ts";

const landscape55: ScreenPanel = { diagonalInches: 55, viewingDistanceM: 5, resolution: { width: 1920, height: 1080 } };
const notice = Item.parse({
  id: "passport",
  kind: "notice",
  category: "procedure",
  duration: 12,
  title: { vi: "Xuất trình hộ chiếu", zh: "出示护照" },
  body: { vi: "Chuẩn bị hộ chiếu trước khi đến quầy.", zh: "请在到达柜台前准备好护照。" },
});
// 0.634 mm per pixel: 35 px of cap height is 22.2 mm, 40 px 25.4 mm, 50 px 31.7 mm
const measure = (latinPx: number, hanPx: number, extra: Partial<ItemMeasure> = {}): ItemMeasure => ({
  item: "passport",
  screen: "s1",
  viewport: { width: 1920, height: 1080 },
  pages: 1,
  texts: [
    { lang: "vi", script: "latin", role: "title", heightPx: latinPx * 1.3, contrast: 12 },
    { lang: "vi", script: "latin", role: "body", heightPx: latinPx, contrast: 12 },
    { lang: "zh", script: "han", role: "body", heightPx: hanPx, contrast: 12 },
  ],
  ...extra,
});

describe("judging a measured item", () => {
  it("passes text at the preferred size with good contrast and time to read", () => {
    expect(judgeItem(notice, landscape55, measure(50, 60))).toEqual([]);
  });

  it("blocks Latin cap height under 22 mm at 5 m and Han em box under 26.4 mm", () => {
    const out = judgeItem(notice, landscape55, measure(22, 30));
    expect(out.map((s) => [s.lang, s.kind, s.severity, s.measured, s.required])).toEqual([
      ["vi", "text-size", "blocking", 14, 22],
      ["zh", "text-size", "blocking", 19, 26.4],
    ]);
  });

  it("warns between 15 and 20 minutes of arc", () => {
    const out = judgeItem(notice, landscape55, measure(40, 50));
    expect(out.map((s) => [s.lang, s.severity, s.required])).toEqual([
      ["vi", "warning", 29],
      ["zh", "warning", 34.8],
    ]);
  });

  it("warns on contrast under 4.5:1 and on a short turn; a paged item too short to read blocks", () => {
    const m = measure(50, 60);
    const dim = { ...m, texts: m.texts.map((t) => ({ ...t, contrast: 3.2 })) };
    expect(judgeItem(notice, landscape55, dim).map((s) => [s.lang, s.kind, s.severity])).toEqual([
      ["vi", "contrast", "warning"],
      ["zh", "contrast", "warning"],
    ]);
    const short = judgeItem(notice, landscape55, measure(50, 60), 4);
    expect(short.map((s) => [s.lang, s.kind, s.severity, s.measured, s.required])).toEqual([
      ["vi", "reading-time", "warning", 4, 5],
      ["zh", "reading-time", "warning", 4, 5],
    ]);
    const paged = judgeItem(notice, landscape55, measure(50, 60, { pages: 3 }));
    expect(paged.map((s) => [s.kind, s.severity, s.measured])).toEqual([
      ["reading-time", "blocking", 4],
      ["reading-time", "blocking", 4],
    ]);
  });

  it("names an item it could not render, as blocking", () => {
    const [s] = judgeItem(notice, landscape55, { ...measure(50, 60), error: "renderer timed out" });
    expect(s).toMatchObject({ kind: "unchecked", severity: "blocking", lang: null, detail: "renderer timed out" });
  });

  it("orders blocking first, then item, screen, kind and language", () => {
    const base = { pages: 1, viewingDistanceM: 5, measured: 1, required: 2, unit: "mm" as const };
    const list = sortShortfalls([
      { ...base, item: "b", screen: "s", lang: "zh", kind: "contrast", severity: "warning" },
      { ...base, item: "b", screen: "s", lang: "vi", kind: "text-size", severity: "blocking" },
      { ...base, item: "a", screen: "s", lang: "zh", kind: "text-size", severity: "warning" },
      { ...base, item: "a", screen: "s", lang: "vi", kind: "text-size", severity: "warning" },
    ]);
    expect(list.map((s) => `${s.severity}:${s.item}:${s.lang}`)).toEqual([
      "blocking:b:vi",
      "warning:a:vi",
      "warning:a:zh",
      "warning:b:zh",
    ]);
  });
});
