import { compileScreenProgram, resolve } from "@gatecast/playlists";
import { parseCommandArgs } from "../args.ts";
import { DEFAULT_CONTENT_DIR, type Io } from "../io.ts";
import { loadValidContent } from "../loadOrFail.ts";

/** Until the controller lands: shows what every screen of the content plays now. */
export async function start(argv: string[], io: Io): Promise<number> {
  parseCommandArgs(argv, {}, "gatecast start");
  const dir = process.env.GATECAST_CONTENT ?? DEFAULT_CONTENT_DIR;
  const content = await loadValidContent(dir);
  const now = Date.now();
  io.out(`gatecast: what each screen plays now (${new Date(now).toISOString()}), from ${dir}`);
  for (const screen of content.screens) {
    const r = resolve(compileScreenProgram(content, screen.id), now);
    io.out(
      `  ${screen.id.padEnd(24)} ${r.playlist ?? "-"} / ${r.item?.id ?? "-"}${r.schedule ? ` (schedule ${r.schedule})` : ""}`,
    );
  }
  return 0;
}
