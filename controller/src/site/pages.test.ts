import { type Alert, Content, type Item } from "@gatecast/playlists";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { leafletHtml } from "../leaflet/html.ts";
import { alertsInForce, languagesOf, siteModel } from "./model.ts";
import { sitePages } from "./pages.ts";
import { relativeLink, siteItemUrl, withSiteLinks } from "./paths.ts";

const NOW = Date.parse("2026-11-23T03:00:00Z");

const content = (items: Item[]) =>
  Content.parse({
    gates: [
      { id: "huu-nghi", name: { vi: "Hữu Nghị", zh: "友谊" }, defaultPlaylist: "main" },
      { id: "tan-thanh", name: { vi: "Tân Thanh", zh: "新清", en: "Tan Thanh" }, defaultPlaylist: "other" },
    ],
    screens: [
      { id: "hn-1", gate: "huu-nghi", name: "HN 1", tags: ["lorry"] },
      { id: "tt-1", gate: "tan-thanh", name: "TT 1" },
    ],
    items,
    playlists: [
      { id: "main", name: "main", items: items.slice(0, 1).map((i) => i.id) },
      { id: "other", name: "other", items: items.slice(1).map((i) => i.id) },
      { id: "lorry", name: "lorry", items: items.map((i) => i.id) },
    ],
    schedules: [
      { id: "lorry", playlist: "lorry", targets: { tags: ["lorry"] }, window: { from: "22:00", to: "06:00" } },
    ],
  });

const notice = (id: string, title: { vi: string; zh?: string; en?: string }, body = title): Item => ({
  id,
  kind: "notice",
  category: "procedure",
  duration: 10,
  layout: "stacked",
  title,
  body,
});

const alert = (id: string, startsAt: number, expiresAt: number, severity: Alert["severity"] = "info"): Alert => ({
  id,
  severity,
  message: { vi: `Thông báo ${id}`, zh: `通知 ${id}` },
  targets: {},
  startsAt: new Date(startsAt).toISOString(),
  expiresAt: new Date(expiresAt).toISOString(),
});

describe("site model", () => {
  it("gives each gate what any of its screens can show: default playlist, then scheduled ones", () => {
    const a = notice("a", { vi: "A", zh: "甲" });
    const b = notice("b", { vi: "B", zh: "乙", en: "B" });
    const m = siteModel({ id: 3, createdAt: NOW, content: content([a, b]) }, [], NOW);
    const items = (g: string) => m.gates.find((x) => x.gate.id === g)?.sections.flatMap((s) => s.items);
    expect(items("huu-nghi")).toEqual(["a", "b"]); // b only through the lorry schedule
    expect(items("tan-thanh")).toEqual(["b"]);
    expect(m.items.find((v) => v.item.id === "b")?.gates).toEqual(["huu-nghi", "tan-thanh"]);
    expect(m.items.map((v) => v.languages)).toEqual([
      ["vi", "zh"],
      ["vi", "zh", "en"],
    ]);
  });

  it("lists urgent notices in force: from startsAt, until (not at) expiresAt, most severe first", () => {
    const alerts = [
      alert("later", NOW + 1, NOW + 10),
      alert("ended", NOW - 10, NOW),
      alert("now", NOW, NOW + 1),
      alert("crit", NOW - 1, NOW + 1, "critical"),
    ];
    expect(alertsInForce(alerts, NOW).map((a) => a.id)).toEqual(["crit", "now"]);
  });

  it("counts a language only when every text of the item has it", () => {
    expect(languagesOf([{ vi: "a", zh: "b" }, { vi: "c" }])).toEqual(["vi"]);
    expect(languagesOf([])).toEqual(["vi"]);
  });
});

describe("site paths", () => {
  it("links relatively between folders and to the root", () => {
    expect(relativeLink("items/a.html", "gates/b.html")).toBe("../gates/b.html");
    expect(relativeLink("items/a.html", "items/a.zh.html")).toBe("a.zh.html");
    expect(relativeLink("index.html", "style.css")).toBe("style.css");
    expect(relativeLink("items/a.html", "style.css")).toBe("../style.css");
  });

  it("gives items without a link their site page, and keeps the others as they are", () => {
    const a = notice("a", { vi: "A" });
    const b = { ...notice("b", { vi: "B" }), link: "https://customs.gov.vn" };
    const [la, lb] = withSiteLinks([a, b], "https://x.example/site/");
    expect(la?.link).toBe("https://x.example/site/items/a.html");
    expect(lb).toBe(b);
    expect(withSiteLinks([a], undefined)[0]).toBe(a);
    expect(siteItemUrl("https://x.example/site", "a")).toBe("https://x.example/site/items/a.html");
  });
});

describe("site pages", () => {
  it("never lets content text become markup, whatever an editor typed", () => {
    const text = fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s.trim().length > 0);
    fc.assert(
      fc.property(text, text, text, (vi, zh, body) => {
        const item = notice("x", { vi, zh }, { vi: body, zh: body });
        const m = siteModel(
          { id: 1, createdAt: NOW, content: content([item, notice("y", { vi: "Y", zh: "乙" })]) },
          [{ ...alert("a", NOW - 1, NOW + 1), message: { vi: body, zh } }],
          NOW,
        );
        const plain = siteModel(
          {
            id: 1,
            createdAt: NOW,
            content: content([
              notice("x", { vi: "v", zh: "z" }, { vi: "b", zh: "b" }),
              notice("y", { vi: "Y", zh: "乙" }),
            ]),
          },
          [{ ...alert("a", NOW - 1, NOW + 1), message: { vi: "b", zh: "z" } }],
          NOW,
        );
        const tags = (pages: { html: string }[]) => pages.map((p) => (p.html.match(/[<>"]/g) ?? []).length);
        // the same markup with any text as with plain text: no character of it opened a tag or an attribute
        expect(tags(sitePages(m, { images: new Map() }))).toEqual(tags(sitePages(plain, { images: new Map() })));
      }),
      { numRuns: 60 },
    );
  });
});

describe("source lines", () => {
  const source = {
    agency: { vi: "Cục Hải quan tỉnh Lạng Sơn", zh: "谅山省海关局", en: "Lạng Sơn Customs Department" },
    document: "123/HQLS-GSQL",
    date: "2026-11-01",
  };
  // the `source` field of items (official-info): read from any item that carries one
  const withSource = { ...notice("a", { vi: "Khai báo", zh: "申报" }), source } as unknown as Item;

  it("names the agency in each language of the page, with the document and its date", () => {
    const c = content([notice("a", { vi: "Khai báo", zh: "申报" }), notice("b", { vi: "B", zh: "乙" })]);
    c.items[0] = withSource;
    const m = siteModel({ id: 1, createdAt: NOW, content: c }, [], NOW);
    const page = sitePages(m, { images: new Map() }).find((p) => p.path === "items/a.html");
    expect(page?.html).toContain('<p class="source">Nguồn: Cục Hải quan tỉnh Lạng Sơn, 123/HQLS-GSQL, 2026-11-01</p>');
    expect(page?.html).toContain('<p class="source">来源: 谅山省海关局, 123/HQLS-GSQL, 2026-11-01</p>');
  });

  it("prints it on the leaflet in Vietnamese and Chinese", () => {
    const html = leafletHtml({
      items: [{ item: withSource, gates: [], url: "https://x.example/site/items/a.html" }],
      size: "A5",
      release: { id: 4, createdAt: NOW },
      timeZone: "Asia/Ho_Chi_Minh",
      fontCss: [],
    });
    expect(html).toContain("Nguồn: Cục Hải quan tỉnh Lạng Sơn, 123/HQLS-GSQL, 2026-11-01");
    expect(html).toContain("来源: 谅山省海关局, 123/HQLS-GSQL, 2026-11-01");
    expect(html).toContain("@page{size:A5;margin:15mm}");
    expect(html).toContain("<svg");
  });
});
