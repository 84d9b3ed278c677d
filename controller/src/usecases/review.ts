import {
  agencyById,
  type Content,
  canReview,
  type Item,
  itemMedia,
  RELEASABLE,
  REVIEW_KINDS,
  type ReviewAction,
  type ReviewEntry,
  type ReviewKind,
  scopeProblems,
  stateAfter,
  stateAfterSave,
} from "@gatecast/playlists";
import type { ContentKind, ReviewQueueEntry } from "@gatecast/playlists/api";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { AppError, invalid, issue, notFound } from "../errors.ts";
import type { Store } from "../store/index.ts";
import type { User } from "../store/users.ts";

/*
 * The review model (DESIGN.md, "Review"): what a save does to an object's state, the submit / approve /
 * reject actions, the queue, and the content a release takes (approved and released objects; for the
 * others, what the latest release holds).
 */

type Ctx = Pick<Context, "store" | "clock">;

const ONE: Record<ReviewKind, string> = { gates: "gate", items: "item", playlists: "playlist", schedules: "schedule" };

const outOfScope = (problems: { path: string; message: string; params: Record<string, string> }[]) =>
  new AppError("out-of-scope", "outside your scope", {
    issues: problems.map((p) => issue(p.path, "out-of-scope", p.message, p.params)),
  });

/**
 * A contributor writes items only, inside its scope: the item before the change (someone else's item
 * outside the scope is not theirs to take) and after it. `gates`: the item's gates before and after.
 */
export function assertContributorMay(
  user: User,
  kind: ContentKind,
  obj: { id: string },
  before: { id: string } | undefined,
  gates: { before: ReadonlySet<string>; after: ReadonlySet<string> },
): void {
  if (kind !== "items")
    throw new AppError("forbidden", `a contributor writes items only`, { params: { need: "editor", have: user.role } });
  if (!user.scope) throw outOfScope([{ path: "", message: "the account has no scope", params: {} }]);
  if (before) {
    const was = scopeProblems(user.scope, before as Item, gates.before, false);
    if (was.length > 0) throw outOfScope(was);
  }
  const now = scopeProblems(user.scope, obj as Item, gates.after, before === undefined);
  if (now.length > 0) throw outOfScope(now);
}

/** The review state a save leaves: `stateAfterSave`, with who did it. */
export function recordSave(ctx: Ctx, user: User, kind: ContentKind, id: string, existed: boolean): void {
  const prev = existed ? ctx.store.review.get(kind, id) : undefined;
  const state = stateAfterSave(prev?.state, user.role);
  const now = ctx.clock.now();
  ctx.store.review.put({
    kind,
    id,
    state,
    updatedBy: user.username,
    updatedAt: now,
    agency: user.role === "contributor" ? (user.scope?.agency ?? null) : (prev?.agency ?? null),
    submittedBy: state === "submitted" ? user.username : (prev?.submittedBy ?? null),
    submittedAt: state === "submitted" ? now : (prev?.submittedAt ?? null),
    reviewedBy: state === "approved" ? user.username : null,
    reviewedAt: state === "approved" ? now : null,
    comment: null,
    releasedIn: prev?.releasedIn ?? null,
  });
}

/** Submit, approve or reject one draft object (409 `wrong-state` when its state does not allow it). */
export function review(
  ctx: Ctx,
  user: User,
  kind: ReviewKind,
  id: string,
  action: ReviewAction,
  comment: string | undefined,
): ReviewEntry {
  return ctx.store.transaction(() => {
    const obj = ctx.store.draft.get(kind, id);
    if (!obj) throw notFound(ONE[kind], id);
    const before = ctx.store.review.get(kind, id);
    if (user.role === "contributor") {
      if (kind !== "items" || !user.scope) throw outOfScope([{ path: "", message: "not yours to submit", params: {} }]);
      const problems = scopeProblems(user.scope, obj as Item, new Set(), false);
      if (problems.length > 0) throw outOfScope(problems);
    }
    if (!canReview(action, before.state))
      throw new AppError("wrong-state", `cannot ${action} an object that is ${before.state}`, {
        params: { state: before.state, action },
      });
    if (action === "reject" && !comment)
      throw invalid([issue("comment", "comment-required", "say why it is rejected")], "a rejection needs a comment");
    const now = ctx.clock.now();
    const after: ReviewEntry = {
      ...before,
      state: stateAfter(action),
      ...(action === "submit"
        ? { submittedBy: user.username, submittedAt: now, comment: null }
        : { reviewedBy: user.username, reviewedAt: now, comment: action === "reject" ? (comment ?? null) : null }),
    };
    ctx.store.review.put(after);
    audit(ctx, user, action, ONE[kind], id, { state: before.state }, { state: after.state, comment: after.comment });
    return after;
  });
}

/** Objects under review (not released yet), submitted first; a contributor sees those of its agency. */
export function reviewQueue(ctx: Pick<Context, "store">, user: User): ReviewQueueEntry[] {
  const names = new Map(ctx.store.users.list().map((u) => [u.username, u.displayName]));
  const order = { submitted: 0, rejected: 1, draft: 2, approved: 3, released: 4 } as const;
  return ctx.store.review
    .list()
    .filter((e) => e.state !== "released")
    .filter((e) => user.role !== "contributor" || (e.agency !== null && e.agency === user.scope?.agency))
    .sort((a, b) => order[a.state] - order[b.state] || (b.updatedAt ?? 0) - (a.updatedAt ?? 0))
    .map((e) => ({ ...e, updatedByName: e.updatedBy ? (names.get(e.updatedBy) ?? null) : null }));
}

/** The agency's name for a queue (its Vietnamese name), or its id when unknown. */
export const agencyLabel = (id: string | null): string | null => (id ? (agencyById(id)?.name.vi ?? id) : null);

/**
 * What a release takes: each object approved or released as it is in the draft; any other (a draft,
 * submitted or rejected) as the latest release holds it, or not at all when it is new. `taken`: the
 * approved objects it takes, to mark released.
 */
export function releasableContent(store: Store): { content: Content; taken: { kind: ReviewKind; id: string }[] } {
  const draft = store.draftContent();
  const latest = store.releases.latest()?.content;
  const taken: { kind: ReviewKind; id: string }[] = [];
  const pick = <K extends ReviewKind>(kind: K): Content[K] => {
    const out: Content[K][number][] = [];
    for (const obj of draft[kind] as Content[K][number][]) {
      const state = store.review.get(kind, obj.id).state;
      if (RELEASABLE.has(state)) {
        if (state === "approved") taken.push({ kind, id: obj.id });
        out.push(obj);
      } else {
        const old = (latest?.[kind] as Content[K][number][] | undefined)?.find((x) => x.id === obj.id);
        if (old) out.push(old);
      }
    }
    return out as Content[K];
  };
  const content: Content = { ...draft };
  for (const kind of REVIEW_KINDS) (content as Record<ReviewKind, unknown>)[kind] = pick(kind);
  const used = new Set(content.items.map(itemMedia).filter((m): m is string => m !== undefined));
  const media = [...used].flatMap((sha) => {
    const m = store.media.info(sha);
    return m ? [{ sha256: m.sha256, bytes: m.bytes, mime: m.mime }] : [];
  });
  return { content: { ...content, media }, taken };
}
