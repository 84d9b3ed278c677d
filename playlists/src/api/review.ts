import { z } from "zod";
import { ReviewEntry, ReviewKind } from "../review.ts";
import { Id } from "../schema/common.ts";
import { json, route } from "./contract.ts";

const TAG = "review";

/** A queue entry: the object's review, with who submitted it as people know them. */
export const ReviewQueueEntry = ReviewEntry.extend({
  /** The display name of who last saved it (the contributor), when known. */
  updatedByName: z.string().nullable(),
});
export type ReviewQueueEntry = z.infer<typeof ReviewQueueEntry>;

export const ReviewParams = z.strictObject({ kind: ReviewKind, id: Id });
export const ReviewComment = z.strictObject({ comment: z.string().trim().max(2000).optional() });

const action = (name: "submit" | "approve" | "reject", role: "contributor" | "editor", summary: string) =>
  route({
    method: "post",
    path: `/api/v1/review/:kind/:id/${name}`,
    summary,
    tag: TAG,
    role,
    params: ReviewParams,
    body: ReviewComment,
    response: json(ReviewEntry, "the object's review after the action"),
  });

/**
 * The review model's API (DESIGN.md, "Review"): the queue, and the three actions. Releases take the
 * approved objects (`POST /api/v1/releases`).
 */
export const reviewRoutes = {
  queue: route({
    method: "get",
    path: "/api/v1/review",
    summary:
      "Draft objects not released yet, with their review state, who saved and submitted them (a contributor sees its own)",
    tag: TAG,
    role: "contributor",
    response: json(z.array(ReviewQueueEntry), "every object under review, submitted first"),
  }),
  submit: action("submit", "contributor", "Submit a draft (or rejected) object for review"),
  approve: action("approve", "editor", "Approve a submitted object: the next release takes it"),
  reject: action("reject", "editor", "Reject a submitted or approved object, with a comment (required)"),
};
