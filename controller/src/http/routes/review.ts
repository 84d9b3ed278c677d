import { routes } from "@gatecast/playlists/api";
import type { Context } from "../../context.ts";
import { review, reviewQueue } from "../../usecases/review.ts";
import type { Api } from "../api.ts";
import { caller } from "../request.ts";

/** The review queue and its actions. */
export function registerReviewRoutes(api: Api, ctx: Context): void {
  const r = routes.review;
  api.handle(r.queue, ({ user }) => reviewQueue(ctx, caller(user)));
  for (const action of ["submit", "approve", "reject"] as const)
    api.handle(r[action], ({ params, body, user }) =>
      review(ctx, caller(user), params.kind, params.id, action, body.comment),
    );
}
