import { z } from "zod";

/*
 * What is wrong with an input, as a code and its params: the console words it for people, the English
 * `message` is for logs and curl. One closed list: a new kind of problem is added here, and the console's
 * message table fails to type-check until it says it in Vietnamese and English.
 */

/** zod's own issue codes, except `custom`: each custom refinement has its own code below. */
export const ZOD_ISSUE_CODES = [
  "invalid_type",
  "too_big",
  "too_small",
  "invalid_format",
  "not_multiple_of",
  "unrecognized_keys",
  "invalid_union",
  "invalid_key",
  "invalid_element",
  "invalid_value",
] as const;

/**
 * Strings with a format of ours: each is a `z.stringFormat`, so a bad value is an `invalid_format` issue
 * naming it (zod's own formats, such as `datetime`, `url` and `uuid`, come the same way).
 */
export const FORMATS = [
  "id",
  "tag",
  "time",
  "date",
  "host",
  "sha256",
  "time-zone",
  "username",
  "pairing-code",
  "base64url",
] as const;
export type Format = (typeof FORMATS)[number];

/** Codes of the domain's own checks: refinements in the schemas, the content check, and the use cases. */
export const DOMAIN_ISSUE_CODES = [
  /** A border-law, procedure or alert text without Chinese. `{category}` */
  "zh-required",
  /** A text missing a language a gate the item can play at requires. `{lang, gates}` */
  "language-required",
  /** Outside a contributor's scope: a category, a gate or an agency it does not write for. `{category?, gate?, agency?}` */
  "out-of-scope",
  /** A rejection without its comment. */
  "comment-required",
  /** A review action the object's state does not allow. `{state, action}` */
  "wrong-state",
  /** A border-law or procedure item without its source (`source.agency`). `{category}` */
  "source-required",
  /** An end not after its start (`to` before `from`, `expiresAt` not after `startsAt`). `{after}` */
  "range-order",
  /** A change that names no field. */
  "empty-patch",
  /** The same id twice in one list. `{kind, id}` */
  "duplicate-id",
  /** A reference to an object that is not there. `{kind, id}` */
  "unknown-ref",
  /** An item's media file is not in the store. `{sha256}` */
  "unknown-media",
  /** A web item's host is not on the allowlist. `{host}` */
  "host-not-allowed",
  /** Something elsewhere refers to the object being removed. `{kind, id}` */
  "in-use",
  /** The id or name is taken. `{kind?, id?}` */
  "exists",
  /** An id a fixed path uses. `{id}` */
  "reserved-id",
  /** The body's id differs from the path's. `{id}` */
  "id-mismatch",
  /** An instant already past. */
  "in-past",
  /** Targets that match no screen. */
  "no-screen",
  /** A report range longer than allowed. `{maxDays}` */
  "range-too-long",
  /** Raw detail asked for before the oldest raw play kept (aggregates go further back). `{keptFrom, retentionDays}` */
  "before-retention",
  /** An id listed twice in a new order. `{id}` */
  "listed-twice",
  /** A new order that leaves some out. `{ids}` */
  "not-listed",
  /** Needed to create a new screen while pairing it. */
  "required-to-create",
  /** A pairing code that is wrong, expired or already used. */
  "no-pairing",
  /** A release names media no longer stored. `{sha256}` */
  "media-missing",
  /** Exactly one of these fields, not both and not neither. `{fields}` */
  "one-of",
  /** The body is not JSON. */
  "not-json",
  /** An upload without its file. */
  "no-file",
  /** A content file's media path leaves the content folder. */
  "unsafe-path",
  /** Traditional-only characters in a Simplified Chinese text. `{chars, simplified}` */
  "traditional-chinese",
  /** Latin or Vietnamese words where Chinese belongs. `{words}` */
  "not-chinese",
  /** Characters the kiosk's bundled fonts cannot draw (emoji, other scripts). `{chars}` */
  "undrawable",
  /** The current password given to change one's own is not it. */
  "wrong-password",
] as const;
export type DomainIssueCode = (typeof DOMAIN_ISSUE_CODES)[number];

export const IssueCode = z.enum([...ZOD_ISSUE_CODES, ...DOMAIN_ISSUE_CODES]);
export type IssueCode = z.infer<typeof IssueCode>;

export const IssueParams = z.record(z.string(), z.json());
export type IssueParams = z.infer<typeof IssueParams>;

/** One problem with an input, at a dotted path inside it (`title.zh`, `items.2.item`). */
export const ApiIssue = z.object({
  path: z.string(),
  code: IssueCode,
  message: z.string(),
  params: IssueParams.optional(),
});
export type ApiIssue = z.infer<typeof ApiIssue>;

const DOMAIN = new Set<string>(DOMAIN_ISSUE_CODES);
const isDomainCode = (c: unknown): c is DomainIssueCode => typeof c === "string" && DOMAIN.has(c);

/** The params of a custom refinement: its code, and what its message needs. */
export const refinement = (code: DomainIssueCode, params: Record<string, string | number> = {}) => ({
  ...params,
  code,
});

const jsonable = (v: unknown): z.infer<ReturnType<typeof z.json>> | undefined => {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map((x) => jsonable(x) ?? null);
  return undefined;
};

/** What kind of value arrived: enough to tell "required" (undefined) from "wrong type". */
function received(input: unknown): string {
  if (input === undefined) return "undefined";
  if (input === null) return "null";
  if (Array.isArray(input)) return "array";
  return typeof input;
}

/**
 * zod's issue as the API reports it. Parse with `{ reportInput: true }` so a missing value can be told
 * from a wrong one; the input itself is never copied into the answer.
 */
export function toApiIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[] = []): ApiIssue {
  const path = [...prefix, ...issue.path].map(String).join(".");
  const { code, message } = issue;
  if (code === "custom") {
    const { code: own, ...rest } = (issue.params ?? {}) as Record<string, unknown>;
    const params: IssueParams = {};
    for (const [k, v] of Object.entries(rest)) {
      const j = jsonable(v);
      if (j !== undefined) params[k] = j;
    }
    return { path, code: isDomainCode(own) ? own : "invalid_value", message, params };
  }
  const params: IssueParams = {};
  for (const [k, v] of Object.entries(issue)) {
    if (k === "code" || k === "path" || k === "message" || k === "input" || k === "errors" || k === "issues") continue;
    const j = jsonable(v);
    if (j !== undefined) params[k] = j;
  }
  const input = (issue as { input?: unknown }).input;
  if (code === "invalid_type") params.received = received(input);
  // an empty field is "required" to a person, whatever check it failed
  else if (input === "") params.received = "empty";
  return { path, code, message, params };
}

export const toApiIssues = (error: z.ZodError, prefix: readonly PropertyKey[] = []): ApiIssue[] =>
  error.issues.map((i) => toApiIssue(i, prefix));

/** Parses and, on failure, reports the issues as the API does. */
export function checkInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  prefix: readonly PropertyKey[] = [],
): { ok: true; data: z.output<T> } | { ok: false; issues: ApiIssue[] } {
  const r = schema.safeParse(value, { reportInput: true });
  return r.success ? { ok: true, data: r.data } : { ok: false, issues: toApiIssues(r.error, prefix) };
}
