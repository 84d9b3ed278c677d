import { BackupError, backup, restore } from "../../backup/backup.ts";
import { loadConfig } from "../../config.ts";
import { parseCommandArgs } from "../args.ts";
import { CliError, UsageError } from "../cliError.ts";
import type { Io } from "../io.ts";

export async function backupCommand(argv: string[], io: Io): Promise<number> {
  const usage = "gatecast backup FILE   (reads DATA_DIR; safe while the controller runs)";
  const { positionals } = parseCommandArgs(argv, {}, usage);
  const file = positionals[0];
  if (!file) throw new UsageError(`FILE is required\nusage: ${usage}`);
  const { dataDir } = loadConfig();
  try {
    const r = await backup(dataDir, file);
    io.out(
      `backed up ${dataDir} to ${file} (${(r.bytes / 1_048_576).toFixed(1)} MB, ${r.media} media files, signing key included: keep it safe)`,
    );
    return 0;
  } catch (e) {
    if (e instanceof BackupError) throw new CliError(e.message);
    throw e;
  }
}

export async function restoreCommand(argv: string[], io: Io): Promise<number> {
  const usage = "gatecast restore FILE [--force]   (into DATA_DIR; stop the controller first)";
  const { positionals, values } = parseCommandArgs(argv, { force: { type: "boolean" } }, usage);
  const file = positionals[0];
  if (!file) throw new UsageError(`FILE is required\nusage: ${usage}`);
  const { dataDir } = loadConfig();
  try {
    const r = await restore(file, dataDir, { force: values.force ?? false });
    io.out(`restored ${file} into ${dataDir} (${r.media} media files checked)`);
    return 0;
  } catch (e) {
    if (e instanceof BackupError) throw new CliError(e.message);
    throw e;
  }
}
