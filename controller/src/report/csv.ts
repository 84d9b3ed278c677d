/*
 * CSV for people: UTF-8 with a BOM and CRLF (what Excel opens with Vietnamese and Chinese intact), and no
 * cell a spreadsheet would run as a formula.
 */

/**
 * A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel and
 * LibreOffice (`=HYPERLINK(…)`, `@SUM(…)`): such text gets a leading apostrophe, which they show as
 * text. Numbers are numbers, a negative one included.
 */
export function neutralise(v: string | number): string {
  if (typeof v === "number") return String(v);
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** RFC 4180 field. */
const field = (v: string | number) => {
  const s = neutralise(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(field).join(",")).join("\r\n")}\r\n`;
}
