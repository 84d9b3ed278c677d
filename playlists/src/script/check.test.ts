import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Item } from "../schema/content.ts";
import {
  latinInChinese,
  type ScriptTools,
  scriptIssuesOfContent,
  scriptIssuesOfItem,
  traditionalOf,
  undrawableOf,
} from "./check.ts";
import { kioskDraws, loadScriptTools } from "./index.ts";
import { decodeRanges, encodeRanges, inRanges, mergeRanges } from "./ranges.ts";

// a stand-in for OpenCC with the characters these tests use
const TABLE: Record<string, string> = { 攜: "携", 帶: "带", 過: "过", 現: "现", 須: "须", 報: "报", 門: "门" };
const toSimplified = (s: string) => [...s].map((c) => TABLE[c] ?? c).join("");
const drawable = (cp: number) => cp < 0x2000 || (cp >= 0x3000 && cp <= 0x9fff) || (cp >= 0xff00 && cp <= 0xffef);
const tools: ScriptTools = { toSimplified, drawable };

const notice = (category: Item["category"], zh: string, vi = "Mang theo tiền mặt"): Item => ({
  id: "n",
  kind: "notice",
  category,
  duration: 10,
  layout: "stacked",
  title: { vi, zh },
  body: { vi, zh },
});

describe("Traditional-only characters", () => {
  it("names each once and gives the Simplified text", () => {
    expect(traditionalOf("攜帶超過現金須申報，攜帶", toSimplified)).toEqual({
      chars: "攜帶過現須報",
      simplified: "携带超过现金须申报，携带",
    });
  });
  it("passes Simplified text and text without Chinese", () => {
    expect(traditionalOf("携带超过限额现金须申报", toSimplified)).toBeNull();
    expect(traditionalOf("Cửa khẩu", toSimplified)).toBeNull();
  });
});

describe("Latin text in a Chinese field", () => {
  it("finds Vietnamese words, even among Chinese", () => {
    expect(latinInChinese("谅山Kỳ Lừa夜市")).toBe("Kỳ Lừa");
    expect(latinInChinese("Cửa khẩu Hữu Nghị")).toBe("Cửa khẩu Hữu Nghị");
    // no marks, but no Chinese either: it is not Chinese
    expect(latinInChinese("Cua khau")).toBe("Cua khau");
  });
  it("passes acronyms and units beside Chinese", () => {
    expect(latinInChinese("携带超过1.5亿VNĐ或5000 USD的现金须申报")).toBeNull();
    expect(latinInChinese("距离谅山市15 km，免费WiFi")).toBeNull();
    expect(latinInChinese("同登－谅山")).toBeNull();
  });
});

describe("characters the kiosk cannot draw", () => {
  it("finds emoji and keeps spaces and variation selectors out of it", () => {
    expect(undrawableOf("Chào mừng 😀 quý khách ❤️\n", drawable)).toBe("😀❤");
    expect(undrawableOf("Bình thường, 中文。", drawable)).toBeNull();
  });
  it("checks against the fonts the kiosk bundles", () => {
    for (const c of "Aăâđêôơư ẠẶỆỪ中文谅山，。－“”…—·") expect(kioskDraws(c.codePointAt(0) ?? 0), c).toBe(true);
    for (const c of ["😀", "🚫", "\u{20000}"]) expect(kioskDraws(c.codePointAt(0) ?? 0), c).toBe(false);
  });
});

describe("severity by category", () => {
  it("refuses in border-law, procedure and alert texts, warns elsewhere", () => {
    const strict = scriptIssuesOfItem(notice("border-law", "攜帶現金"), tools);
    expect(strict.map((i) => [i.path.join("."), i.code, i.severity])).toEqual([
      ["title.zh", "traditional-chinese", "error"],
      ["body.zh", "traditional-chinese", "error"],
    ]);
    const promo = scriptIssuesOfItem(notice("promotion", "谅山Kỳ Lừa夜市 😀"), tools);
    expect(promo.map((i) => [i.path.join("."), i.code, i.severity])).toEqual([
      ["title.zh", "not-chinese", "warning"],
      ["title.zh", "undrawable", "warning"],
      ["body.zh", "not-chinese", "warning"],
      ["body.zh", "undrawable", "warning"],
    ]);
  });
  it("locates problems in a content, alerts always strict", () => {
    const issues = scriptIssuesOfContent(
      {
        items: [notice("tourism", "門"), notice("procedure", "門")],
        alerts: [
          {
            id: "a",
            severity: "critical",
            message: { vi: "Tạm dừng", zh: "暫停 🚫" },
            targets: {},
            startsAt: "2026-01-01T00:00:00+07:00",
            expiresAt: "2026-01-01T01:00:00+07:00",
          },
        ],
      },
      tools,
    );
    expect(issues.filter((i) => i.severity === "error").map((i) => i.path.join("."))).toEqual([
      "items.1.title.zh",
      "items.1.body.zh",
      "alerts.0.message.zh",
    ]);
  });
});

describe("code point ranges", () => {
  it("encode and decode to the same merged set, and membership agrees", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(0x10ffff), fc.nat(200))), fc.nat(0x10ffff), (raw, probe) => {
        const ranges = raw.map(([a, n]) => [a, a + n] as const);
        const merged = mergeRanges(ranges);
        expect(decodeRanges(encodeRanges(ranges))).toEqual(merged);
        expect(inRanges(merged)(probe)).toBe(ranges.some(([a, b]) => probe >= a && probe <= b));
      }),
    );
  });
});

describe("with OpenCC's tables", () => {
  it("tells Traditional from Simplified, Taiwan and Hong Kong forms included", async () => {
    const real = await loadScriptTools();
    expect(traditionalOf("攜帶超過限額現金須申報", real.toSimplified)?.simplified).toBe("携带超过限额现金须申报");
    expect(traditionalOf("旅客入境須知", real.toSimplified)?.chars).toBe("須");
    expect(traditionalOf("友谊关口岸，同登－谅山，著名景点", real.toSimplified)).toBeNull();
  });
});

describe("the sample content", () => {
  it("has no script problem, not even a warning", async () => {
    const { loadContentDir } = await import("../load/index.ts");
    const { content } = await loadContentDir(new URL("../../content", import.meta.url).pathname);
    expect(scriptIssuesOfContent(content, await loadScriptTools())).toEqual([]);
  });
});
