import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { itemGates, playlistsOfGate, targetGates } from "./reach.ts";
import { checkContent, requiredLanguages } from "./schema/check.ts";
import { Content, Gate } from "./schema/content.ts";

const text = (langs: readonly string[], word: string) => Object.fromEntries(langs.map((l) => [l, `${word} ${l}`]));

function content(opts: { huuNghi?: string[]; promo?: string[]; tagged?: string[] } = {}) {
  return Content.parse({
    gates: [
      {
        id: "huu-nghi",
        name: { vi: "Hữu Nghị", zh: "友谊" },
        defaultPlaylist: "hn",
        ...(opts.huuNghi ? { languages: opts.huuNghi } : {}),
      },
      { id: "tan-thanh", name: { vi: "Tân Thanh", zh: "新清" }, defaultPlaylist: "tt" },
    ],
    screens: [
      { id: "hn-1", gate: "huu-nghi", name: "HN", tags: ["arrivals"] },
      { id: "tt-lorry", gate: "tan-thanh", name: "TT", tags: ["lorry"] },
    ],
    items: [
      {
        id: "promo",
        kind: "notice",
        category: "promotion",
        duration: 10,
        title: text(opts.promo ?? ["vi"], "Lạng Sơn"),
        body: text(opts.promo ?? ["vi"], "Mời"),
      },
      {
        id: "night",
        kind: "notice",
        category: "tourism",
        duration: 10,
        title: text(opts.tagged ?? ["vi", "zh"], "Đêm"),
        body: text(opts.tagged ?? ["vi", "zh"], "Xe"),
      },
      { id: "photo", kind: "image", category: "tourism", duration: 8, media: "a".repeat(64) },
    ],
    playlists: [
      { id: "hn", name: "HN", items: ["promo", "photo"] },
      { id: "tt", name: "TT", items: ["photo"] },
      { id: "lorry", name: "Lorry", items: ["night"] },
    ],
    schedules: [{ id: "lorry-night", playlist: "lorry", targets: { tags: ["lorry"] } }],
    media: [{ sha256: "a".repeat(64), bytes: 1, mime: "image/png" }],
  });
}

const languageIssues = (c: Content) =>
  checkContent(c)
    .filter((i) => i.code === "language-required")
    .map((i) => i.path.join("."));

describe("languages per gate", () => {
  it("defaults a gate to Vietnamese and Chinese, and keeps Vietnamese required", () => {
    expect(Gate.parse({ id: "g", name: { vi: "G", zh: "G" }, defaultPlaylist: "p" }).languages).toEqual(["vi", "zh"]);
    expect(
      Gate.safeParse({ id: "g", name: { vi: "G", zh: "G" }, defaultPlaylist: "p", languages: ["zh"] }).success,
    ).toBe(false);
  });

  it("holds a promotion to Chinese at a gate that requires it (no escape for promotions)", () => {
    expect(languageIssues(content())).toEqual(["items.0.title.zh", "items.0.body.zh"]);
    expect(languageIssues(content({ promo: ["vi", "zh"] }))).toEqual([]);
  });

  it("adds English where a gate asks for it, only for the items that can play there", () => {
    const c = content({ huuNghi: ["vi", "zh", "en"], promo: ["vi", "zh"] });
    expect(languageIssues(c)).toEqual(["items.0.title.en", "items.0.body.en"]);
    expect(checkContent(c).find((i) => i.code === "language-required")?.params).toEqual({
      lang: "en",
      gates: "huu-nghi",
    });
    // "night" plays only on the lorry screen of Tân Thanh (by tag), which does not ask for English
    expect(requiredLanguages(c, "night")).toEqual(["vi", "zh"]);
    expect(requiredLanguages(c, "promo")).toEqual(["vi", "zh", "en"]);
    // an image without a caption has no text to hold
    expect(languageIssues(c).some((p) => p.startsWith("items.2"))).toBe(false);
  });

  it("finds an item's gates through default playlists, schedules by tag, and the gates it names", () => {
    const c = content();
    const gates = itemGates(c);
    expect([...(gates.get("promo") ?? [])]).toEqual(["huu-nghi"]);
    expect([...(gates.get("photo") ?? [])].sort()).toEqual(["huu-nghi", "tan-thanh"]);
    expect([...(gates.get("night") ?? [])]).toEqual(["tan-thanh"]);
    expect([...playlistsOfGate(c, "tan-thanh")].sort()).toEqual(["lorry", "tt"]);
    expect([...targetGates(c, { tags: ["arrivals"] })]).toEqual(["huu-nghi"]);
    const named = { ...c, items: c.items.map((i) => (i.id === "night" ? { ...i, gates: ["huu-nghi"] } : i)) };
    expect([...(itemGates(named).get("night") ?? [])].sort()).toEqual(["huu-nghi", "tan-thanh"]);
  });

  it("reports exactly the languages missing from the gates an item reaches (property)", () => {
    const lang = fc.constantFrom("vi", "zh", "en");
    fc.assert(
      fc.property(
        fc.uniqueArray(lang, { minLength: 0, maxLength: 3 }),
        fc.uniqueArray(fc.constantFrom("zh", "en"), { maxLength: 2 }),
        (written, extra) => {
          const promo = ["vi", ...written.filter((l) => l !== "vi")];
          const huuNghi = ["vi", ...extra];
          const c = content({ huuNghi, promo, tagged: ["vi", "zh"] });
          const missing = huuNghi.filter((l) => !promo.includes(l));
          expect(languageIssues(c).sort()).toEqual(
            missing.flatMap((l) => [`items.0.body.${l}`, `items.0.title.${l}`]).sort(),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
