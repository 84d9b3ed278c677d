import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { formatPath } from "@gatecast/playlists";
import { systemClock } from "../../clock.ts";
import { loadConfig } from "../../config.ts";
import { AppError } from "../../errors.ts";
import { Store } from "../../store/index.ts";
import type { User } from "../../store/users.ts";
import { importGateStatus } from "../../usecases/gateStatus.ts";
import { parseCommandArgs } from "../args.ts";
import { CliError, UsageError } from "../cliError.ts";
import type { Io } from "../io.ts";

const USAGE = "gatecast import-status FILE.csv|FILE.json --item ID";

/** Who the audit log names for what this command writes. */
const CLI_USER: User = {
  id: 0,
  username: "cli",
  role: "admin",
  displayName: "gatecast import-status",
  createdAt: 0,
  disabled: false,
  scope: null,
};

/** One refused row as a person reads it: "line 3, column state: …". */
function describe(i: { path: string; message: string; params?: Record<string, unknown> }): string {
  const line = Number(i.params?.line ?? 0);
  const column = String(i.params?.column ?? "");
  if (line > 0) return `line ${line}${column ? `, column ${column}` : ""}: ${i.message}`;
  return `${i.path ? `${formatPath(i.path.split("."))}: ` : ""}${i.message}`;
}

/**
 * `gatecast import-status FILE --item ID`: an agency's CSV or JSON file becomes the rows of the draft's
 * gate-status item ID in the store in DATA_DIR (release it from the console). Every row is checked
 * first; bad rows are listed by line and column and nothing is stored.
 */
export async function importStatusCommand(argv: string[], io: Io): Promise<number> {
  const { positionals, values } = parseCommandArgs(argv, { item: { type: "string" } }, USAGE);
  const file = positionals[0];
  if (!file || !values.item) throw new UsageError(`name the file and the item\nusage: ${USAGE}`);
  const ext = extname(file).toLowerCase();
  if (ext !== ".csv" && ext !== ".json") throw new UsageError(`expected a .csv or .json file\nusage: ${USAGE}`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const config = loadConfig();
  const store = await Store.open(config.dataDir);
  try {
    const item = importGateStatus(
      { store, clock: systemClock },
      CLI_USER,
      values.item,
      ext === ".csv" ? "csv" : "json",
      text,
    );
    io.out(
      `imported ${item.rows.length} rows from ${file} into item "${item.id}" of the draft. Release it to publish.`,
    );
    return 0;
  } catch (e) {
    if (e instanceof AppError)
      throw new CliError(`${file}: ${e.message}${e.issues?.length ? `\n${e.issues.map(describe).join("\n")}` : ""}`);
    throw e;
  } finally {
    store.close();
  }
}
