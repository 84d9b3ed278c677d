import { loadConfig } from "../../config.ts";
import { Store } from "../../store/index.ts";
import { ContentError, importContent } from "../../usecases/content.ts";
import { parseCommandArgs } from "../args.ts";
import { CliError } from "../cliError.ts";
import { DEFAULT_CONTENT_DIR, type Io } from "../io.ts";

/** `gatecast import DIR`: the content folder into the draft of the store in DATA_DIR (release it from the console). */
export async function importCommand(argv: string[], io: Io): Promise<number> {
  const { positionals } = parseCommandArgs(argv, {}, "gatecast import [DIR]");
  const dir = positionals[0] ?? DEFAULT_CONTENT_DIR;
  const config = loadConfig();
  const store = await Store.open(config.dataDir);
  try {
    const now = Date.now();
    const before = store.draftContent();
    const counts = await importContent(store, dir, now);
    store.audit.record({
      at: now,
      actor: "cli",
      action: "import",
      objectKind: "draft",
      objectId: dir,
      before: { items: before.items.length },
      after: counts,
    });
    io.out(
      `imported ${dir} into the draft of ${config.dataDir}: ${counts.items} items, ${counts.media} media files. Release it to publish.`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ContentError) throw new CliError(e.message);
    throw e;
  } finally {
    store.close();
  }
}
