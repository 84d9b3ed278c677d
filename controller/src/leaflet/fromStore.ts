import { DEFAULT_TIMEZONE } from "@gatecast/playlists";
import type { Browser } from "playwright-core";
import sharp from "sharp";
import { siteModel } from "../site/model.ts";
import { siteItemUrl } from "../site/paths.ts";
import type { Store } from "../store/index.ts";
import { type LeafletItem, type LeafletSize, leafletHtml } from "./html.ts";
import { LEAFLET_FONT_CSS, printPdf } from "./pdf.ts";

export class LeafletError extends Error {
  constructor(
    message: string,
    readonly missing: string[] = [],
  ) {
    super(message);
  }
}

export interface LeafletOptions {
  items: readonly string[];
  size: LeafletSize;
  /** Where the gate site is published (SITE_URL, `--base-url`): each QR opens the item's page there. */
  siteUrl?: string | undefined;
  /** Leave out items the release does not hold (the console prints what a filter shows); all missing is an error. */
  skipMissing?: boolean;
  browser?: Browser;
}

/** Print copies: sharp enough at 300 dpi across an A5 column, small enough to keep a leaflet light. */
const PRINT_WIDTH = 1600;

/**
 * A print-ready PDF of items of the newest release (never the draft): both languages, the source line,
 * the gate names, a QR code to each item's page on the gate site (else to its own link).
 */
export async function leafletFromStore(store: Store, opts: LeafletOptions): Promise<Buffer> {
  const release = store.releases.latest();
  if (!release) throw new LeafletError("the store holds no release yet");
  const missing = opts.items.filter((id) => !release.content.items.some((i) => i.id === id));
  if (missing.length > 0 && (!opts.skipMissing || missing.length === opts.items.length))
    throw new LeafletError(`not in release ${release.id}: ${missing.join(", ")}`, missing);
  const model = siteModel(release, [], release.createdAt);
  const images = new Map<string, { bytes: Buffer; mime: string }>();
  const items: LeafletItem[] = [];
  for (const id of opts.items) {
    const view = model.items.find((v) => v.item.id === id);
    if (!view) continue;
    const { item } = view;
    let image: LeafletItem["image"];
    if (item.kind === "image") {
      const { data, info } = await sharp(store.media.path(item.media), { limitInputPixels: 100_000_000 })
        .rotate()
        .resize({ width: PRINT_WIDTH, withoutEnlargement: true })
        .flatten({ background: "#ffffff" })
        .jpeg({ quality: 85 })
        .toBuffer({ resolveWithObject: true });
      const src = `/img/${item.media.slice(0, 16)}.jpg`;
      images.set(src, { bytes: data, mime: "image/jpeg" });
      image = { src, width: info.width, height: info.height };
    }
    items.push({
      item,
      gates: model.gates.filter((g) => view.gates.includes(g.gate.id)).map((g) => g.gate),
      url: opts.siteUrl ? siteItemUrl(opts.siteUrl, item.id) : item.link,
      image,
    });
  }
  const html = leafletHtml({
    items,
    size: opts.size,
    release: { id: release.id, createdAt: release.createdAt },
    timeZone: release.content.gates[0]?.timezone ?? DEFAULT_TIMEZONE,
    fontCss: LEAFLET_FONT_CSS,
  });
  return printPdf(html, images, opts.size, opts.browser);
}
