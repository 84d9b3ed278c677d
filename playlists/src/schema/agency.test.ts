import { describe, expect, it } from "vitest";
import { sourceText } from "../labels.ts";
import { AGENCIES, Agency, AgencyRef, agencyById } from "./agency.ts";
import { checkContent } from "./check.ts";
import { Content, Item } from "./content.ts";
import { ManifestPayload } from "./manifest.ts";

const law = {
  id: "law",
  kind: "notice",
  category: "border-law",
  duration: 10,
  title: { vi: "Khu vực biên giới", zh: "边境地区" },
  body: { vi: "Mang theo giấy tờ", zh: "携带证件" },
};

describe("sources", () => {
  it("keeps source optional: items, releases and manifests written before it still read", () => {
    expect(Item.parse(law)).not.toHaveProperty("source");
    const manifest = {
      format: 1,
      screenId: "s1",
      version: 1,
      release: 1,
      issuedAt: "2026-11-23T08:00:00+07:00",
      expiresAt: "2026-12-23T08:00:00+07:00",
      gate: { id: "g1", name: { vi: "Cửa khẩu", zh: "口岸" }, defaultPlaylist: "p1" },
      screen: { id: "s1", gate: "g1", name: "Sảnh" },
      schedules: [],
      playlists: [{ id: "p1", name: "P", items: ["law"] }],
      items: [law],
      alerts: [],
      webHosts: [],
      media: [],
    };
    expect(ManifestPayload.safeParse(manifest).success).toBe(true);
  });

  it("is required by the content check for border-law and procedure items only", () => {
    const content = Content.parse({
      items: [law, { ...law, id: "proc", category: "procedure" }, { ...law, id: "promo", category: "tourism" }],
    });
    expect(checkContent(content).map((i) => [i.path.join("."), i.code])).toEqual([
      ["items.0.source.agency", "source-required"],
      ["items.1.source.agency", "source-required"],
    ]);
    const sourced = Content.parse({ items: [{ ...law, source: { agency: { vi: "Cục Hải quan tỉnh Lạng Sơn" } } }] });
    expect(checkContent(sourced)).toEqual([]);
  });

  it("refuses a source with an empty agency or a bad date, naming the field", () => {
    const r = Item.safeParse({ ...law, source: { agency: { vi: " " }, date: "2026-02-30" } });
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join("."))).toEqual(["source.agency.vi", "source.date"]);
  });

  it("words a source in each language, the agency falling back to Vietnamese", () => {
    const source = {
      agency: { vi: "Cục Hải quan tỉnh Lạng Sơn", zh: "谅山省海关局" },
      document: "Công văn 123/HQLS",
      date: "2026-03-01",
    };
    expect(sourceText(source, "vi")).toBe("Nguồn: Cục Hải quan tỉnh Lạng Sơn · Công văn 123/HQLS · 01/03/2026");
    expect(sourceText(source, "zh")).toBe("来源：谅山省海关局 · Công văn 123/HQLS · 2026年3月1日");
    expect(sourceText(source, "en")).toBe("Source: Cục Hải quan tỉnh Lạng Sơn · Công văn 123/HQLS · 1 Mar 2026");
  });

  it("lists real agencies, each valid, with unique ids", () => {
    for (const a of AGENCIES) expect(Agency.parse(a)).toEqual(a);
    expect(new Set(AGENCIES.map((a) => a.id)).size).toBe(AGENCIES.length);
    expect(agencyById("hq-huu-nghi")?.name.vi).toBe("Chi cục Hải quan cửa khẩu Hữu Nghị");
    expect(AgencyRef.safeParse("made-up").success).toBe(false);
  });
});
