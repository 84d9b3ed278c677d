import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { AppError } from "../errors.ts";
import { neutralise, toCsv } from "../report/csv.ts";
import { Store } from "../store/index.ts";
import { SAMPLE_CONTENT } from "../testing/harness.ts";
import { importContent } from "./content.ts";
import { periodicReport } from "./periodicReport.ts";
import { reportCsv, reportFile } from "./reportFiles.ts";

const DAY = 86_400_000;
const T = (s: string) => Date.parse(s);
let root: string;
let store: Store;
const NOW = T("2026-07-02T03:00:00Z");
const ctx = () => ({
  store,
  clock: { now: () => NOW },
  config: loadConfig({ DATA_DIR: root, PLAYS_RETENTION_DAYS: "90" }),
});
const q = { from: "2026-05-01", to: "2026-06-30" };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "gatecast-report-"));
  store = await Store.open(join(root, "data"));
  await importContent(store, SAMPLE_CONTENT, T("2026-04-01T00:00:00Z"));
  const r1 = store.releases.create(store.draftContent(), "approver", "first", T("2026-04-01T01:00:00Z"));
  // in the period: a new promotional notice, and the customs notice renamed; the border-markers notice deleted
  const customs = store.draft.get("items", "notice-customs-declaration");
  if (customs?.kind !== "notice") throw new Error("sample content changed");
  store.draft.put(
    "items",
    { ...customs, id: "notice-fair-2026", category: "promotion", title: { vi: "Hội chợ 2026", zh: "2026年交易会" } },
    0,
  );
  store.draft.put("items", { ...customs, title: { ...customs.title, vi: "Tờ khai hải quan (mới)" } }, 0);
  store.draft.delete("items", "notice-border-markers");
  const r2 = store.releases.create(store.draftContent(), "approver", "second", T("2026-05-10T01:00:00Z"));
  // plays: the customs notice and the border markers under release 1 (before the rename and the
  // deletion), the customs notice under release 2 once, a play of the image at 23:30 on 31 May local
  const play = (id: string, item: string, at: string, releaseId: number, screen = "huu-nghi-arrivals-1") =>
    store.plays.store(screen, "huu-nghi", [{ id, item, startedAt: T(at), durationMs: 12_000, releaseId }], 0);
  play("a1", "notice-border-markers", "2026-05-02T03:00:00Z", r1.id);
  play("a2", "notice-border-markers", "2026-05-03T03:00:00Z", r1.id);
  play("a3", "notice-border-markers", "2026-05-04T03:00:00Z", r1.id);
  play("b1", "notice-customs-declaration", "2026-05-05T03:00:00Z", r1.id);
  play("b2", "notice-customs-declaration", "2026-05-06T03:00:00Z", r1.id);
  play("c1", "promo-mau-son", "2026-05-31T16:30:00Z", r2.id);
  play("d1", "notice-fair-2026", "2026-06-01T03:00:00Z", r2.id, "huu-nghi-lorry-1");
  // older than the raw window (aggregates only)
  play("z1", "notice-border-markers", "2026-03-02T03:00:00Z", r1.id);
  store.plays.rollupBatch(() => "Asia/Ho_Chi_Minh");
  store.incidents.upsertDaily([
    {
      screenId: "huu-nghi-arrivals-1",
      day: "2026-05-02",
      gate: "huu-nghi",
      shouldOnMs: 10 * 3_600_000,
      onlineOnMs: 9.9 * 3_600_000,
    },
  ]);
  store.reportTargets.create(
    { gate: "huu-nghi", from: "2026-05-01", to: "2026-06-30", target: { kind: "uptime", minPercent: 98 } },
    "approver",
    0,
  );
  store.reportTargets.create(
    {
      gate: "huu-nghi",
      from: "2026-05-01",
      to: "2026-06-30",
      target: { kind: "airtime-share", category: "border-law", minPercent: 30, screens: [], tags: [] },
    },
    "approver",
    0,
  );
  store.reportTargets.create(
    {
      gate: "huu-nghi",
      from: "2026-01-01",
      to: "2026-12-31",
      target: { kind: "new-items", category: "promotion", min: 12 },
    },
    "approver",
    0,
  );
});
afterAll(async () => {
  store.close();
  await rm(root, { recursive: true, force: true });
});

describe("the periodic report", () => {
  it("names items as they were on screen: a deleted item and a renamed one keep their names", () => {
    const r = periodicReport(ctx(), { ...q, gate: "huu-nghi" });
    const g = r.gates[0];
    expect(g?.gate.name).toBe("Cửa khẩu Quốc tế Hữu Nghị");
    expect(g?.top.map((t) => [t.title, t.plays])).toEqual([
      ["Bảo vệ mốc quốc giới", 3],
      [expect.stringMatching(/^Tờ khai hải quan$|^Khai báo hải quan/), 2],
      ["Hội chợ 2026", 1],
      [expect.stringContaining("Mẫu Sơn"), 1],
    ]);
    expect(g?.top.some((t) => t.title.includes("(mới)"))).toBe(false);
    // 23:30 on 31 May in Hà Nội is May, though it is 16:30 UTC
    expect(g?.airtime.filter((a) => a.month === "2026-05").reduce((s, a) => s + a.plays, 0)).toBe(6);
    expect(r.released).toEqual([
      { category: "promotion", items: 1, vi: 1, zh: 1, sources: ["Cục Hải quan tỉnh Lạng Sơn"] },
    ]);
    expect(g?.targets.map((t) => [t.target.kind, t.met])).toEqual([
      ["uptime", true],
      ["airtime-share", true],
      ["new-items", false],
    ]);
  });

  it("refuses to before from, an unknown gate, and per-play detail before the raw window, naming the parameter", () => {
    const issue = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof AppError ? e.issues?.map((i) => [i.path, i.code]) : e;
      }
      return undefined;
    };
    expect(issue(() => periodicReport(ctx(), { from: "2026-06-30", to: "2026-05-01" }))).toEqual([
      ["to", "range-order"],
    ]);
    expect(issue(() => periodicReport(ctx(), { ...q, gate: "nowhere" }))).toEqual([["gate", "unknown-ref"]]);
    expect(issue(() => reportCsv(ctx(), { from: "2026-03-01", to: "2026-06-30" }, "plays"))).toEqual([
      ["from", "before-retention"],
    ]);
    // the aggregates still go back that far
    expect(reportCsv(ctx(), { from: "2026-03-01", to: "2026-06-30" }, "items")).toContain(",4,48\r\n");
  });

  it("writes a docx whose text says it in Vietnamese, with Vietnamese numbers and dates", async () => {
    const f = await reportFile(ctx(), { ...q, format: "docx", table: "items" });
    const file = join(root, "r.docx");
    await writeFile(file, f.body);
    const xml = execFileSync("unzip", ["-p", file, "word/document.xml"]).toString("utf8");
    const text = xml.replace(/<[^>]+>/g, " ");
    expect(text).toContain("BÁO CÁO ĐỊNH KỲ");
    expect(text).toContain("từ ngày 01/05/2026 đến ngày 30/06/2026");
    expect(text).toContain("Mười nội dung được phát nhiều nhất");
    expect(text).toContain("Bảo vệ mốc quốc giới");
    expect(text).toContain("Không đạt");
    expect(text).toContain("99,0 %");
    expect(execFileSync("unzip", ["-p", file, "word/styles.xml"]).toString("utf8")).toContain("Times New Roman");
    // A4
    expect(xml).toMatch(/w:pgSz w:w="11906" w:h="16838"/);
  });

  it("writes an xlsx appendix, one sheet per table, numbers as numbers", async () => {
    const f = await reportFile(ctx(), { ...q, gate: "huu-nghi", format: "xlsx", table: "items" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(f.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toContain("Top 10");
    const top = wb.getWorksheet("Top 10");
    const row = top?.getRow(3);
    expect(row?.getCell(2).value).toBe("Bảo vệ mốc quốc giới");
    expect(row?.getCell(4).value).toBe(3);
    expect(typeof row?.getCell(5).value).toBe("number");
  });

  it("CSV exports name gates and items for people, by month and per play", () => {
    const items = reportCsv(ctx(), { ...q, gate: "huu-nghi" }, "items");
    expect(items.startsWith("\uFEFFCửa khẩu,Mã nội dung,Tên nội dung,Số lượt phát,Thời lượng (giây)\r\n")).toBe(true);
    expect(items).toContain("Cửa khẩu Quốc tế Hữu Nghị,notice-border-markers,Bảo vệ mốc quốc giới,3,36\r\n");
    const months = reportCsv(ctx(), q, "months");
    expect(months).toContain("05/2026,Cửa khẩu Quốc tế Hữu Nghị,promo-mau-son,");
    const plays = reportCsv(ctx(), q, "plays");
    expect(plays).toContain("31/05/2026 23:30,Cửa khẩu Quốc tế Hữu Nghị,");
    expect(plays.split("\r\n").filter(Boolean)).toHaveLength(1 + 7);
  });

  it("CSV cells a spreadsheet would run as formulas come out as text", () => {
    for (const evil of ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
      expect(neutralise(evil)).toBe(`'${evil}`);
    expect(neutralise(-5)).toBe("-5");
    expect(neutralise("Hữu Nghị")).toBe("Hữu Nghị");
    expect(toCsv(["a"], [["=1+1"], ["@x,y"]])).toBe("\uFEFFa\r\n'=1+1\r\n\"'@x,y\"\r\n");
  });
});
