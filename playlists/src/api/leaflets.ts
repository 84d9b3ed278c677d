import { z } from "zod";
import { Id } from "../schema/common.ts";
import { raw, route } from "./contract.ts";

/** Items of a leaflet, as a query: ids separated by commas, at most 50. */
export const LeafletQuery = z.object({
  items: z
    .string()
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(Id).min(1, { error: "name at least one item" }).max(50)),
  size: z.enum(["A4", "A5"]).default("A4"),
});
export type LeafletQuery = z.infer<typeof LeafletQuery>;

export const leafletRoutes = {
  pdf: route({
    method: "get",
    path: "/api/v1/leaflet",
    summary: "A print-ready bilingual PDF of items of the newest release (never the draft)",
    tag: "releases",
    role: "editor",
    query: LeafletQuery,
    response: raw("application/pdf", "PDF: both languages, source, QR code to each item's page on the gate site"),
  }),
};
