import type { Content } from "@gatecast/playlists";
import { formatIssue, loadContentDir } from "@gatecast/playlists/load";
import { CliError } from "./cliError.ts";

/** Loads a content folder for a command that needs it whole; problems end the command. */
export async function loadValidContent(dir: string): Promise<Content> {
  const { content, issues } = await loadContentDir(dir);
  if (issues.length > 0) {
    throw new CliError(`${issues.map(formatIssue).join("\n")}\n${dir} has problems: run gatecast validate ${dir}`);
  }
  return content;
}
