import { CAP_CONTENT_TYPES, CAP_MAX_BYTES, routes } from "@gatecast/playlists/api";
import type { Context as HonoContext } from "hono";
import type { Context } from "../../context.ts";
import { AppError, notFound } from "../../errors.ts";
import { capFeedOf, capMessageOf, importCap, setCapAreas } from "../../usecases/cap.ts";
import { type Api, Reply } from "../api.ts";
import type { Env } from "../auth.ts";
import { caller, requestOrigin } from "../request.ts";

const tooLarge = () =>
  new AppError("too-large", `a CAP message is at most ${CAP_MAX_BYTES} bytes`, {
    params: { maxBytes: CAP_MAX_BYTES, kind: "cap" },
  });

/** The body as UTF-8 text, refused from its Content-Length before reading, and cut off past the limit. */
async function readBounded(c: HonoContext<Env>, max: number): Promise<string> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > max) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("cap-malformed", "the body is not UTF-8 text", { params: { encoding: "not-utf-8" } });
  }
}

/** CAP 1.2: agencies' messages in, live notices out as CAP messages and an Atom feed. */
export function registerCapRoutes(api: Api, ctx: Context): void {
  const r = routes.cap;
  api.handle(r.import, async ({ query, user, c }) => {
    const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!(CAP_CONTENT_TYPES as readonly string[]).includes(type))
      throw new AppError("unsupported-type", `send the CAP message as ${CAP_CONTENT_TYPES.join(", ")}`);
    const xml = await readBounded(c, CAP_MAX_BYTES);
    const dryRun = query.dryRun === "1" || query.dryRun === "true";
    const result = importCap(ctx, caller(user), xml, { binding: c.get("auth")?.binding ?? null, dryRun });
    return new Reply(!result.dryRun && result.action === "send" ? 201 : 200, result);
  });
  api.handle(r.areas, () => ({ rules: ctx.store.cap.rules() }));
  api.handle(r.setAreas, ({ body, user }) => ({ rules: setCapAreas(ctx, caller(user), body.rules) }));
  api.handle(r.feed, ({ c }) =>
    c.body(capFeedOf(ctx, requestOrigin(c, ctx.config.publicUrl)), 200, {
      "Content-Type": "application/atom+xml; charset=utf-8",
      "Cache-Control": "no-cache",
      "Access-Control-Allow-Origin": "*",
    }),
  );
  api.handle(r.message, ({ params, c }) => {
    const id = params.file.slice(0, -".xml".length);
    const xml = capMessageOf(ctx, id, requestOrigin(c, ctx.config.publicUrl));
    if (xml === undefined) throw notFound("alert", id);
    return c.body(xml, 200, {
      "Content-Type": "application/cap+xml; charset=utf-8",
      "Cache-Control": "no-cache",
      "Access-Control-Allow-Origin": "*",
    });
  });
}
