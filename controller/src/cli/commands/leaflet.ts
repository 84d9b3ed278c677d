import { writeFile } from "node:fs/promises";
import { loadConfig } from "../../config.ts";
import { LeafletError, leafletFromStore } from "../../leaflet/fromStore.ts";
import { LEAFLET_SIZES, type LeafletSize } from "../../leaflet/html.ts";
import { parseCommandArgs } from "../args.ts";
import { CliError, UsageError } from "../cliError.ts";
import type { Io } from "../io.ts";
import { withReadOnlyStore } from "../readOnlyStore.ts";

const USAGE =
  "gatecast leaflet --item ID [--item ID]… --out FILE.pdf [--size A4|A5] [--base-url URL]   (newest release in DATA_DIR)";

/** `gatecast leaflet`: a print-ready bilingual PDF of items of the newest release. */
export async function leafletCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      item: { type: "string", multiple: true },
      out: { type: "string" },
      size: { type: "string" },
      "base-url": { type: "string" },
    },
    USAGE,
  );
  const items = values.item ?? [];
  if (items.length === 0 || !values.out) throw new UsageError(`--item and --out are required\nusage: ${USAGE}`);
  const size = (values.size ?? "A4").toUpperCase();
  if (!(LEAFLET_SIZES as readonly string[]).includes(size))
    throw new UsageError(`--size: expected A4 or A5\nusage: ${USAGE}`);
  const base = values["base-url"];
  if (base !== undefined && !(URL.canParse(base) && /^https?:$/.test(new URL(base).protocol)))
    throw new UsageError(`--base-url: expected an http(s) URL\nusage: ${USAGE}`);
  const config = loadConfig();
  const siteUrl = base?.replace(/\/+$/, "") ?? config.siteUrl;
  try {
    const pdf = await withReadOnlyStore(config.dataDir, (store) =>
      leafletFromStore(store, { items, size: size as LeafletSize, siteUrl }),
    );
    await writeFile(values.out, pdf);
    io.out(
      `wrote ${values.out}: ${items.length} item${items.length === 1 ? "" : "s"}, ${size}, ${(pdf.length / 1024).toFixed(0)} KB` +
        (siteUrl
          ? `, QR codes to ${siteUrl}`
          : ", QR codes to the items' own links (set SITE_URL or --base-url for the site)"),
    );
    return 0;
  } catch (e) {
    if (e instanceof LeafletError) throw new CliError(e.message);
    throw e;
  }
}
