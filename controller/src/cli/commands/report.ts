import { writeFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { CsvTable, ReportQuery } from "@gatecast/playlists/api";
import { systemClock } from "../../clock.ts";
import { loadConfig } from "../../config.ts";
import { AppError } from "../../errors.ts";
import { type ReportFormat, reportFile } from "../../usecases/reportFiles.ts";
import { parseCommandArgs } from "../args.ts";
import { CliError, UsageError } from "../cliError.ts";
import type { Io } from "../io.ts";
import { withReadOnlyStore } from "../readOnlyStore.ts";

const FORMATS: Record<string, ReportFormat> = { ".docx": "docx", ".xlsx": "xlsx", ".csv": "csv" };

/**
 * The periodic report from the store in DATA_DIR (read-only: it runs beside a controller). The format
 * follows FILE's extension; a CSV holds one table (`--table items|months|plays`).
 */
export async function reportCommand(argv: string[], io: Io): Promise<number> {
  const usage =
    "gatecast report --from YYYY-MM-DD --to YYYY-MM-DD [--gate G] --out FILE.docx|.xlsx|.csv [--table items|months|plays]";
  const { values } = parseCommandArgs(
    argv,
    {
      from: { type: "string" },
      to: { type: "string" },
      gate: { type: "string" },
      out: { type: "string" },
      table: { type: "string" },
    },
    usage,
  );
  if (!values.out) throw new UsageError(`--out is required\nusage: ${usage}`);
  const format = FORMATS[extname(values.out).toLowerCase()];
  if (!format) throw new UsageError(`--out: expected a .docx, .xlsx or .csv file, got ${values.out}\nusage: ${usage}`);
  const q = ReportQuery.safeParse({ from: values.from, to: values.to, gate: values.gate });
  if (!q.success)
    throw new UsageError(
      `${q.error.issues.map((i) => `--${String(i.path[0] ?? "?")}: ${i.message}`).join("; ")}\nusage: ${usage}`,
    );
  const table = CsvTable.safeParse(values.table ?? "items");
  if (!table.success) throw new UsageError(`--table: expected items, months or plays\nusage: ${usage}`);
  const config = loadConfig();
  return withReadOnlyStore(config.dataDir, async (store) => {
    try {
      const file = await reportFile({ store, clock: systemClock, config }, { ...q.data, format, table: table.data });
      await writeFile(values.out as string, file.body, { mode: 0o640 });
      io.out(`wrote ${resolve(values.out as string)} (${file.body.length} bytes)`);
      return 0;
    } catch (e) {
      if (e instanceof AppError && e.issues?.length)
        throw new CliError(e.issues.map((i) => `--${i.path}: ${i.message}`).join("; "));
      throw e;
    }
  });
}
