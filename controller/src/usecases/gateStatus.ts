import {
  type GateStatusItem,
  IssueCode,
  type StatusFileIssue,
  type StatusFileResult,
  statusRowsFromCsv,
  statusRowsFromJson,
} from "@gatecast/playlists";
import type { ApiIssue } from "@gatecast/playlists/api";
import { CsvError, parse } from "csv-parse/sync";
import type { Context } from "../context.ts";
import { AppError, invalid, issue } from "../errors.ts";
import type { User } from "../store/users.ts";
import { getObject, saveObject } from "./content.ts";

type Ctx = Pick<Context, "store" | "clock">;

/** A status file's rows, each CSV record with the line it starts on. */
export function parseStatusFile(format: "csv" | "json", text: string): StatusFileResult & { lines: number[] } {
  if (format === "json") {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return {
        ok: false,
        issues: [{ line: 0, column: "", code: "not-json", message: (e as Error).message }],
        lines: [],
      };
    }
    const r = statusRowsFromJson(doc);
    return { ...r, lines: r.ok ? r.rows.map((_, i) => i + 1) : [] };
  }
  let header: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
      columns: (h: string[]) => {
        header = h.map((c) => c.trim().toLowerCase());
        return header;
      },
    });
  } catch (e) {
    if (e instanceof CsvError)
      return {
        ok: false,
        issues: [
          {
            line: (e as CsvError & { lines?: number }).lines ?? 0,
            column: "",
            code: "invalid_format",
            message: e.message,
          },
        ],
        lines: [],
      };
    throw e;
  }
  const withLines = records.map((r) => ({ line: r.info.lines, cells: r.record }));
  const r = statusRowsFromCsv(header, withLines);
  return { ...r, lines: withLines.map((x) => x.line) };
}

const toApi = (i: StatusFileIssue): ApiIssue => ({
  path: i.line > 0 ? `lines.${i.line}${i.column ? `.${i.column}` : ""}` : i.column || "file",
  code: IssueCode.safeParse(i.code).success ? (i.code as ApiIssue["code"]) : "invalid_value",
  message: i.message,
  params: { line: i.line, column: i.column },
});

/**
 * Replaces a gate-status item's rows with those of an agency's file. Every row is checked first (a bad
 * one named by line and column, nothing stored), then the item is saved like every other edit (the content
 * check: languages of the gate, and so on), its problems named by the line of the row they are in.
 */
export function importGateStatus(
  ctx: Ctx,
  user: User,
  id: string,
  format: "csv" | "json",
  text: string,
): GateStatusItem {
  const item = getObject(ctx, "items", id);
  if (item.kind !== "gate-status")
    throw invalid([issue("id", "unknown-ref", `"${id}" is not a gate-status item`, { kind: "item", id })]);
  const parsed = parseStatusFile(format, text);
  if (!parsed.ok) throw invalid(parsed.issues.map(toApi), `the ${format.toUpperCase()} file has bad rows`);
  const next: GateStatusItem = { ...item, rows: parsed.rows };
  try {
    saveObject(ctx, user, "items", next);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== "validation" || !e.issues) throw e;
    throw invalid(
      e.issues.map((i) => {
        const m = /^rows\.(\d+)\.([^.]+)(?:\.(\w+))?$/.exec(i.path);
        if (!m) return i;
        const line = parsed.lines[Number(m[1])] ?? 0;
        const column =
          format === "csv" ? [m[2], m[3]].filter(Boolean).join("_") : [m[2], m[3]].filter(Boolean).join(".");
        return { ...i, path: `lines.${line}.${column}`, params: { ...i.params, line, column } };
      }),
      `the ${format.toUpperCase()} file has bad rows`,
    );
  }
  return next;
}
