import { z } from "zod";
import { refinement } from "../issues.ts";
import { Id, Language } from "../schema/common.ts";
import { Alert } from "../schema/content.ts";
import { json, raw, route } from "./contract.ts";
import { AlertView } from "./fleet.ts";
import { optionalQuery } from "./params.ts";

/*
 * CAP 1.2 (OASIS Common Alerting Protocol) in and out: agencies send urgent notices as CAP messages,
 * other systems read gatecast's live notices as an Atom feed of CAP messages.
 */

/** The largest CAP message the controller reads (checked from Content-Length before the body is read). */
export const CAP_MAX_BYTES = 256 * 1024;

/** Media types a CAP message may be sent as. */
export const CAP_CONTENT_TYPES = ["application/cap+xml", "application/xml", "text/xml"] as const;

const Text = z.string().trim().min(1, { error: "must not be empty" }).max(500);

/**
 * One row of the admin's area table: a CAP `<area>` whose `areaDesc` is this text (compared without
 * regard to case and spacing), or that carries this `<geocode>`, targets these gates. An `areaDesc` equal
 * to a gate's id or to its name in any of its languages needs no row.
 */
export const CapAreaRule = z
  .strictObject({
    areaDesc: Text.optional(),
    geocode: z.strictObject({ valueName: Text, value: Text }).optional(),
    gates: z.array(Id).min(1, { error: "name at least one gate" }).max(50),
  })
  .refine((r) => (r.areaDesc === undefined) !== (r.geocode === undefined), {
    error: "give an areaDesc or a geocode (one of them)",
    path: ["areaDesc"],
    params: refinement("one-of", { fields: "areaDesc, geocode" }),
  });
export type CapAreaRule = z.infer<typeof CapAreaRule>;

export const CapAreaRules = z.strictObject({ rules: z.array(CapAreaRule).max(500) });
export type CapAreaRules = z.infer<typeof CapAreaRules>;

export const CapAction = z.enum(["send", "update", "cancel"]);
export type CapAction = z.infer<typeof CapAction>;

export const CapStatus = z.enum(["Actual", "Exercise", "System", "Test", "Draft"]);
export type CapStatus = z.infer<typeof CapStatus>;

/**
 * The answer to a CAP message: what was done, or (a message whose status is not Actual, or `?dryRun=1`)
 * what would have been done. Refusals are errors with their own codes (`cap-…`).
 */
export const CapImportResult = z.object({
  dryRun: z.boolean(),
  status: CapStatus,
  action: CapAction,
  /** The sender's identifier of the message. */
  identifier: z.string(),
  /** The alert as sent, updated or (for a cancel) as it stood. */
  alert: Alert,
  /** Gates the message targets, and the screens that show it. */
  gates: z.array(Id),
  targetedScreens: z.array(Id),
  /** Languages read from the message's `<info>` blocks. */
  languages: z.array(Language),
  /** The alert as stored after the change; null in a dry run. */
  view: AlertView.nullable(),
});
export type CapImportResult = z.infer<typeof CapImportResult>;

const cap = "cap";

export const capRoutes = {
  import: route({
    method: "post",
    path: "/api/v1/alerts/cap",
    summary:
      "Send, update or cancel an urgent notice from an OASIS CAP 1.2 message (XML); Test and Exercise messages, and ?dryRun=1, only say what would happen",
    tag: cap,
    role: "approver",
    boundToken: true,
    query: z.object({ dryRun: optionalQuery(z.enum(["0", "1", "true", "false"])) }),
    rawBody: { contentType: "application/cap+xml", maxBytes: CAP_MAX_BYTES },
    response: json(CapImportResult, "what was done, or would have been", { also: [201] }),
  }),
  areas: route({
    method: "get",
    path: "/api/v1/cap/areas",
    summary: "The table mapping CAP area descriptions and geocodes to gates",
    tag: cap,
    role: "viewer",
    response: json(CapAreaRules, "the table"),
  }),
  setAreas: route({
    method: "put",
    path: "/api/v1/cap/areas",
    summary: "Replace the table mapping CAP area descriptions and geocodes to gates",
    tag: cap,
    role: "admin",
    body: CapAreaRules,
    response: json(CapAreaRules, "the table as saved"),
  }),
  feed: route({
    method: "get",
    path: "/cap/feed.atom",
    summary: "Atom feed of the live urgent notices, each linking to its CAP 1.2 message (public)",
    tag: cap,
    role: null,
    response: raw("application/atom+xml", "the feed"),
  }),
  message: route({
    method: "get",
    path: "/cap/:file",
    summary: "One live urgent notice as a CAP 1.2 message: /cap/{id}.xml (public)",
    tag: cap,
    role: null,
    params: z.object({
      file: z.stringFormat("cap-file", /^[a-z0-9][a-z0-9-]{0,63}\.xml$/, { error: "expected {alert id}.xml" }),
    }),
    response: raw("application/cap+xml", "the CAP message"),
  }),
};
