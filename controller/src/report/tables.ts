import { CATEGORY_LABEL, type Category, localParts } from "@gatecast/playlists";
import type { GateReport, PeriodicReport, TargetResult } from "../usecases/periodicReport.ts";

/*
 * The report's tables, once: the docx prints them with Vietnamese number and date formats, the xlsx
 * appendix keeps numbers as numbers, one sheet each.
 */

/** A cell: text, a number (with how it reads), or a date (an instant shown gate-local). */
export type Cell =
  | string
  | { n: number; as: "int" | "dec1" | "percent" }
  | { at: number; zone: string; time?: boolean }
  | null;

export interface Table {
  /** Sheet name in the xlsx (≤ 31 characters, unique). */
  sheet: string;
  title: string;
  headers: string[];
  rows: Cell[][];
  /** Said instead of an empty table. */
  empty: string;
}

const int = (n: number): Cell => ({ n: Math.round(n), as: "int" });
const dec1 = (n: number): Cell => ({ n: Math.round(n * 10) / 10, as: "dec1" });
const pct = (share: number | null): Cell => (share === null ? "—" : { n: share, as: "percent" });

export const categoryName = (c: string): string => CATEGORY_LABEL[c as Category]?.vi ?? "Không rõ";

const NF_INT = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 });
const NF_DEC = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 1.234.567 · 12,5 · 98,7 %: numbers as Vietnamese write them. */
export function viNumber(c: { n: number; as: "int" | "dec1" | "percent" }): string {
  if (c.as === "int") return NF_INT.format(c.n);
  if (c.as === "dec1") return NF_DEC.format(c.n);
  return `${NF_DEC.format(c.n * 100)} %`;
}

/** dd/MM/yyyy (and HH:mm) in the gate's zone. */
export function viDate(at: number, zone: string, time = false): string {
  const p = localParts(at, zone);
  const [y, m, d] = p.date.split("-");
  if (!time) return `${d}/${m}/${y}`;
  const min = Math.floor(p.msOfDay / 60_000);
  return `${d}/${m}/${y} ${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;
}

/** "2026-01-31" → "31/01/2026". */
export const viDay = (date: string): string => date.split("-").reverse().join("/");
/** "2026-03" → "03/2026". */
export const viMonth = (month: string): string => month.split("-").reverse().join("/");

export const cellText = (c: Cell): string => {
  if (c === null) return "";
  if (typeof c === "string") return c;
  if ("n" in c) return viNumber(c);
  return viDate(c.at, c.zone, c.time);
};

const duration = (s: number | null): string => {
  if (s === null) return "chưa";
  if (s < 60) return `${Math.round(s)} giây`;
  if (s < 3600) return `${Math.round(s / 60)} phút`;
  return `${NF_DEC.format(s / 3600)} giờ`;
};

const RULE_VI: Record<string, string> = {
  "screen-offline": "Màn hình mất kết nối",
  "screen-frozen": "Màn hình đứng hình",
  "storage-low": "Sắp hết bộ nhớ",
  "trust-error": "Lỗi xác thực nội dung",
  "clock-skewed": "Lệch đồng hồ",
  "notice-unacked": "Thông báo khẩn chưa hiển thị",
  "broker-lost": "Mất kết nối máy chủ tin nhắn",
};

export function targetText(t: TargetResult): string {
  const g = t.target;
  if (g.kind === "airtime-share") {
    const where = [...g.screens, ...g.tags.map((x) => `#${x}`)].join(", ");
    return `${categoryName(g.category)}: ít nhất ${NF_DEC.format(g.minPercent)} % thời lượng phát${where ? ` tại ${where}` : ""}`;
  }
  if (g.kind === "uptime") return `Thời gian hoạt động ít nhất ${NF_DEC.format(g.minPercent)} %`;
  return `Ít nhất ${NF_INT.format(g.min)} nội dung mới thuộc ${categoryName(g.category)}`;
}

const actualText = (t: TargetResult): Cell => (t.target.kind === "new-items" ? int(t.actual) : dec1(t.actual));

/** The tables of one gate, in the document's order. */
export function gateTables(g: GateReport, prefix: string): Table[] {
  const zone = g.gate.timezone;
  return [
    {
      sheet: `${prefix}Màn hình`,
      title: "Màn hình và thời gian hoạt động",
      headers: ["Mã màn hình", "Tên màn hình", "Giờ cần bật", "Giờ hoạt động", "Tỷ lệ hoạt động"],
      rows: g.screens.map((s) => [s.id, s.name, dec1(s.shouldOnS / 3600), dec1(s.onlineS / 3600), pct(s.uptime)]),
      empty: "Chưa có số liệu hoạt động của màn hình trong kỳ.",
    },
    {
      sheet: `${prefix}Theo tháng`,
      title: "Lượt phát và giờ phát theo chuyên mục và tháng",
      headers: ["Tháng", "Chuyên mục", "Số lượt phát", "Giờ phát"],
      rows: g.airtime.map((a) => [viMonth(a.month), categoryName(a.category), int(a.plays), dec1(a.seconds / 3600)]),
      empty: "Không có lượt phát nào trong kỳ.",
    },
    {
      sheet: `${prefix}Top 10`,
      title: "Mười nội dung được phát nhiều nhất",
      headers: ["STT", "Tên nội dung", "Chuyên mục", "Số lượt phát", "Thời lượng (giờ)"],
      rows: g.top.map((t, i) => [int(i + 1), t.title, categoryName(t.category), int(t.plays), dec1(t.seconds / 3600)]),
      empty: "Không có lượt phát nào trong kỳ.",
    },
    {
      sheet: `${prefix}Thông báo khẩn`,
      title: "Thông báo khẩn",
      headers: ["Nội dung", "Thời điểm gửi", "Màn hình đã hiển thị", "Thời gian đến khi mọi màn hình hiển thị"],
      rows: g.notices.map((n) => [
        n.message,
        { at: n.sentAt, zone, time: true },
        `${n.shown}/${n.targeted}`,
        n.allShownAfterS === null ? "chưa đủ" : duration(n.allShownAfterS),
      ]),
      empty: "Không có thông báo khẩn nào trong kỳ.",
    },
    {
      sheet: `${prefix}Sự cố`,
      title: "Sự cố kỹ thuật và thời gian khắc phục",
      headers: ["Loại sự cố", "Đối tượng", "Bắt đầu", "Khắc phục", "Thời gian khắc phục"],
      rows: g.incidents.map((i) => [
        RULE_VI[i.rule] ?? i.rule,
        i.subject,
        { at: i.openedAt, zone, time: true },
        i.resolvedAt === null ? "chưa" : { at: i.resolvedAt, zone, time: true },
        duration(i.resolveS),
      ]),
      empty: "Không có sự cố nào trong kỳ.",
    },
    {
      sheet: `${prefix}Chỉ tiêu`,
      title: "Chỉ tiêu kế hoạch và kết quả thực hiện",
      headers: ["Chỉ tiêu", "Kỳ", "Thực hiện", "Đánh giá"],
      rows: g.targets.map((t) => [
        targetText(t),
        `${viDay(t.from)} – ${viDay(t.to)}`,
        actualText(t),
        t.met ? "Đạt" : "Không đạt",
      ]),
      empty: "Chưa đặt chỉ tiêu cho kỳ này.",
    },
  ];
}

/** Items first released in the period, by category. */
export function releasedTable(r: PeriodicReport): Table {
  return {
    sheet: "Nội dung mới",
    title: "Nội dung phát hành trong kỳ theo chuyên mục",
    headers: ["Chuyên mục", "Số nội dung", "Có tiếng Việt", "Có tiếng Trung", "Nguồn"],
    rows: r.released.map((c) => [
      categoryName(c.category),
      int(c.items),
      int(c.vi),
      int(c.zh),
      c.sources.join("; ") || "—",
    ]),
    empty: "Không có nội dung mới nào được phát hành trong kỳ.",
  };
}

/** Every table of the report: the sheets of the xlsx appendix. */
export function allTables(r: PeriodicReport): Table[] {
  const many = r.gates.length > 1;
  return [releasedTable(r), ...r.gates.flatMap((g, i) => gateTables(g, many ? `${i + 1}. ` : ""))].map((t) => ({
    ...t,
    sheet: t.sheet.slice(0, 31),
  }));
}
