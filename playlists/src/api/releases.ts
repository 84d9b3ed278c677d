import { z } from "zod";
import { ContentDiff } from "../diff.ts";
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
    summary: "Release the draft (422 when it has problems, 409 when it equals the latest release)",
    tag: TAG,
    role: "approver",
    body: z.strictObject({ note: Note }),
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
  draftDiff: route({
    method: "get",
    path: "/api/v1/draft/diff",
    summary: "What releasing the draft would change against the latest release",
    tag: TAG,
    role: "viewer",
    response: json(DraftDiff, "`{against, changes}`; `against` is the latest release id, null when none"),
  }),
};
