import { KIOSK_GLYPHS } from "@gatecast/playlists/script";
import { describe, expect, it } from "vitest";
import { fontCoverage, fontFaces, keepFontFace, precacheFont } from "./fonts.ts";
import { installedCoverage } from "./glyphs.ts";

const face = (name: string, file: string) => `/* ${name} */
@font-face {
  font-family: '${name.startsWith("noto-sans-sc") ? "Noto Sans SC" : "Noto Sans"}';
  font-style: normal;
  font-display: swap;
  font-weight: 400;
  src: url(./files/${file}.woff2) format('woff2'), url(./files/${file}.woff) format('woff');
  unicode-range: U+4E00-4E01;
}
`;

describe("font subsets", () => {
  it("keeps Latin, Vietnamese and the CJK slices, nothing else", () => {
    expect(keepFontFace(face("noto-sans-vietnamese-400-normal", "x"))).toBe(true);
    expect(keepFontFace(face("noto-sans-latin-ext-400-normal", "x"))).toBe(true);
    expect(keepFontFace(face("noto-sans-cyrillic-400-normal", "x"))).toBe(false);
    expect(keepFontFace(face("noto-sans-devanagari-400-normal", "x"))).toBe(false);
    expect(keepFontFace(face("noto-sans-sc-[112]-400-normal", "x"))).toBe(true);
    expect(keepFontFace(face("noto-sans-sc-latin-400-normal", "x"))).toBe(false);
  });

  it("renames the family, drops WOFF and adds the bold face", () => {
    const css =
      face("noto-sans-sc-[112]-400-normal", "noto-sans-sc-112-400-normal") + face("noto-sans-sc-latin-400-normal", "l");
    const out = fontFaces(css, [400, 700]);
    expect(out.match(/@font-face/g)).toHaveLength(2);
    expect(out).toContain("font-family: 'GC Noto Sans SC'");
    expect(out).not.toContain(".woff)");
    expect(out).toContain("noto-sans-sc-112-700-normal.woff2");
    expect(out).toContain("font-weight: 700");
  });

  it("precaches the common CJK slices and the Latin/Vietnamese files only", () => {
    expect(precacheFont("assets/index-abc.js")).toBe(true);
    expect(precacheFont("assets/noto-sans-vietnamese-700-normal-D2wP.woff2")).toBe(true);
    expect(precacheFont("assets/noto-sans-sc-119-400-normal-x.woff2")).toBe(true);
    expect(precacheFont("assets/noto-sans-sc-100-700-normal-x.woff2")).toBe(true);
    expect(precacheFont("assets/noto-sans-sc-45-400-normal-x.woff2")).toBe(false);
    expect(precacheFont("assets/noto-sans-cyrillic-400-normal-x.woff2")).toBe(false);
  });
});

describe("font coverage", () => {
  it("is the unicode-ranges of the faces the kiosk ships", () => {
    const css = face("noto-sans-vietnamese-400-normal", "v") + face("noto-sans-cyrillic-400-normal", "c");
    expect(fontCoverage(css.replace("U+4E00-4E01", "U+0102-0103, U+1EA0"))).toEqual([
      [0x102, 0x103],
      [0x1ea0, 0x1ea0],
    ]);
  });

  it("the domain's table is the installed fonts' (else run `npx tsx kiosk/scripts/glyphs.ts`)", () => {
    expect(KIOSK_GLYPHS).toBe(installedCoverage());
  });
});
