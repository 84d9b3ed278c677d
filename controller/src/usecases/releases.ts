import { type Content, checkContent, diffContent, EMPTY_CONTENT, sameReleasedContent } from "@gatecast/playlists";
import type { DraftDiff, ReleaseDiff, ReleaseSummary } from "@gatecast/playlists/api";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { AppError, issue, notFound } from "../errors.ts";
import type { Release } from "../store/releases.ts";
import type { User } from "../store/users.ts";
import { contentIssueOut } from "./contentIssues.ts";
import { releasableContent } from "./review.ts";
import { contentScriptErrors } from "./scripts.ts";

/*
 * Releases: an approver publishes the draft as an immutable release, or an older release's content
 * again; the publisher hears of each on the bus.
 */

type Ctx = Pick<Context, "store" | "clock" | "bus">;

export function getRelease(ctx: Pick<Context, "store">, id: number): Release {
  const r = ctx.store.releases.get(id);
  if (!r) throw notFound("release", id);
  return r;
}

export const summaryOf = ({ id, createdAt, createdBy, note, rollbackOf }: Release): ReleaseSummary => ({
  id,
  createdAt,
  createdBy,
  note,
  rollbackOf,
});

/**
 * Releases what review approved (`releasableContent`): 422 when that has problems, 409 when it equals
 * the latest release. The approved objects it takes are released.
 */
export function makeRelease(ctx: Ctx, user: User | null, note: string): Release {
  const { content, taken } = releasableContent(ctx.store);
  const issues = [...checkContent(content).map(contentIssueOut), ...contentScriptErrors(content)];
  if (issues.length > 0) throw new AppError("content-problems", "the draft has problems", { issues });
  const r = publish(ctx, user, content, note, null);
  ctx.store.review.markReleased(taken, r.id);
  return r;
}

/** Releases an older release's content again, as a new release (422 when its media is gone since). */
export function rollback(ctx: Ctx, user: User, id: number, note: string | undefined): Release {
  const old = getRelease(ctx, id);
  const missing = old.content.media
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => !ctx.store.media.info(m.sha256))
    .map(({ m, i }) =>
      issue(`media.${i}`, "media-missing", `media ${m.sha256} is no longer stored`, { sha256: m.sha256 }),
    );
  if (missing.length > 0)
    throw new AppError("media-missing", "the release uses media that is no longer stored", { issues: missing });
  return publish(
    ctx,
    user,
    old.content,
    note ?? `Quay lại bản phát hành ${old.id} / rollback to release ${old.id}`,
    old.id,
  );
}

/** What a release changed against the one before it. */
export function releaseDiff(ctx: Pick<Context, "store">, id: number): ReleaseDiff {
  const r = getRelease(ctx, id);
  const prev = ctx.store.releases.previous(r.id);
  return { id: r.id, against: prev?.id ?? null, changes: diffContent(prev?.content ?? EMPTY_CONTENT, r.content) };
}

/** What releasing now would change against the latest release (objects not approved stay out). */
export function draftDiff(ctx: Pick<Context, "store">): DraftDiff {
  const latest = ctx.store.releases.latest();
  return {
    against: latest?.id ?? null,
    changes: diffContent(latest?.content ?? EMPTY_CONTENT, releasableContent(ctx.store).content),
  };
}

/** Creates the release unless it would change nothing, records it, and tells the publisher. */
function publish(ctx: Ctx, user: User | null, content: Content, note: string, rollbackOf: number | null): Release {
  const created = ctx.store.transaction(() => {
    const latest = ctx.store.releases.latest();
    if (latest && sameReleasedContent(latest.content, content))
      throw new AppError("unchanged", `nothing changed: release ${latest.id} already holds this content`, {
        params: { release: latest.id },
      });
    const r = ctx.store.releases.create(content, user?.username ?? "system", note, ctx.clock.now(), rollbackOf);
    audit(
      ctx,
      user,
      rollbackOf === null ? "release" : "rollback",
      "release",
      r.id,
      latest ? { release: latest.id } : null,
      {
        note,
        rollbackOf,
      },
    );
    return r;
  });
  ctx.bus.emit("release", { release: created });
  return created;
}
