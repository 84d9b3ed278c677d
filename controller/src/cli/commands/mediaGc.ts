import { loadConfig } from "../../config.ts";
import { collectMediaGarbage, MediaGcError } from "../../features/mediaGc.ts";
import { Store } from "../../store/index.ts";
import { parseCommandArgs } from "../args.ts";
import { CliError, UsageError } from "../cliError.ts";
import type { Io } from "../io.ts";

const USAGE =
  "gatecast media-gc [--dry-run] [--keep-releases N] [--min-age-hours H]   (DATA_DIR; safe while the controller runs)";

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

function positiveInt(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name}: expected a whole number ≥ ${min}\nusage: ${USAGE}`);
  return n;
}

/**
 * `gatecast media-gc`: removes media that neither the draft, the newest releases (MEDIA_KEEP_RELEASES)
 * nor any screen's current manifest uses, and that is older than a day. `--dry-run` lists them only.
 */
export async function mediaGcCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      "dry-run": { type: "boolean" },
      "keep-releases": { type: "string" },
      "min-age-hours": { type: "string" },
    },
    USAGE,
  );
  const config = loadConfig();
  const keepReleases = positiveInt(values["keep-releases"], "keep-releases", config.mediaKeepReleases, 1);
  const hours = positiveInt(values["min-age-hours"], "min-age-hours", 24, 0);
  const store = await Store.open(config.dataDir);
  try {
    const r = await collectMediaGarbage(store, {
      keepReleases,
      graceMs: hours * 3_600_000,
      now: Date.now(),
      dryRun: values["dry-run"] ?? false,
    });
    for (const f of r.removed)
      io.out(
        `  ${f.sha256.slice(0, 12)}  ${mb(f.bytes).padStart(9)}  ${f.known ? (f.name ?? "") : "(a file the store never recorded)"}`,
      );
    const verb = r.dryRun ? "would remove" : "removed";
    io.out(
      `${verb} ${r.removed.length} media file${r.removed.length === 1 ? "" : "s"} (${mb(r.bytes)}) from ${config.dataDir}; ` +
        `kept ${r.kept}: used by the draft, the newest ${keepReleases} releases or a screen's manifest, or younger than ${hours} h`,
    );
    return 0;
  } catch (e) {
    if (e instanceof MediaGcError) throw new CliError(e.message);
    throw e;
  } finally {
    store.close();
  }
}
