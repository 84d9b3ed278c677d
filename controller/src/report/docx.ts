import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { PeriodicReport } from "../usecases/periodicReport.ts";
import {
  type Cell,
  cellText,
  gateTables,
  type Table as ReportTable,
  releasedTable,
  viDate,
  viDay,
  viNumber,
} from "./tables.ts";

/*
 * The periodic report as the office edits and signs it: A4, Times New Roman (metric-compatible with
 * Liberation Serif and the Noto Serif fallbacks LibreOffice uses), Vietnamese headings, numbers as
 * 1.234.567 and dates as dd/MM/yyyy.
 */

const FONT = "Times New Roman";
const border = { style: BorderStyle.SINGLE, size: 4, color: "777777" };
const borders = { top: border, bottom: border, left: border, right: border };

const p = (text: string, opts: { bold?: boolean; center?: boolean; italic?: boolean } = {}) =>
  new Paragraph({
    alignment: opts.center ? AlignmentType.CENTER : AlignmentType.LEFT,
    spacing: { after: 120 },
    children: [new TextRun({ text, bold: opts.bold ?? false, italics: opts.italic ?? false })],
  });

const isNumber = (c: Cell) => c !== null && typeof c === "object" && "n" in c;

function table(t: ReportTable): (Paragraph | Table)[] {
  const title = new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun(t.title)] });
  if (t.rows.length === 0) return [title, p(t.empty, { italic: true })];
  const cell = (text: string, opts: { bold?: boolean; right?: boolean }) =>
    new TableCell({
      borders,
      margins: { top: 40, bottom: 40, left: 80, right: 80 },
      children: [
        new Paragraph({
          alignment: opts.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
          children: [new TextRun({ text, bold: opts.bold ?? false, size: 22 })],
        }),
      ],
    });
  return [
    title,
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: t.headers.map((h) => cell(h, { bold: true })) }),
        ...t.rows.map((r) => new TableRow({ children: r.map((c) => cell(cellText(c), { right: isNumber(c) })) })),
      ],
    }),
    p(""),
  ];
}

/** The report as a .docx file. */
export async function reportDocx(r: PeriodicReport): Promise<Buffer> {
  const zone = r.gates[0]?.gate.timezone ?? "Asia/Ho_Chi_Minh";
  const children: (Paragraph | Table)[] = [
    p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { bold: true, center: true }),
    p("Độc lập – Tự do – Hạnh phúc", { bold: true, center: true }),
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      children: [new TextRun("BÁO CÁO ĐỊNH KỲ")],
    }),
    p(`Kết quả hoạt động của cụm thông tin đối ngoại tại cửa khẩu, từ ngày ${viDay(r.from)} đến ngày ${viDay(r.to)}`, {
      center: true,
      italic: true,
    }),
    p(`Lập ngày ${viDate(r.generatedAt, zone)} từ dữ liệu của hệ thống gatecast.`, { italic: true }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun("I. Nội dung thông tin")] }),
    ...table(releasedTable(r)),
  ];
  if (r.lookups === null)
    children.push(p("Điểm tra cứu điện tử chưa được triển khai: chưa có số liệu tra cứu.", { italic: true }));
  r.gates.forEach((g, i) => {
    const total = g.totals;
    children.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        children: [
          new TextRun(`${["II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][i] ?? i + 2}. ${g.gate.name}`),
        ],
      }),
      p(`${g.gate.nameZh}`, { italic: true }),
      p(
        `Số màn hình: ${viNumber({ n: g.screens.length, as: "int" })}. Tổng số lượt phát: ${viNumber({ n: total.plays, as: "int" })}; tổng thời lượng phát: ${viNumber({ n: total.seconds / 3600, as: "dec1" })} giờ. Tỷ lệ hoạt động trong giờ cần bật: ${total.shouldOnS > 0 ? viNumber({ n: total.onlineS / total.shouldOnS, as: "percent" }) : "chưa có số liệu"}.`,
      ),
      ...gateTables(g, "").flatMap(table),
    );
  });
  const doc = new Document({
    creator: "gatecast",
    title: `Báo cáo định kỳ ${viDay(r.from)} – ${viDay(r.to)}`,
    styles: {
      default: {
        document: { run: { font: FONT, size: 26 } },
        heading1: {
          run: { font: FONT, size: 28, bold: true, color: "000000" },
          paragraph: { spacing: { before: 240, after: 120 } },
        },
        heading3: {
          run: { font: FONT, size: 26, bold: true, color: "000000" },
          paragraph: { spacing: { before: 200, after: 80 } },
        },
        title: {
          run: { font: FONT, size: 32, bold: true, color: "000000" },
          paragraph: { spacing: { before: 240, after: 120 } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            // A4 in twentieths of a point, margins 2 cm / 3 cm left as Vietnamese administrative documents have
            size: { width: 11_906, height: 16_838 },
            margin: { top: 1134, bottom: 1134, left: 1701, right: 1134 },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
