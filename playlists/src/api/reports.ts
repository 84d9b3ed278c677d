import { z } from "zod";
import { refinement } from "../issues.ts";
import { Id, Instant, LocalDate, Tag } from "../schema/common.ts";
import { Category } from "../schema/content.ts";
import { empty, json, raw, route } from "./contract.ts";
import { IntIdParams, optionalQuery } from "./params.ts";

export const GroupBy = z.enum(["item", "screen", "gate", "day", "month"]);
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

/** A periodic report's range (gate-local days, both included) and gate (absent: every gate). */
export const ReportQuery = z.object({
  from: LocalDate,
  to: LocalDate,
  gate: optionalQuery(Id),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

/** Which table a CSV export holds: per item, per item and month, or one row per play (raw, for audits). */
export const CsvTable = z.enum(["items", "months", "plays"]);
export type CsvTable = z.infer<typeof CsvTable>;

export const PeriodicQuery = ReportQuery.extend({
  format: z.enum(["docx", "xlsx", "csv"]).default("docx"),
  table: CsvTable.default("items"),
}).refine((q) => q.to >= q.from, after("from"));

const percent = z.number().min(0).max(100);
/** What the office plans for a period at a gate; the report sets the actual against it. */
export const ReportTarget = z.discriminatedUnion("kind", [
  /** At least `minPercent` of airtime for a category, at the screens named (or tagged; none: all). */
  z.strictObject({
    kind: z.literal("airtime-share"),
    category: Category,
    minPercent: percent,
    screens: z.array(Id).max(500).default([]),
    tags: z.array(Tag).max(50).default([]),
  }),
  /** Uptime over the should-be-on hours at least `minPercent`. */
  z.strictObject({ kind: z.literal("uptime"), minPercent: percent }),
  /** At least `min` items of a category first released in the period. */
  z.strictObject({ kind: z.literal("new-items"), category: Category, min: z.int().min(0).max(100_000) }),
]);
export type ReportTarget = z.infer<typeof ReportTarget>;

export const TargetInput = z
  .strictObject({ gate: Id, from: LocalDate, to: LocalDate, target: ReportTarget })
  .refine((t) => t.to >= t.from, after("from"));
export type TargetInput = z.infer<typeof TargetInput>;

export const StoredTarget = z.object({
  id: z.int(),
  gate: z.string(),
  from: z.string(),
  to: z.string(),
  target: ReportTarget,
  createdAt: z.int(),
  createdBy: z.string(),
});

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
  periodic: route({
    method: "get",
    path: "/api/v1/reports/periodic",
    summary:
      "The periodic report (Báo cáo định kỳ): docx, its xlsx appendix, or a CSV table (items, months, or one row per play)",
    tag: "reports",
    role: "viewer",
    query: PeriodicQuery,
    response: raw("application/octet-stream", "docx, xlsx or CSV (UTF-8 with a BOM)"),
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

export const targetRoutes = {
  list: route({
    method: "get",
    path: "/api/v1/reports/targets",
    summary: "The targets the office set per period and gate",
    tag: "reports",
    role: "viewer",
    response: json(z.array(StoredTarget), "targets, newest period first"),
  }),
  create: route({
    method: "post",
    path: "/api/v1/reports/targets",
    summary: "Sets a target for a period at a gate (approvers)",
    tag: "reports",
    role: "approver",
    body: TargetInput,
    response: json(StoredTarget, "the target as stored", { status: 201 }),
  }),
  remove: route({
    method: "delete",
    path: "/api/v1/reports/targets/{id}",
    summary: "Removes a target (approvers)",
    tag: "reports",
    role: "approver",
    params: IntIdParams,
    response: empty("removed"),
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
