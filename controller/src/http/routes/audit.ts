import { routes } from "@gatecast/playlists/api";
import type { Context } from "../../context.ts";
import type { Api } from "../api.ts";

/** The append-only log of every change, for approvers and admins. */
export function registerAuditRoutes(api: Api, ctx: Context): void {
  api.handle(routes.audit.list, ({ query }) =>
    ctx.store.audit.list({
      actor: query.actor,
      objectKind: query.objectKind,
      objectId: query.objectId,
      from: query.from === undefined ? undefined : Date.parse(query.from),
      to: query.to === undefined ? undefined : Date.parse(query.to),
      limit: query.limit,
    }),
  );
}
