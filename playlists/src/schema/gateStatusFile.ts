import { z } from "zod";
import { GateStatusRow, MAX_STATUS_ROWS } from "./gateStatus.ts";

/*
 * Gate status as agencies send it: a CSV file (one row per crossing and window, the columns below,
 * a header line first) or a JSON array of rows shaped as `GateStatusRow`. Every row is checked; a bad
 * row is named by its line (CSV: the file's line; JSON: the row's number) and column.
 */

/** CSV columns, as the header names them, and where each goes in a row. */
export const STATUS_CSV_COLUMNS = [
  "crossing_vi",
  "crossing_zh",
  "crossing_en",
  "state",
  "hours_from",
  "hours_to",
  "from",
  "to",
  "reason_vi",
  "reason_zh",
  "reason_en",
  "agency_vi",
  "agency_zh",
  "agency_en",
  "issued_at",
] as const;
export type StatusCsvColumn = (typeof STATUS_CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly StatusCsvColumn[] = ["crossing_vi", "state", "from", "to", "agency_vi", "issued_at"];

/** One problem with a row of a status file: its line (1-based) and column, and what is wrong. */
export const StatusFileIssue = z.object({
  line: z.int().nonnegative(),
  column: z.string(),
  code: z.string(),
  message: z.string(),
});
export type StatusFileIssue = z.infer<typeof StatusFileIssue>;

export type StatusFileResult = { ok: true; rows: GateStatusRow[] } | { ok: false; issues: StatusFileIssue[] };

/** One CSV record: the file line it starts on and its cells by header name. */
export interface CsvRecord {
  line: number;
  cells: Record<string, string>;
}

const nested = (path: readonly PropertyKey[]): string => path.map(String).join(".");
const flat = (path: readonly PropertyKey[]): string => {
  const [head, sub] = path.map(String);
  if (head === "issuedAt") return "issued_at";
  return sub && head !== undefined ? `${head}_${sub}` : (head ?? "");
};

function rowFromCells(cells: Record<string, string>): Record<string, unknown> {
  const v = (k: StatusCsvColumn) => {
    const s = cells[k]?.trim();
    return s ? s : undefined;
  };
  const text = (prefix: "crossing" | "reason" | "agency") => {
    const out: Record<string, string> = {};
    for (const l of ["vi", "zh", "en"] as const) {
      const s = v(`${prefix}_${l}` as StatusCsvColumn);
      if (s !== undefined) out[l] = s;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const hoursFrom = v("hours_from");
  const hoursTo = v("hours_to");
  return {
    crossing: text("crossing") ?? {},
    state: v("state")?.toLowerCase(),
    ...(hoursFrom || hoursTo ? { hours: { from: hoursFrom, to: hoursTo } } : {}),
    from: v("from"),
    to: v("to"),
    ...(text("reason") ? { reason: text("reason") } : {}),
    agency: text("agency") ?? {},
    issuedAt: v("issued_at"),
  };
}

function checkRows(
  raws: readonly { line: number; value: unknown }[],
  column: (path: readonly PropertyKey[]) => string,
): StatusFileResult {
  const issues: StatusFileIssue[] = [];
  const rows: GateStatusRow[] = [];
  if (raws.length === 0) issues.push({ line: 0, column: "", code: "too_small", message: "the file has no rows" });
  if (raws.length > MAX_STATUS_ROWS)
    issues.push({ line: 0, column: "", code: "too_big", message: `at most ${MAX_STATUS_ROWS} rows` });
  for (const { line, value } of raws) {
    const r = GateStatusRow.safeParse(value);
    if (r.success) rows.push(r.data);
    else {
      const seen = new Set<string>();
      for (const i of r.error.issues) {
        // `crossing: {}` fails as crossing.vi; one line per column
        const col = column(
          i.path.length === 1 && (i.path[0] === "crossing" || i.path[0] === "agency") ? [i.path[0], "vi"] : i.path,
        );
        if (seen.has(col)) continue;
        seen.add(col);
        const code =
          i.code === "custom" ? String((i.params as { code?: string } | undefined)?.code ?? "custom") : i.code;
        issues.push({ line, column: col, code, message: i.message });
      }
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, rows };
}

/** Rows from CSV records (the parser gives each its line); `header` names the file's columns. */
export function statusRowsFromCsv(header: readonly string[], records: readonly CsvRecord[]): StatusFileResult {
  const known = new Set<string>(STATUS_CSV_COLUMNS);
  const issues: StatusFileIssue[] = [];
  for (const h of header)
    if (!known.has(h))
      issues.push({
        line: 1,
        column: h,
        code: "unrecognized_keys",
        message: `unknown column "${h}" (expected: ${STATUS_CSV_COLUMNS.join(", ")})`,
      });
  for (const c of REQUIRED_COLUMNS)
    if (!header.includes(c)) issues.push({ line: 1, column: c, code: "invalid_type", message: "column missing" });
  if (issues.length > 0) return { ok: false, issues };
  return checkRows(
    records.map((r) => ({ line: r.line, value: rowFromCells(r.cells) })),
    flat,
  );
}

/** Rows from a JSON document: an array of rows (or `{rows: […]}`); a row's "line" is its number, from 1. */
export function statusRowsFromJson(doc: unknown): StatusFileResult {
  const list = Array.isArray(doc) ? doc : (doc as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(list))
    return { ok: false, issues: [{ line: 0, column: "", code: "invalid_type", message: "expected an array of rows" }] };
  return checkRows(
    list.map((value, i) => ({ line: i + 1, value })),
    nested,
  );
}

/** "line 3, column state: …": one issue as a person reads it. */
export const formatStatusIssue = (i: StatusFileIssue): string =>
  `${i.line > 0 ? `line ${i.line}` : "file"}${i.column ? `, column ${i.column}` : ""}: ${i.message}`;
