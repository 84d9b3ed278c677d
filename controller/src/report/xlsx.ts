import ExcelJS from "exceljs";
import type { PeriodicReport } from "../usecases/periodicReport.ts";
import { allTables, type Cell, cellText } from "./tables.ts";

const FORMAT = { int: "#,##0", dec1: "#,##0.0", percent: "0.0%" } as const;

/** The report's appendix: one sheet per table, numbers as numbers (Excel shows them in its own locale). */
export async function reportXlsx(r: PeriodicReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "gatecast";
  for (const t of allTables(r)) {
    const ws = wb.addWorksheet(t.sheet.replace(/[\\/?*[\]:]/g, "-"));
    ws.addRow([t.title]).font = { bold: true, size: 13 };
    ws.addRow(t.headers).font = { bold: true };
    for (const row of t.rows) {
      const added = ws.addRow(row.map(value));
      row.forEach((c, i) => {
        if (c !== null && typeof c === "object" && "n" in c) added.getCell(i + 1).numFmt = FORMAT[c.as];
      });
    }
    ws.columns.forEach((col, i) => {
      col.width = Math.min(
        60,
        Math.max(12, ...t.rows.map((r) => cellText(r[i] ?? null).length + 2), (t.headers[i]?.length ?? 0) + 2),
      );
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function value(c: Cell): string | number | null {
  if (c === null || typeof c === "string") return c;
  if ("n" in c) return c.n;
  return cellText(c);
}
