import { dayDate, dayNumber, localParts } from "@gatecast/playlists";
import type { CsvTable, ReportQuery } from "@gatecast/playlists/api";
import type { Context } from "../context.ts";
import { gateZones } from "../features/playRollup.ts";
import { toCsv } from "../report/csv.ts";
import { viDate } from "../report/tables.ts";
import { checkRawRange, checkReportQuery, periodicReport, ReleaseLabels } from "./periodicReport.ts";

type Ctx = Pick<Context, "store" | "clock" | "config">;

export type ReportFormat = "docx" | "xlsx" | "csv";

export const CONTENT_TYPE: Record<ReportFormat, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

/** The file a person asked for: the report (docx), its appendix (xlsx) or a CSV table. */
export async function reportFile(
  ctx: Ctx,
  q: ReportQuery & { format: ReportFormat; table: CsvTable },
): Promise<{ body: Buffer; filename: string; contentType: string }> {
  const base = `bao-cao-${q.gate ?? "tat-ca"}-${q.from}-${q.to}`;
  if (q.format === "csv") {
    const csv = reportCsv(ctx, q, q.table);
    return { body: Buffer.from(csv), filename: `${base}-${q.table}.csv`, contentType: CONTENT_TYPE.csv };
  }
  const report = periodicReport(ctx, q);
  // the writers (docx, exceljs) are loaded when a document is first asked for, not at every start
  const body =
    q.format === "docx"
      ? await (await import("../report/docx.ts")).reportDocx(report)
      : await (await import("../report/xlsx.ts")).reportXlsx(report);
  return { body, filename: `${base}.${q.format}`, contentType: CONTENT_TYPE[q.format] };
}

/**
 * CSV exports named for people: gate names, items as shown (titles; captions or file names for
 * images), Vietnamese headers. `items`: per gate and item; `months`: per month, gate and item; `plays`:
 * one row per raw play (within the raw retention), for audits.
 */
export function reportCsv(ctx: Ctx, q: ReportQuery, table: CsvTable): string {
  const { store } = ctx;
  checkReportQuery(store, q);
  const zoneOf = gateZones(store);
  const labels = new ReleaseLabels(store);
  const gateName = (id: string) => store.draft.get("gates", id)?.name.vi ?? id;
  const secs = (ms: number) => Math.round(ms / 1000);
  if (table === "plays") {
    checkRawRange(ctx, q);
    const screens = new Map(store.draft.list("screens").map((s) => [s.id, s.name]));
    // a day's start in the zone furthest ahead to its end in the zone furthest behind, then per gate
    const from = Date.parse(`${q.from}T00:00:00Z`) - 14 * 3_600_000;
    const to = Date.parse(`${dayDate(dayNumber(q.to) + 1)}T00:00:00Z`) + 12 * 3_600_000;
    const rows = store.plays
      .raw(from, to, q.gate)
      .filter((p) => {
        const d = localParts(p.startedAt, zoneOf(p.gate)).date;
        return d >= q.from && d <= q.to;
      })
      .map((p) => [
        viDate(p.startedAt, zoneOf(p.gate), true),
        gateName(p.gate),
        screens.get(p.screen) ?? p.screen,
        p.item,
        labels.label(p.item, p.releaseId).title,
        "vi + 中文",
        Math.round(p.durationMs / 100) / 10,
      ]);
    return toCsv(
      [
        "Thời điểm (giờ cửa khẩu)",
        "Cửa khẩu",
        "Màn hình",
        "Mã nội dung",
        "Tên nội dung",
        "Ngôn ngữ",
        "Thời lượng (giây)",
      ],
      rows,
    );
  }
  const byMonth = table === "months";
  const rows = store.plays.grouped(
    dayNumber(q.from),
    dayNumber(q.to),
    byMonth ? ["month", "gate", "item", "release"] : ["gate", "item", "release"],
    zoneOf,
    q.gate,
  );
  // one row per item (named as last shown) within its gate (and month)
  const merged = new Map<
    string,
    { month: string; gate: string; item: string; release: number; plays: number; ms: number }
  >();
  for (const r of rows) {
    const k = `${r.month ?? ""}|${r.gate}|${r.item}`;
    const m = merged.get(k) ?? {
      month: r.month ?? "",
      gate: r.gate ?? "",
      item: r.item ?? "",
      release: 0,
      plays: 0,
      ms: 0,
    };
    m.plays += r.plays;
    m.ms += r.ms;
    m.release = Math.max(m.release, r.release ?? 0);
    merged.set(k, m);
  }
  const sorted = [...merged.values()].sort(
    (a, b) =>
      a.month.localeCompare(b.month) ||
      a.gate.localeCompare(b.gate) ||
      b.plays - a.plays ||
      a.item.localeCompare(b.item),
  );
  const header = ["Cửa khẩu", "Mã nội dung", "Tên nội dung", "Số lượt phát", "Thời lượng (giây)"];
  return toCsv(
    byMonth ? ["Tháng", ...header] : header,
    sorted.map((m) => [
      ...(byMonth ? [m.month.split("-").reverse().join("/")] : []),
      gateName(m.gate),
      m.item,
      labels.label(m.item, m.release).title,
      m.plays,
      secs(m.ms),
    ]),
  );
}
