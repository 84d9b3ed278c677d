import { formatIssue, loadContentDir } from "@gatecast/playlists/load";
import { parseCommandArgs } from "../args.ts";
import { DEFAULT_CONTENT_DIR, type Io } from "../io.ts";

const USAGE = "gatecast validate [DIR]";

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

export async function validate(argv: string[], io: Io): Promise<number> {
  const { positionals } = parseCommandArgs(argv, {}, USAGE);
  const dir = positionals[0] ?? DEFAULT_CONTENT_DIR;
  const { content, issues, files } = await loadContentDir(dir);
  if (issues.length > 0) {
    for (const issue of issues) io.err(formatIssue(issue));
    io.err(`${issues.length} problem${issues.length === 1 ? "" : "s"} in ${dir}`);
    return 1;
  }
  const mediaBytes = content.media.reduce((sum, m) => sum + m.bytes, 0);
  io.out(
    `valid: ${dir} (${files.length} files): ${content.gates.length} gates, ${content.screens.length} screens, ` +
      `${content.items.length} items, ${content.playlists.length} playlists, ${content.schedules.length} schedules, ` +
      `${content.alerts.length} alerts, ${content.media.length} media files (${megabytes(mediaBytes)})`,
  );
  return 0;
}
