import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { updatedText } from "../labels.ts";
import { checkContent } from "./check.ts";
import { Content, Item } from "./content.ts";
import { GateStatusRow, nextStatusChange, rowsInForce } from "./gateStatus.ts";
import { statusRowsFromCsv, statusRowsFromJson } from "./gateStatusFile.ts";

const row = {
  crossing: { vi: "Làn xe hàng", zh: "货运通道" },
  state: "suspended",
  hours: { from: "07:00", to: "18:00" },
  from: "2026-12-01T07:00:00+07:00",
  to: "2026-12-01T12:00:00+07:00",
  reason: { vi: "Sương mù dày đặc", zh: "浓雾" },
  agency: { vi: "Chi cục Hải quan cửa khẩu Hữu Nghị", zh: "友谊口岸海关分局" },
  issuedAt: "2026-12-01T06:45:00+07:00",
};

const HEADER = [
  "crossing_vi",
  "crossing_zh",
  "state",
  "hours_from",
  "hours_to",
  "from",
  "to",
  "reason_vi",
  "reason_zh",
  "agency_vi",
  "agency_zh",
  "issued_at",
];
const cells = (values: string[]) => Object.fromEntries(HEADER.map((h, i) => [h, values[i] ?? ""]));
const good = [
  "Làn hành khách",
  "旅客通道",
  "open",
  "07:00",
  "20:00",
  "2026-12-01T00:00:00+07:00",
  "2026-12-31T23:59:00+07:00",
  "",
  "",
  "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn",
  "同登－谅山口岸经济区管理委员会",
  "2026-11-30T16:00:00+07:00",
];

describe("gate status rows", () => {
  it("reads a row with its state, hours, window, reason and agency", () => {
    expect(GateStatusRow.parse(row)).toEqual(row);
  });

  it("refuses a row whose window ends before it starts, an unknown state or a bad hour, naming the field", () => {
    const r = GateStatusRow.safeParse({ ...row, state: "half-open", hours: { from: "7h", to: "18:00" }, to: row.from });
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join("."))).toEqual(["state", "hours.from"]);
    const order = GateStatusRow.safeParse({ ...row, to: "2026-12-01T06:00:00+07:00" });
    expect(order.success ? [] : order.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["to", "must be after from"],
    ]);
  });

  it("is an item kind whose rows are held to the gate's languages", () => {
    const item = { id: "status", kind: "gate-status", category: "procedure", gate: "g", duration: 20, rows: [row] };
    const content = (rows: unknown[]) =>
      Content.parse({
        gates: [{ id: "g", name: { vi: "Hữu Nghị", zh: "友谊" }, defaultPlaylist: "p" }],
        items: [{ ...item, rows }],
        playlists: [{ id: "p", name: "P", items: ["status"] }],
      });
    expect(Item.parse(item)).toMatchObject({ kind: "gate-status", rows: [row] });
    // each row names its agency: no item source needed
    expect(checkContent(content([row]))).toEqual([]);
    const viOnly = { ...row, crossing: { vi: "Làn xe hàng" } };
    expect(checkContent(content([row, viOnly])).map((i) => [i.path.join("."), i.code])).toEqual([
      ["items.0.rows.1.crossing.zh", "language-required"],
    ]);
  });

  it("shows only the rows in force, and knows when the board next changes (property)", () => {
    const t0 = Date.parse("2026-12-01T00:00:00Z");
    const windows = fc.array(
      fc.record({ start: fc.integer({ min: 0, max: 100 }), length: fc.integer({ min: 1, max: 50 }) }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(windows, fc.integer({ min: -10, max: 160 }), (ws, at) => {
        const rows = ws.map((w) => ({
          ...row,
          from: new Date(t0 + w.start * 60_000).toISOString(),
          to: new Date(t0 + (w.start + w.length) * 60_000).toISOString(),
        })) as GateStatusRow[];
        const now = t0 + at * 60_000;
        const shown = rowsInForce(rows, now);
        expect(shown.length).toBe(ws.filter((w) => w.start <= at && at < w.start + w.length).length);
        const next = nextStatusChange(rows, now);
        if (next !== null) {
          expect(next).toBeGreaterThan(now);
          // nothing changes before the next change
          expect(rowsInForce(rows, next - 1)).toEqual(shown);
        } else expect(rowsInForce(rows, now + 1e9)).toEqual([]);
      }),
    );
  });

  it("says when it was issued in the gate's time zone, in each language", () => {
    const at = Date.parse("2026-12-01T23:45:00Z"); // 06:45 on the 2nd in Hà Nội, 07:45 in Beijing
    expect(updatedText(at, "Asia/Ho_Chi_Minh", "vi")).toBe("Cập nhật lúc 06:45 02/12/2026");
    expect(updatedText(at, "Asia/Ho_Chi_Minh", "zh")).toBe("更新于 2026年12月2日 06:45");
    expect(updatedText(at, "Asia/Shanghai", "zh")).toBe("更新于 2026年12月2日 07:45");
  });
});

describe("gate status files", () => {
  it("reads good CSV rows", () => {
    const r = statusRowsFromCsv(HEADER, [{ line: 2, cells: cells(good) }]);
    expect(r.ok && r.rows).toEqual([
      {
        crossing: { vi: "Làn hành khách", zh: "旅客通道" },
        state: "open",
        hours: { from: "07:00", to: "20:00" },
        from: "2026-12-01T00:00:00+07:00",
        to: "2026-12-31T23:59:00+07:00",
        agency: { vi: "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn", zh: "同登－谅山口岸经济区管理委员会" },
        issuedAt: "2026-11-30T16:00:00+07:00",
      },
    ]);
  });

  it("names each bad CSV row by line and column, and stores none", () => {
    const bad = [...good];
    bad[2] = "ajar";
    bad[6] = "31/12/2026";
    const noAgency = [...good];
    noAgency[9] = "";
    const r = statusRowsFromCsv(HEADER, [
      { line: 2, cells: cells(good) },
      { line: 3, cells: cells(bad) },
      { line: 5, cells: cells(noAgency) },
    ]);
    expect(r.ok ? [] : r.issues.map((i) => [i.line, i.column])).toEqual([
      [3, "state"],
      [3, "to"],
      [5, "agency_vi"],
    ]);
  });

  it("refuses a CSV header with an unknown or a missing column", () => {
    const r = statusRowsFromCsv(["crossing_vi", "stat", "from", "to", "agency_vi", "issued_at"], []);
    expect(r.ok ? [] : r.issues.map((i) => [i.line, i.column, i.code])).toEqual([
      [1, "stat", "unrecognized_keys"],
      [1, "state", "invalid_type"],
    ]);
  });

  it("reads JSON rows, and names a bad one by its number and field", () => {
    expect(statusRowsFromJson([row]).ok).toBe(true);
    expect(statusRowsFromJson({ rows: [row] }).ok).toBe(true);
    const r = statusRowsFromJson([row, { ...row, issuedAt: "yesterday", crossing: { zh: "货运通道" } }]);
    expect(r.ok ? [] : r.issues.map((i) => [i.line, i.column])).toEqual([
      [2, "crossing.vi"],
      [2, "issuedAt"],
    ]);
    expect(statusRowsFromJson({ nope: 1 }).ok).toBe(false);
  });
});
