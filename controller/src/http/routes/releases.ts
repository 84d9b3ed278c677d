import { routes } from "@gatecast/playlists/api";
import type { Context } from "../../context.ts";
import { readabilityReport, releaseChecked } from "../../usecases/readability.ts";
import { draftDiff, getRelease, releaseDiff, rollback, summaryOf } from "../../usecases/releases.ts";
import type { Api } from "../api.ts";
import { caller } from "../request.ts";

/** Approvers publish the draft as an immutable release, or roll back to an older one; everyone may look. */
export function registerReleaseRoutes(api: Api, ctx: Context): void {
  const r = routes.releases;
  api.handle(r.list, ({ query }) => ctx.store.releases.list(query.limit));
  api.handle(r.get, ({ params }) => getRelease(ctx, params.id));
  api.handle(r.create, async ({ body, user }) =>
    summaryOf(await releaseChecked(ctx, caller(user), body.note, body.readability)),
  );
  api.handle(r.readability, () => readabilityReport(ctx));
  api.handle(r.rollback, ({ params, body, user }) => summaryOf(rollback(ctx, caller(user), params.id, body.note)));
  api.handle(r.diff, ({ params }) => releaseDiff(ctx, params.id));
  api.handle(r.draftDiff, () => draftDiff(ctx));
}
