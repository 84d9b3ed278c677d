import {
  BackupError,
  backup,
  DEFAULT_RESTORE_MAX_BYTES,
  isAgeRecipient,
  readAgeIdentities,
  restore,
} from "../../backup/backup.ts";
import { loadConfig } from "../../config.ts";
import { DataDirLockedError } from "../../store/lock.ts";
import { parseCommandArgs } from "../args.ts";
import { CliError, UsageError } from "../cliError.ts";
import type { Io } from "../io.ts";

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/**
 * `gatecast backup FILE`: beside a running controller. Encrypted to BACKUP_AGE_RECIPIENTS (or each
 * `--recipient`) when given; the file then ends in `.age`.
 */
export async function backupCommand(argv: string[], io: Io): Promise<number> {
  const usage = "gatecast backup FILE [--recipient AGE_PUBLIC_KEY]…   (reads DATA_DIR; safe while the controller runs)";
  const { positionals, values } = parseCommandArgs(argv, { recipient: { type: "string", multiple: true } }, usage);
  const given = positionals[0];
  if (!given) throw new UsageError(`FILE is required\nusage: ${usage}`);
  const config = loadConfig();
  const recipients = values.recipient ?? config.backupRecipients;
  const bad = recipients.find((r) => !isAgeRecipient(r));
  if (bad) throw new UsageError(`--recipient: not an age public key: ${bad}\nusage: ${usage}`);
  const file = recipients.length > 0 && !given.endsWith(".age") ? `${given}.age` : given;
  try {
    const r = await backup(config.dataDir, file, { recipients });
    io.out(
      `backed up ${config.dataDir} to ${file} (${mb(r.bytes)}, ${r.media} media files, signing key included; mode 0600, ` +
        `${r.encrypted ? `encrypted to ${recipients.length} age key${recipients.length === 1 ? "" : "s"})` : "not encrypted: keep it safe)"}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof BackupError) throw new CliError(e.message);
    throw e;
  }
}

/** `gatecast restore FILE`: into DATA_DIR, with the controller stopped (its lock refuses otherwise). */
export async function restoreCommand(argv: string[], io: Io): Promise<number> {
  const usage =
    "gatecast restore FILE [--force] [--identity AGE_KEY_FILE] [--max-gb N]   (into DATA_DIR; stop the controller first)";
  const { positionals, values } = parseCommandArgs(
    argv,
    { force: { type: "boolean" }, identity: { type: "string" }, "max-gb": { type: "string" } },
    usage,
  );
  const file = positionals[0];
  if (!file) throw new UsageError(`FILE is required\nusage: ${usage}`);
  const maxGb = values["max-gb"] === undefined ? DEFAULT_RESTORE_MAX_BYTES / 1024 ** 3 : Number(values["max-gb"]);
  if (!(maxGb > 0)) throw new UsageError(`--max-gb: expected a positive number\nusage: ${usage}`);
  const { dataDir } = loadConfig();
  try {
    const identities = values.identity ? await readAgeIdentities(values.identity) : [];
    const r = await restore(file, dataDir, {
      force: values.force ?? false,
      identities,
      maxBytes: Math.floor(maxGb * 1024 ** 3),
    });
    io.out(`restored ${file} into ${dataDir} (${r.media} media files checked)`);
    if (r.previous)
      io.out(`the data folder it replaced is kept at ${r.previous}: remove it once the controller runs well`);
    return 0;
  } catch (e) {
    if (e instanceof BackupError || e instanceof DataDirLockedError) throw new CliError(e.message);
    throw e;
  }
}
