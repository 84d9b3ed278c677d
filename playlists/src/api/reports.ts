import { z } from "zod";
import { refinement } from "../issues.ts";
import { Instant } from "../schema/common.ts";
import { json, route } from "./contract.ts";
import { optionalQuery } from "./params.ts";

export const GroupBy = z.enum(["item", "screen", "gate", "day"]);
export type GroupBy = z.infer<typeof GroupBy>;

const after = (field: string) => ({
  error: `must be after ${field}`,
  path: ["to"],
  params: refinement("range-order", { after: field }),
});

export const PlaysQuery = z
  .object({
    from: Instant,
    to: Instant,
    groupBy: GroupBy.default("item"),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), after("from"));

export const PlaysReport = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: GroupBy,
  timezone: z.string(),
  rows: z.array(z.object({ key: z.string(), label: z.string(), plays: z.int(), seconds: z.number() })),
});
export type PlaysReport = z.infer<typeof PlaysReport>;

export const UptimeReport = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(
    z.object({
      screenId: z.string(),
      gate: z.string(),
      name: z.string(),
      /** Share of the should-be-on time it was online. */
      uptime: z.number(),
      /** Seconds it should have been showing (its on-hours within the range), and of those online. */
      shouldOnS: z.number(),
      onlineS: z.number(),
    }),
  ),
});
export type UptimeReport = z.infer<typeof UptimeReport>;

export const AuditQuery = z
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
    params: refinement("range-order", { after: "from" }),
  });

export const AuditEntry = z.object({
  id: z.int(),
  at: z.int(),
  actor: z.string(),
  action: z.string(),
  objectKind: z.string(),
  objectId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const reportRoutes = {
  plays: route({
    method: "get",
    path: "/api/v1/reports/plays",
    summary: "Proof-of-play counts and time on screen, grouped; CSV for Excel",
    tag: "reports",
    role: "viewer",
    query: PlaysQuery,
    response: json(PlaysReport, "rows, most played first", { alternative: "text/csv" }),
  }),
  uptime: route({
    method: "get",
    path: "/api/v1/reports/uptime",
    summary: "Share of the hours each screen should have been showing (its on-hours) that it was online",
    tag: "reports",
    role: "viewer",
    query: z.object({ from: Instant, to: Instant }),
    response: json(UptimeReport, "one row per screen"),
  }),
};

export const auditRoutes = {
  list: route({
    method: "get",
    path: "/api/v1/audit",
    summary: "Audit log entries, newest first; `from` inclusive, `to` exclusive (ISO instants)",
    tag: "audit",
    role: "approver",
    query: AuditQuery,
    response: json(z.array(AuditEntry), "entries: who, when, what, before and after"),
  }),
};
