import { z } from "zod";
import { type Role, roleAtLeast } from "./roles.ts";
import { AgencyRef, agencyById, isAgency } from "./schema/agency.ts";
import { Id } from "./schema/common.ts";
import { Category, type Item } from "./schema/content.ts";

/*
 * The review model (DESIGN.md, "Review"): every draft object (gate, item, playlist, schedule) has a
 * state. A contributor's save is a draft until they submit it; an editor or approver reviews it
 * (approve, or reject with a comment); a release takes the approved objects and marks them released.
 * An edit to an approved object sends it back to submitted. Pure: the store keeps the states, the use
 * cases ask these functions what may happen.
 */

export const REVIEW_STATES = ["draft", "submitted", "approved", "rejected", "released"] as const;
export const ReviewState = z.enum(REVIEW_STATES);
export type ReviewState = z.infer<typeof ReviewState>;

/** Draft objects that go through review. */
export const REVIEW_KINDS = ["gates", "items", "playlists", "schedules"] as const;
export const ReviewKind = z.enum(REVIEW_KINDS);
export type ReviewKind = z.infer<typeof ReviewKind>;

export const ReviewAction = z.enum(["submit", "approve", "reject"]);
export type ReviewAction = z.infer<typeof ReviewAction>;

/** The least role that may take each action (a contributor also only within its scope). */
export const REVIEW_ACTION_ROLE: Record<ReviewAction, Role> = {
  submit: "contributor",
  approve: "editor",
  reject: "editor",
};

/** States a release takes an object in (its current draft version goes out). */
export const RELEASABLE: ReadonlySet<ReviewState> = new Set(["approved", "released"]);

/** Whether `action` may be taken on an object in `state`. */
export function canReview(action: ReviewAction, state: ReviewState): boolean {
  switch (action) {
    case "submit":
      return state === "draft" || state === "rejected";
    case "approve":
      return state === "submitted";
    case "reject":
      return state === "submitted" || state === "approved";
  }
}

/** The state after a review action. */
export const stateAfter = (action: ReviewAction): ReviewState =>
  action === "submit" ? "submitted" : action === "approve" ? "approved" : "rejected";

/**
 * The state of an object after `role` saved it, from `before` (undefined: new). A contributor's save
 * is a draft, except that an edit to a submitted or approved object (re)submits it. A reviewer's
 * (editor and above) own save counts as their approval; `fourEyes` makes it a submission that another
 * reviewer must approve (the console-trust work switches it on).
 */
export function stateAfterSave(before: ReviewState | undefined, role: Role, fourEyes = false): ReviewState {
  if (roleAtLeast(role, "editor")) return fourEyes ? "submitted" : "approved";
  if (before === "approved" || before === "submitted") return "submitted";
  return "draft";
}

/** One object's review, as the API reports it. */
export const ReviewEntry = z.object({
  kind: ReviewKind,
  id: Id,
  state: ReviewState,
  /** Who last saved it, when. */
  updatedBy: z.string().nullable(),
  updatedAt: z.int().nullable(),
  /** The contributor's agency (its id), when a contributor saved it. */
  agency: z.string().nullable(),
  submittedBy: z.string().nullable(),
  submittedAt: z.int().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.int().nullable(),
  /** Why it was rejected. */
  comment: z.string().nullable(),
  releasedIn: z.int().nullable(),
});
export type ReviewEntry = z.infer<typeof ReviewEntry>;

/**
 * What a contributor may write for: its agency (every source and status row it writes names it), the
 * categories of its items and the gates they can play at (`itemGates`).
 */
export const ContributorScope = z.strictObject({
  agency: AgencyRef,
  categories: z.array(Category).min(1).max(6),
  gates: z.array(Id).min(1).max(100),
});
export type ContributorScope = z.infer<typeof ContributorScope>;

/** One way an item leaves a contributor's scope: the field, and what is outside. */
export interface ScopeProblem {
  path: string;
  message: string;
  params: Record<string, string>;
}

/**
 * Where an item a contributor writes leaves its scope (empty: inside). `gates`: the item's gates in the
 * draft with it saved (`itemGates`); a new item must name its gates itself.
 */
export function scopeProblems(
  scope: ContributorScope,
  item: Item,
  gates: ReadonlySet<string>,
  isNew: boolean,
): ScopeProblem[] {
  const out: ScopeProblem[] = [];
  const agency = agencyById(scope.agency);
  if (!scope.categories.includes(item.category))
    out.push({ path: "category", message: `not a category you write for`, params: { category: item.category } });
  if (isNew && !item.gates?.length && item.kind !== "gate-status")
    out.push({ path: "gates", message: "name the gates the item is for", params: {} });
  for (const g of gates)
    if (!scope.gates.includes(g)) out.push({ path: "gates", message: `not a gate you write for`, params: { gate: g } });
  if (agency) {
    if (item.kind === "gate-status") {
      item.rows.forEach((r, i) => {
        if (r.agency.vi.trim() !== agency.name.vi)
          out.push({ path: `rows.${i}.agency`, message: `must be ${agency.name.vi}`, params: { agency: agency.id } });
      });
    } else if (!isAgency(item.source, agency))
      out.push({ path: "source.agency", message: `must be ${agency.name.vi}`, params: { agency: agency.id } });
  }
  return out;
}
