import { Id, Orientation, Tag } from "@gatecast/playlists";
import { z } from "zod";
import type { Context } from "../../context.ts";
import type { Services } from "../../services.ts";
import type { Api } from "../api.ts";
import { audit } from "../audit.ts";
import { HttpError, notFound } from "../errors.ts";
import { RateLimiter } from "../rateLimit.ts";
import { clientAddress, requestOrigin } from "../request.ts";

const Code = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{6}$/, { error: "expected the 6-character code shown on the screen" }));

const Claim = z.object({
  screenId: Id,
  /** To create the screen while claiming it; leave out for a screen already in the inventory. */
  gate: Id.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  tags: z.array(Tag).optional(),
  orientation: Orientation.optional(),
});

export function registerPairingRoutes(api: Api, ctx: Context, services: Services): void {
  const limiter = new RateLimiter(10, 60_000);

  api.route(
    {
      method: "post",
      path: "/api/v1/pairings",
      summary: "An unpaired screen asks for a pairing code",
      tag: "pairing",
      role: null,
      response: { status: 201, description: "{pairingId, code, expiresAt}" },
    },
    (c) => {
      const hit = limiter.hit(clientAddress(c), ctx.clock.now());
      if (!hit.ok)
        throw new HttpError(429, "too many pairing requests", undefined, { "Retry-After": String(hit.retryAfterS) });
      return c.json(services.pairings.create(), 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/pairings/:pairingId",
      summary: "The screen polls: pending, or its credentials once",
      tag: "pairing",
      role: null,
      params: z.object({ pairingId: z.uuid() }),
    },
    (c, { params }) => {
      const poll = services.pairings.poll(params.pairingId, requestOrigin(c, ctx.config.publicUrl));
      if (!poll) throw notFound("pairing (expired or already delivered)");
      c.header("Cache-Control", "no-store");
      return c.json(poll);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/pairings/:code/claim",
      summary: "Claim a screen's code for a screen id (creating the screen if gate and name are given)",
      tag: "pairing",
      role: "admin",
      params: z.object({ code: Code }),
      body: Claim,
    },
    (c, { params, body, user }) => {
      let screen = ctx.store.draft.get("screens", body.screenId);
      if (!screen) {
        if (!body.gate || !body.name) {
          throw new HttpError(404, `screen ${body.screenId} not found: give gate and name to create it`, [
            { path: "gate", message: "required to create a new screen" },
          ]);
        }
        if (!ctx.store.draft.get("gates", body.gate))
          throw new HttpError(400, "invalid body", [{ path: "gate", message: `unknown gate "${body.gate}"` }]);
        screen = {
          id: body.screenId,
          gate: body.gate,
          name: body.name,
          tags: body.tags ?? [],
          orientation: body.orientation ?? "landscape",
        };
        ctx.store.draft.put("screens", screen, ctx.clock.now());
        audit(ctx, user, "create", "screen", screen.id, null, screen);
      }
      if (!services.pairings.claim(params.code, screen.id))
        throw notFound(`pairing code ${params.code} (wrong or expired)`);
      audit(ctx, user, "pair", "screen", screen.id, null, { code: params.code });
      ctx.bus.emit("screens-changed", { screenIds: [screen.id] });
      return c.json({ screenId: screen.id, gate: screen.gate });
    },
  );
}
