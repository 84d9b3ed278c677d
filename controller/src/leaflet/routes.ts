import { routes } from "@gatecast/playlists/api";
import type { Context } from "../context.ts";
import { notFound } from "../errors.ts";
import type { Api } from "../http/api.ts";
import { LeafletError, leafletFromStore } from "./fromStore.ts";

export function registerLeafletRoutes(api: Api, ctx: Context): void {
  /** One leaflet printed at a time: each takes a Chromium for a second or two. */
  let printing: Promise<unknown> = Promise.resolve();
  api.handle(routes.leaflets.pdf, async ({ query, c }) => {
    const job = printing.then(() =>
      leafletFromStore(ctx.store, {
        items: query.items,
        size: query.size,
        siteUrl: ctx.config.siteUrl,
        skipMissing: true,
      }),
    );
    printing = job.catch(() => undefined);
    let pdf: Buffer;
    try {
      pdf = await job;
    } catch (e) {
      if (e instanceof LeafletError)
        throw e.missing.length > 0 ? notFound("item", e.missing.join(", ")) : notFound("release");
      throw e;
    }
    const name = query.items.length === 1 ? query.items[0] : `${query.items.length}-items`;
    return c.body(new Uint8Array(pdf), 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="gatecast-leaflet-${name}-${query.size}.pdf"`,
      "Cache-Control": "no-store",
    });
  });
}
