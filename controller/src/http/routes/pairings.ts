import { routes } from "@gatecast/playlists/api";
import type { Context } from "../../context.ts";
import { AppError, notFound } from "../../errors.ts";
import { claimPairing } from "../../usecases/pairing.ts";
import type { Api } from "../api.ts";
import { RateLimiter } from "../rateLimit.ts";
import { caller, clientAddress, requestOrigin } from "../request.ts";

export function registerPairingRoutes(api: Api, ctx: Context): void {
  const limiter = new RateLimiter(10, 60_000);

  api.handle(routes.pairings.create, ({ c }) => {
    const hit = limiter.hit(clientAddress(c), ctx.clock.now());
    if (!hit.ok)
      throw new AppError("rate-limited", "too many pairing requests", {
        params: { retryAfterS: hit.retryAfterS, scope: "pairing" },
        headers: { "Retry-After": String(hit.retryAfterS) },
      });
    return ctx.pairings.create();
  });

  api.handle(routes.pairings.poll, ({ params, c }) => {
    const poll = ctx.pairings.poll(params.pairingId, requestOrigin(c, ctx.config.publicUrl));
    if (!poll) throw notFound("pairing (expired or already delivered)");
    c.header("Cache-Control", "no-store");
    return poll;
  });

  api.handle(routes.pairings.claim, ({ params, body, user }) => {
    const screen = claimPairing(ctx, caller(user), params.code, body);
    return { screenId: screen.id, gate: screen.gate };
  });
}
