import { compileScreenProgram, Instant, resolve as resolveAt } from "@gatecast/playlists";
import { parseCommandArgs } from "../args.ts";
import { CliError, UsageError } from "../cliError.ts";
import { DEFAULT_CONTENT_DIR, type Io } from "../io.ts";
import { loadValidContent } from "../loadOrFail.ts";

const USAGE = "gatecast resolve --screen ID --at ISO8601 [DIR]";

export async function resolveCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { screen: { type: "string" }, at: { type: "string" } }, USAGE);
  if (!values.screen) throw new UsageError(`--screen is required\nusage: ${USAGE}`);
  if (!values.at) throw new UsageError(`--at is required\nusage: ${USAGE}`);
  const at = Instant.safeParse(values.at);
  if (!at.success) throw new UsageError(`--at: ${at.error.issues[0]?.message ?? "invalid"}`);

  const dir = positionals[0] ?? DEFAULT_CONTENT_DIR;
  const content = await loadValidContent(dir);
  if (!content.screens.some((s) => s.id === values.screen)) {
    const known = content.screens.map((s) => s.id).join(", ") || "none";
    throw new CliError(`unknown screen "${values.screen}" in ${dir} (known: ${known})`);
  }
  const program = compileScreenProgram(content, values.screen);
  const r = resolveAt(program, Date.parse(at.data));
  io.out(
    JSON.stringify({
      playlist: r.playlist,
      item: r.item?.id ?? null,
      alerts: r.alerts.map((a) => a.id),
      schedule: r.schedule,
      startsAt: r.item ? new Date(r.startsAt).toISOString() : null,
      endsAt: r.item ? new Date(r.endsAt).toISOString() : null,
    }),
  );
  return 0;
}
