import { z } from "zod";
import { GateStatusItem } from "../schema/content.ts";
import { json, route } from "./contract.ts";
import { IdParams } from "./params.ts";

/** A status file as an agency sent it, to replace a gate-status item's rows. */
export const StatusImport = z.strictObject({
  format: z.enum(["csv", "json"]),
  /** The file's text (UTF-8), at most 1 MB. */
  text: z.string().max(1_000_000),
});
export type StatusImport = z.infer<typeof StatusImport>;

export const gateStatusRoutes = {
  importRows: route({
    method: "post",
    path: "/api/v1/items/:id/status-import",
    summary:
      "Replace a gate-status item's rows from a CSV or JSON file; every row is checked, a bad one is named by line and column (issue path `lines.{line}.{column}`)",
    tag: "content",
    role: "contributor",
    params: IdParams,
    body: StatusImport,
    response: json(GateStatusItem, "the item as stored"),
  }),
};
