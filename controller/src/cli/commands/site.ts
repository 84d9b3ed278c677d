import { loadConfig } from "../../config.ts";
import { loadKeyRing } from "../../keys.ts";
import { SiteError, writeSite } from "../../site/build.ts";
import { siteFromStore } from "../../site/fromStore.ts";
import { verifySite } from "../../site/verify.ts";
import { parseCommandArgs } from "../args.ts";
import { CliError, UsageError } from "../cliError.ts";
import type { Io } from "../io.ts";
import { readVerificationKeys } from "../keyFiles.ts";
import { withReadOnlyStore } from "../readOnlyStore.ts";

const SITE_USAGE =
  "gatecast site OUTDIR [--release N] [--base-url URL]   (reads DATA_DIR; safe while the controller runs)";

function baseUrlOf(value: string | undefined, usage: string): string | undefined {
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw new UsageError(`--base-url: expected an http(s) URL\nusage: ${usage}`);
  return value.replace(/\/+$/, "");
}

/** `gatecast site OUTDIR`: the static bilingual gate site of a release (the newest by default). */
export async function siteCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { release: { type: "string" }, "base-url": { type: "string" } },
    SITE_USAGE,
  );
  const out = positionals[0];
  if (!out) throw new UsageError(`OUTDIR is required\nusage: ${SITE_USAGE}`);
  const release = values.release === undefined ? undefined : Number(values.release);
  if (release !== undefined && !(Number.isInteger(release) && release > 0))
    throw new UsageError(`--release: expected a release number\nusage: ${SITE_USAGE}`);
  const config = loadConfig();
  const baseUrl = baseUrlOf(values["base-url"], SITE_USAGE) ?? config.siteUrl;
  const keys = await loadKeyRing(config.dataDir).catch((e: Error) => {
    throw new CliError(`cannot read the signing key in ${config.dataDir}: ${e.message}`);
  });
  try {
    const site = await withReadOnlyStore(config.dataDir, (store) =>
      siteFromStore(store, keys, { release, now: Date.now(), baseUrl }),
    );
    await writeSite(site, out);
    const bytes = [...site.files.values()].reduce((n, b) => n + b.length, 0);
    io.out(
      `wrote the site of release ${site.release.release} to ${out}: ${site.files.size} files, ${(bytes / 1024).toFixed(0)} KB, ` +
        `signed (release.json, key ${keys.current.keyId}; check with gatecast verify-site ${out} --key ${out}/keys.json)`,
    );
    return 0;
  } catch (e) {
    if (e instanceof SiteError) throw new CliError(e.message);
    throw e;
  }
}

/** `gatecast verify-site DIR --key KEYS`: every file of a site against its signed release.json. */
export async function verifySiteCommand(argv: string[], io: Io): Promise<number> {
  const usage = "gatecast verify-site DIR --key KEYFILE|JWKS";
  const { values, positionals } = parseCommandArgs(argv, { key: { type: "string" } }, usage);
  const dir = positionals[0];
  if (!dir || !values.key) throw new UsageError(`DIR and --key are required\nusage: ${usage}`);
  const r = await verifySite(dir, await readVerificationKeys(values.key));
  if (r.ok) {
    io.out(
      `valid: ${dir} is release ${r.release.release} as signed at ${r.release.issuedAt} by key ${r.keyId} (${r.release.pages.length} files)`,
    );
    return 0;
  }
  if (r.reason === "files") {
    for (const p of r.problems.slice(0, 50)) io.err(`  ${p.problem}: ${p.path}`);
    throw new CliError(`invalid: ${dir}: ${r.problems.length} file(s) differ from release.json`);
  }
  throw new CliError(`invalid: ${dir}: release.json ${r.reason}${r.detail ? ` (${r.detail})` : ""}`);
}
