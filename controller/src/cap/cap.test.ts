import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Alert, Gate } from "@gatecast/playlists";
import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { capTime, capXml, xmllint } from "./capFixtures.ts";
import { areaGates, capLanguage, capSeverity, planFromCap } from "./map.ts";
import { readCap } from "./read.ts";
import { alertToCap, capDateTime, capFeed } from "./write.ts";

const NOW = Date.parse("2030-11-23T01:00:00Z");
const GATES = [
  Gate.parse({
    id: "huu-nghi",
    name: { vi: "Cửa khẩu Quốc tế Hữu Nghị", zh: "友谊国际口岸", en: "Huu Nghi International Border Gate" },
    defaultPlaylist: "p",
  }),
  Gate.parse({ id: "tan-thanh", name: { vi: "Cửa khẩu Tân Thanh", zh: "新清口岸" }, defaultPlaylist: "p" }),
];

function refusal(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

const plan = (xml: string, rules = [] as Parameters<typeof planFromCap>[1]["rules"]) =>
  planFromCap(readCap(xml), { gates: GATES, rules, now: NOW });

describe("reading CAP 1.2", () => {
  it("reads the agency's example, which the OASIS schema accepts", () => {
    const xml = readFileSync(join(import.meta.dirname, "fixtures", "alert-vi-zh.xml"), "utf8");
    expect(xmllint(xml).ok).toBe(true);
    const msg = readCap(xml);
    expect(msg).toMatchObject({ identifier: "BDBP-LS-2030-0142", status: "Actual", msgType: "Alert" });
    expect(msg.info.map((i) => i.language)).toEqual(["vi-VN", "zh-CN"]);
    // XML's own entities are decoded, nothing else is
    expect(msg.info[0]?.description).toContain("kỹ thuật & kiểm tra");
    const p = planFromCap(msg, { gates: GATES, rules: [], now: NOW });
    expect(p).toMatchObject({
      severity: "critical",
      gates: ["huu-nghi"],
      startsAt: "2030-11-23T01:00:00.000Z",
      expiresAt: "2030-11-23T05:00:00.000Z",
      languages: ["vi", "zh"],
    });
    expect(p.message.vi).toBe(
      "Tạm dừng thông quan hàng hóa — Luồng hàng hóa tạm dừng đến 12:00 do sự cố kỹ thuật & kiểm tra an ninh.",
    );
    expect(p.message.zh).toContain("货物暂停通关");
  });

  it("reads a prefixed root in the CAP namespace", () => {
    const xml = capXml({}, NOW)
      .replace(
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">',
        '<cap:alert xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2">',
      )
      .replace("</alert>", "</cap:alert>")
      .replace(/<(\/?)(?!cap:|\?)([a-zA-Z]+)>/g, "<$1cap:$2>");
    expect(readCap(xml).identifier).toBe("BDBP-LS-0142");
  });

  it.each([
    ["a DOCTYPE", '<!DOCTYPE alert [<!ENTITY x "y">]>\n', "cap-doctype"],
    ["an external entity (XXE)", '<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n', "cap-doctype"],
    [
      "a billion laughs",
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n',
      "cap-doctype",
    ],
  ])("refuses %s before parsing", (_, prolog, code) => {
    expect(refusal(() => readCap(capXml({ prolog }, NOW))).code).toBe(code);
  });

  it("refuses an undeclared entity, malformed XML, another namespace, a bad field, another encoding, and size", () => {
    const good = capXml({}, NOW);
    expect(refusal(() => readCap(good.replace("Tạm dừng", "&xxe; Tạm dừng"))).code).toBe("cap-doctype");
    const broken = refusal(() => readCap(good.replace("</identifier>", "</identifer>")));
    expect(broken.code).toBe("cap-malformed");
    expect(broken.message).toMatch(/not well-formed/);
    expect(refusal(() => readCap(good.replace("emergency:cap:1.2", "emergency:cap:1.1"))).code).toBe("cap-malformed");
    const bad = refusal(() => readCap(good.replace("<status>Actual</status>", "<status>Real</status>")));
    expect(bad.code).toBe("cap-malformed");
    expect(bad.issues?.map((i) => i.path)).toEqual(["status"]);
    expect(refusal(() => readCap(good.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'))).code).toBe(
      "cap-malformed",
    );
    const big = good.replace("</alert>", `<note>${"x".repeat(300_000)}</note></alert>`);
    expect(refusal(() => readCap(big)).code).toBe("too-large");
  });
});

describe("mapping CAP to gatecast", () => {
  it("maps severities and languages", () => {
    expect(["Extreme", "Severe", "Moderate", "Minor", "Unknown"].map((s) => capSeverity(s as "Minor"))).toEqual([
      "critical",
      "critical",
      "warning",
      "info",
      "info",
    ]);
    expect(["vi", "vi-VN", "zh-CN", "zh-Hans", "zh-TW", "en-US", "fr"].map(capLanguage)).toEqual([
      "vi",
      "vi",
      "zh",
      "zh",
      null,
      "en",
      null,
    ]);
  });

  it("targets a gate by id, by name in any language, or through the area table by text or geocode", () => {
    const area = (desc: string, geocode: { valueName: string; value: string }[] = []) => ({ areaDesc: desc, geocode });
    expect(areaGates(area("tan-thanh"), GATES, [])).toEqual(["tan-thanh"]);
    expect(areaGates(area("  huu nghi international  border gate "), GATES, [])).toEqual(["huu-nghi"]);
    expect(areaGates(area("新清口岸"), GATES, [])).toEqual(["tan-thanh"]);
    expect(areaGates(area("Tỉnh Lạng Sơn"), GATES, [])).toEqual([]);
    const rules = [
      { areaDesc: "tỉnh lạng sơn", gates: ["huu-nghi", "tan-thanh"] },
      { geocode: { valueName: "ISO3166-2", value: "VN-09" }, gates: ["huu-nghi"] },
    ];
    expect(areaGates(area("Tỉnh Lạng Sơn"), GATES, rules)).toEqual(["huu-nghi", "tan-thanh"]);
    expect(areaGates(area("Đồng Đăng", [{ valueName: "iso3166-2", value: "VN-09" }]), GATES, rules)).toEqual([
      "huu-nghi",
    ]);
  });

  it("takes the highest severity, the earliest start and expiry, and English when given", () => {
    const infos = [
      { language: "vi", severity: "Moderate", headline: "Ùn tắc", areas: ["huu-nghi"], onset: NOW + 60_000 },
      { language: "zh-CN", severity: "Extreme", headline: "拥堵", areas: ["huu-nghi"], expires: NOW + 3_600_000 },
      { language: "en-GB", severity: "Minor", headline: "Congestion", areas: ["huu-nghi"] },
    ];
    const p = plan(capXml({ infos }, NOW));
    expect(p.severity).toBe("critical");
    expect(p.startsAt).toBe(new Date(NOW - 60_000).toISOString());
    expect(p.expiresAt).toBe(new Date(NOW + 3_600_000).toISOString());
    expect(p.message).toEqual({ vi: "Ùn tắc", zh: "拥堵", en: "Congestion" });
  });

  it("refuses a missing language, an unknown area, no area, no expiry and a past expiry", () => {
    const vi = { language: "vi-VN", headline: "Ùn tắc", areas: ["huu-nghi"] };
    const zh = { language: "zh-CN", headline: "拥堵", areas: ["huu-nghi"] };
    const noZh = refusal(() => plan(capXml({ infos: [vi] }, NOW)));
    expect(noZh).toMatchObject({ code: "cap-missing-language", params: { gate: "huu-nghi", language: "zh" } });
    expect(refusal(() => plan(capXml({ infos: [zh] }, NOW))).params).toMatchObject({ language: "vi" });
    const unknown = refusal(() => plan(capXml({ infos: [vi, { ...zh, areas: ["Hà Nội"] }] }, NOW)));
    expect(unknown).toMatchObject({ code: "cap-unknown-area", params: { area: "Hà Nội" } });
    expect(refusal(() => plan(capXml({ infos: [vi, { ...zh, areas: [] }] }, NOW))).params).toEqual({ field: "area" });
    const noExpiry = [vi, zh].map((i) => ({ ...i, expires: Number.NaN }));
    expect(refusal(() => plan(capXml({ infos: noExpiry }, NOW))).params).toEqual({ field: "expires" });
    const past = [vi, zh].map((i) => ({ ...i, expires: NOW - 1000, onset: NOW - 60_000 }));
    expect(refusal(() => plan(capXml({ infos: past }, NOW))).code).toBe("cap-expired");
  });

  it("requires every language a gate lists (Chinese always)", () => {
    const withEn = [{ ...GATES[0], languages: ["vi", "zh", "en"] } as Gate, GATES[1] as Gate];
    const infos = [
      { language: "vi-VN", headline: "Ùn tắc", areas: ["huu-nghi"] },
      { language: "zh-CN", headline: "拥堵", areas: ["huu-nghi"] },
    ];
    const r = refusal(() => planFromCap(readCap(capXml({ infos }, NOW)), { gates: withEn, rules: [], now: NOW }));
    expect(r).toMatchObject({ code: "cap-missing-language", params: { gate: "huu-nghi", language: "en" } });
  });
});

describe("writing CAP 1.2 and the Atom feed", () => {
  const alert: Alert = {
    id: "huu-nghi-closed",
    severity: "warning",
    message: { vi: "Tạm dừng <thông quan> & kiểm tra", zh: "暂停通关", en: "Crossing paused" },
    targets: { gates: ["huu-nghi"] },
    startsAt: "2030-11-23T01:00:00.000Z",
    expiresAt: "2030-11-23T12:00:00+07:00",
  };

  it("writes a message the OASIS schema accepts and gatecast reads back to the same alert", () => {
    const xml = alertToCap({ alert, sentAt: NOW, gates: GATES.slice(0, 1), sender: "gatecast@langson.gov.vn" });
    const verdict = xmllint(xml);
    expect(verdict.output).toContain("validates");
    const p = plan(xml);
    expect(p).toMatchObject({ severity: "warning", gates: ["huu-nghi"], message: alert.message });
    expect(Date.parse(p.expiresAt)).toBe(Date.parse(alert.expiresAt));
    expect(capDateTime(NOW)).toBe("2030-11-23T01:00:00-00:00");
  });

  it("round-trips any text and severity through a schema-valid message", () => {
    // characters XML 1.0 allows
    const xmlChar = (c: number) =>
      c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
    const text = fc
      .string({ minLength: 1, maxLength: 80, unit: "binary" })
      .filter((s) => s.trim().length > 0 && [...s].every((ch) => xmlChar(ch.codePointAt(0) ?? 0)));
    fc.assert(
      fc.property(text, text, fc.constantFrom("info", "warning", "critical"), (vi, zh, severity) => {
        const a: Alert = {
          ...alert,
          severity: severity as Alert["severity"],
          message: { vi: vi.trim(), zh: zh.trim() },
        };
        const xml = alertToCap({ alert: a, sentAt: NOW, gates: GATES.slice(0, 1), sender: "gatecast@x.vn" });
        const p = plan(xml);
        expect(p.severity).toBe(severity);
        expect(p.message.vi.replace(/\s+/g, " ")).toBe(a.message.vi.replace(/\s+/g, " "));
        expect(p.message.zh.replace(/\s+/g, " ")).toBe(a.message.zh.replace(/\s+/g, " "));
      }),
      { numRuns: 60 },
    );
  });

  it("lists live notices in a well-formed Atom feed with the required elements, each linking to its CAP", () => {
    const feed = capFeed({ origin: "https://gatecast.example", entries: [{ alert, sentAt: NOW }], now: NOW });
    expect(xmllint(feed, null).ok).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === "entry" || n === "link" }).parse(feed);
    expect(doc.feed["@_xmlns"]).toBe("http://www.w3.org/2005/Atom");
    for (const k of ["id", "title", "updated", "author"]) expect(doc.feed[k]).toBeTruthy();
    const [entry] = doc.feed.entry;
    for (const k of ["id", "title", "updated"]) expect(entry[k]).toBeTruthy();
    expect(entry.link[0]).toMatchObject({
      "@_rel": "alternate",
      "@_type": "application/cap+xml",
      "@_href": "https://gatecast.example/cap/huu-nghi-closed.xml",
    });
    expect(capTime(NOW)).toBe("2030-11-23T08:00:00+07:00");
  });
});
