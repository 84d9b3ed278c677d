import { Instant } from "@gatecast/playlists";
import { z } from "zod";
import type { Context } from "../../context.ts";
import type { Api } from "../api.ts";
import { optionalQuery } from "../params.ts";

const AuditQuery = z
  .object({
    actor: optionalQuery(z.string().max(200)),
    objectKind: optionalQuery(z.string().max(100)),
    objectId: optionalQuery(z.string().max(200)),
    from: optionalQuery(Instant),
    to: optionalQuery(Instant),
    limit: optionalQuery(z.coerce.number().int().min(1).max(1000)),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    error: '"to" is before "from"',
    path: ["to"],
  });

/** The append-only log of every change, for approvers and admins. */
export function registerAuditRoutes(api: Api, ctx: Context): void {
  api.route(
    {
      method: "get",
      path: "/api/v1/audit",
      summary: "Audit log entries, newest first; `from` inclusive, `to` exclusive (ISO instants)",
      tag: "audit",
      role: "approver",
      query: AuditQuery,
      response: { description: "entries: who, when, what, before and after" },
    },
    (c, { query }) =>
      c.json(
        ctx.store.audit.list({
          actor: query.actor,
          objectKind: query.objectKind,
          objectId: query.objectId,
          from: query.from === undefined ? undefined : Date.parse(query.from),
          to: query.to === undefined ? undefined : Date.parse(query.to),
          limit: query.limit,
        }),
      ),
  );
}
