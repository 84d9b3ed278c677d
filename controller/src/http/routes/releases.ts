import { type Content, checkContent, diffContent, EMPTY_CONTENT, sameReleasedContent } from "@gatecast/playlists";
import { z } from "zod";
import type { Context } from "../../context.ts";
import type { Release } from "../../store/releases.ts";
import type { User } from "../../store/users.ts";
import type { Api } from "../api.ts";
import { audit } from "../audit.ts";
import { contentIssueOut } from "../contentIssues.ts";
import { HttpError, notFound } from "../errors.ts";
import { IntIdParams } from "../params.ts";
import { caller } from "../request.ts";

const TAG = "releases";
const Note = z.string().trim().min(1, { error: "must not be empty" }).max(1000);

const ReleaseSummary = z.object({
  id: z.int(),
  createdAt: z.int(),
  createdBy: z.string(),
  note: z.string(),
  rollbackOf: z.int().nullable(),
});

/** Approvers publish the draft as an immutable release, or roll back to an older one; everyone may look. */
export function registerReleaseRoutes(api: Api, ctx: Context): void {
  api.route(
    {
      method: "get",
      path: "/api/v1/releases",
      summary: "Releases, newest first (without their content)",
      tag: TAG,
      role: "viewer",
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: { description: "release summaries", schema: z.array(ReleaseSummary) },
    },
    (c, { query }) => c.json(ctx.store.releases.list(query.limit)),
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/releases/:id",
      summary: "One release with its content",
      tag: TAG,
      role: "viewer",
      params: IntIdParams,
      response: { description: "the release" },
    },
    (c, { params }) => c.json(release(ctx, params.id)),
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/releases",
      summary: "Release the draft (422 when it has problems, 409 when it equals the latest release)",
      tag: TAG,
      role: "approver",
      body: z.strictObject({ note: Note }),
      response: { status: 201, description: "the new release", schema: ReleaseSummary },
    },
    (c, { body, user }) => {
      const content = ctx.store.draftContent();
      const issues = checkContent(content);
      if (issues.length > 0) throw new HttpError(422, "the draft has problems", issues.map(contentIssueOut));
      const created = publish(ctx, caller(user), content, body.note, null);
      return c.json(summary(created), 201);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/releases/:id/rollback",
      summary: "Release an older release's content again, as a new release",
      tag: TAG,
      role: "approver",
      params: IntIdParams,
      body: z.strictObject({ note: Note.optional() }),
      response: { status: 201, description: "the new release", schema: ReleaseSummary },
    },
    (c, { params, body, user }) => {
      const old = release(ctx, params.id);
      refuseMissingMedia(ctx, old.content);
      const note = body.note ?? `Quay lại bản phát hành ${old.id} / rollback to release ${old.id}`;
      const created = publish(ctx, caller(user), old.content, note, old.id);
      return c.json(summary(created), 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/releases/:id/diff",
      summary: "What a release changed against the release before it",
      tag: TAG,
      role: "viewer",
      params: IntIdParams,
      response: { description: "`{id, against, changes}`; `against` is null for the first release" },
    },
    (c, { params }) => {
      const r = release(ctx, params.id);
      const prev = ctx.store.releases.previous(r.id);
      return c.json({
        id: r.id,
        against: prev?.id ?? null,
        changes: diffContent(prev?.content ?? EMPTY_CONTENT, r.content),
      });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/draft/diff",
      summary: "What releasing the draft would change against the latest release",
      tag: TAG,
      role: "viewer",
      response: { description: "`{against, changes}`; `against` is the latest release id, null when none" },
    },
    (c) => {
      const latest = ctx.store.releases.latest();
      return c.json({
        against: latest?.id ?? null,
        changes: diffContent(latest?.content ?? EMPTY_CONTENT, ctx.store.draftContent()),
      });
    },
  );
}

function release(ctx: Context, id: number): Release {
  const r = ctx.store.releases.get(id);
  if (!r) throw notFound(`release ${id}`);
  return r;
}

const summary = ({ id, createdAt, createdBy, note, rollbackOf }: Release) => ({
  id,
  createdAt,
  createdBy,
  note,
  rollbackOf,
});

/** Creates the release unless it would change nothing, records it, and tells the publisher. */
function publish(ctx: Context, user: User, content: Content, note: string, rollbackOf: number | null): Release {
  const created = ctx.store.transaction(() => {
    const latest = ctx.store.releases.latest();
    if (latest && sameReleasedContent(latest.content, content))
      throw new HttpError(409, `nothing changed: release ${latest.id} already holds this content`);
    const r = ctx.store.releases.create(content, user.username, note, ctx.clock.now(), rollbackOf);
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

/** An old release may name media files removed since; screens could not fetch them. */
function refuseMissingMedia(ctx: Context, content: Content): void {
  const issues = content.media
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => !ctx.store.media.info(m.sha256))
    .map(({ m, i }) => ({ path: `media.${i}`, message: `media ${m.sha256} is no longer stored` }));
  if (issues.length > 0) throw new HttpError(422, "the release uses media that is no longer stored", issues);
}
