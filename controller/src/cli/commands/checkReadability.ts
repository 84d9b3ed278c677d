import { readFile } from "node:fs/promises";
import { isBlocking } from "@gatecast/playlists";
import { formatIssue, loadContentDir } from "@gatecast/playlists/load";
import { ChromiumMissingError } from "../../browser/chromium.ts";
import { APP_DIRS } from "../../http/static.ts";
import { checkReadability } from "../../readability/check.ts";
import { shortfallLine } from "../../readability/format.ts";
import { PreviewMissingError } from "../../readability/measure.ts";
import { parseCommandArgs } from "../args.ts";
import { CliError } from "../cliError.ts";
import { DEFAULT_CONTENT_DIR, type Io } from "../io.ts";

const USAGE = "gatecast check-readability [DIR] [--json]";

/** Exit code when the check itself could not run (no Chromium, console not built). */
export const CANNOT_CHECK = 3;

/**
 * Renders every item of a content folder on every screen that can show it, with the kiosk's renderer
 * in headless Chromium, and prints one line per shortfall; exits 1 when any of them blocks a release.
 */
export async function checkReadabilityCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: "boolean", default: false } }, USAGE);
  const dir = positionals[0] ?? DEFAULT_CONTENT_DIR;
  const { content, issues, mediaFiles } = await loadContentDir(dir);
  if (issues.length > 0)
    throw new CliError(`${issues.map(formatIssue).join("\n")}\n${dir} has problems: run gatecast validate ${dir}`);
  let result: Awaited<ReturnType<typeof checkReadability>>;
  try {
    result = await checkReadability(content, {
      consoleDir: APP_DIRS.console,
      mediaInfo: content.media,
      webHosts: content.webHosts,
      media: async (sha) => {
        const file = mediaFiles.get(sha);
        return file ? readFile(file) : null;
      },
    });
  } catch (e) {
    if (e instanceof ChromiumMissingError || e instanceof PreviewMissingError)
      throw new CliError(e.message, CANNOT_CHECK);
    throw e;
  }
  const blocking = result.shortfalls.filter(isBlocking).length;
  const warnings = result.shortfalls.length - blocking;
  if (values.json)
    io.out(
      JSON.stringify({
        revision: result.revision,
        pairs: result.pairs,
        blocking,
        warnings,
        shortfalls: result.shortfalls,
      }),
    );
  else for (const s of result.shortfalls) io.out(shortfallLine(s));
  io.err(
    `${result.pairs} item × screen pairs in ${dir}: ${blocking} blocking, ${warnings} warning${warnings === 1 ? "" : "s"}`,
  );
  return blocking > 0 ? 1 : 0;
}
