import { z } from "zod";
import { ContentDiff } from "../diff.ts";
import { Shortfall } from "../readability/judge.ts";
import { Content } from "../schema/content.ts";
import { json, route } from "./contract.ts";
import { IntIdParams } from "./params.ts";

const TAG = "releases";
const Note = z.string().trim().min(1, { error: "must not be empty" }).max(1000);

export const ReleaseSummary = z.object({
  id: z.int(),
  createdAt: z.int(),
  createdBy: z.string(),
  note: z.string(),
  rollbackOf: z.int().nullable(),
});
export type ReleaseSummary = z.infer<typeof ReleaseSummary>;

export const ReleaseFull = ReleaseSummary.extend({ content: Content });
export type ReleaseFull = z.infer<typeof ReleaseFull>;

export const ReleaseDiff = z.object({ id: z.int(), against: z.int().nullable(), changes: ContentDiff });
export type ReleaseDiff = z.infer<typeof ReleaseDiff>;

/** The draft against the latest release (`against` null when there is none). */
export const DraftDiff = ReleaseDiff.omit({ id: true });
export type DraftDiff = z.infer<typeof DraftDiff>;

/** The draft's readability: every item × screen that falls short, and the set's fingerprint. */
export const ReadabilityReport = z.object({
  /** sha256 of the shortfall set: a release request names it to say which list the approver saw. */
  revision: z.string().regex(/^[0-9a-f]{64}$/),
  checkedAt: z.int(),
  /** false: this controller does not check (READABILITY_CHECK=off); the list is empty. */
  checked: z.boolean(),
  /** Item × screen pairs checked. */
  pairs: z.int().nonnegative(),
  blocking: z.int().nonnegative(),
  warnings: z.int().nonnegative(),
  shortfalls: z.array(Shortfall),
});
export type ReadabilityReport = z.infer<typeof ReadabilityReport>;

/** What the approver saw of the draft's readability, and why they release despite blocking shortfalls. */
export const ReleaseReadability = z.strictObject({
  revision: z.string().regex(/^[0-9a-f]{64}$/, { error: "expected the report's revision" }),
  /** Required when blocking shortfalls remain: goes into the audit log. */
  reason: z.string().trim().min(10, { error: "say why, in at least 10 characters" }).max(1000).optional(),
});
export type ReleaseReadability = z.infer<typeof ReleaseReadability>;

export const releaseRoutes = {
  list: route({
    method: "get",
    path: "/api/v1/releases",
    summary: "Releases, newest first (without their content)",
    tag: TAG,
    role: "viewer",
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    response: json(z.array(ReleaseSummary), "release summaries"),
  }),
  get: route({
    method: "get",
    path: "/api/v1/releases/:id",
    summary: "One release with its content",
    tag: TAG,
    role: "viewer",
    params: IntIdParams,
    response: json(ReleaseFull, "the release"),
  }),
  create: route({
    method: "post",
    path: "/api/v1/releases",
    summary:
      "Release the draft (422 when it has problems or blocking readability shortfalls without a reason, 409 when it equals the latest release or the readability revision is stale)",
    tag: TAG,
    role: "approver",
    body: z.strictObject({ note: Note, readability: ReleaseReadability.optional() }),
    response: json(ReleaseSummary, "the new release", { status: 201 }),
  }),
  rollback: route({
    method: "post",
    path: "/api/v1/releases/:id/rollback",
    summary: "Release an older release's content again, as a new release",
    tag: TAG,
    role: "approver",
    params: IntIdParams,
    body: z.strictObject({ note: Note.optional() }),
    response: json(ReleaseSummary, "the new release", { status: 201 }),
  }),
  diff: route({
    method: "get",
    path: "/api/v1/releases/:id/diff",
    summary: "What a release changed against the release before it",
    tag: TAG,
    role: "viewer",
    params: IntIdParams,
    response: json(ReleaseDiff, "`{id, against, changes}`; `against` is null for the first release"),
  }),
  readability: route({
    method: "get",
    path: "/api/v1/draft/readability",
    summary: "The draft's items rendered on every screen that can show them: what falls short of readable",
    tag: TAG,
    role: "viewer",
    response: json(ReadabilityReport, "the shortfalls and their revision"),
  }),
  draftDiff: route({
    method: "get",
    path: "/api/v1/draft/diff",
    summary: "What releasing the draft would change against the latest release",
    tag: TAG,
    role: "viewer",
    response: json(DraftDiff, "`{against, changes}`; `against` is the latest release id, null when none"),
  }),
};
