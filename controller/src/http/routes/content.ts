import {
  type Content,
  Gate,
  Id,
  Item,
  itemMedia,
  type MediaInfo,
  Playlist,
  ScheduleEntry,
  WebHost,
} from "@gatecast/playlists";
import { z } from "zod";
import type { Context } from "../../context.ts";
import type { DraftObject } from "../../store/draft.ts";
import type { User } from "../../store/users.ts";
import type { Api } from "../api.ts";
import { audit } from "../audit.ts";
import { describeIssues, elsewhereOut, pathString, problemsOfChange } from "../contentIssues.ts";
import { badRequest, HttpError, type IssueOut, notFound } from "../errors.ts";
import { IdParams } from "../params.ts";
import { caller } from "../request.ts";

const CONTENT_KINDS = ["gates", "items", "playlists", "schedules"] as const;
type ContentKind = (typeof CONTENT_KINDS)[number];
type ContentObject = DraftObject<ContentKind>;

const KINDS = {
  gates: { schema: Gate, one: "gate" },
  items: { schema: Item, one: "item" },
  playlists: { schema: Playlist, one: "playlist" },
  schedules: { schema: ScheduleEntry, one: "schedule" },
} as const;

/** Ids a fixed path below the kind would shadow: `PUT /schedules/order` reorders. */
const RESERVED_IDS: Partial<Record<ContentKind, string>> = { schedules: "order" };

const TAG = "content";

/** A PUT body: checked against the kind's schema once the path's id is filled in. */
const ObjectBody = z
  .record(z.string(), z.unknown())
  .meta({ description: "The object; `id` may be left out (it is taken from the path)" });

const WebHostsBody = z.strictObject({ hosts: z.array(WebHost).max(1000) });
const OrderBody = z.strictObject({ ids: z.array(Id).max(10_000) });

/** Draft CRUD: editors write, viewers read. Nothing here reaches a screen until an approver releases. */
export function registerContentRoutes(api: Api, ctx: Context): void {
  registerDraftRoutes(api, ctx);
  registerScheduleOrder(api, ctx); // before `PUT /schedules/:id`, which would match "order" as an id
  for (const kind of CONTENT_KINDS) registerKind(api, ctx, kind);
}

function registerDraftRoutes(api: Api, ctx: Context): void {
  api.route(
    {
      method: "get",
      path: "/api/v1/draft",
      summary: "The whole draft and the problems that would stop its release",
      tag: TAG,
      role: "viewer",
      response: { description: "`{content, issues}`" },
    },
    (c) => {
      const content = ctx.store.draftContent();
      return c.json({ content, issues: describeIssues(content) });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/web-hosts",
      summary: "Hosts `web` items may show",
      tag: TAG,
      role: "viewer",
      response: { description: "`{hosts}`", schema: WebHostsBody },
    },
    (c) => c.json({ hosts: ctx.store.draft.webHosts() }),
  );

  api.route(
    {
      method: "put",
      path: "/api/v1/web-hosts",
      summary: "Replace the hosts `web` items may show",
      tag: TAG,
      role: "editor",
      body: WebHostsBody,
      response: { description: "`{hosts}` as stored (sorted, without duplicates)", schema: WebHostsBody },
    },
    (c, { body, user }) => {
      const hosts = [...new Set(body.hosts)].sort();
      ctx.store.transaction(() => {
        const draft = ctx.store.draftContent();
        const { caused } = problemsOfChange(draft, { ...draft, webHosts: hosts }, null);
        if (caused.length > 0)
          throw new HttpError(
            409,
            "web items still show these hosts",
            caused.map((l) => elsewhereOut(l)),
          );
        ctx.store.draft.setWebHosts(hosts);
        audit(ctx, caller(user), "update", "web-hosts", null, { hosts: draft.webHosts }, { hosts });
      });
      return c.json({ hosts });
    },
  );
}

function registerScheduleOrder(api: Api, ctx: Context): void {
  api.route(
    {
      method: "put",
      path: "/api/v1/schedules/order",
      summary: "Set the schedules' order: priority ties go to the first listed",
      tag: TAG,
      role: "editor",
      body: OrderBody,
      response: { description: "`{ids}` in the new order", schema: OrderBody },
    },
    (c, { body, user }) => {
      const current = ctx.store.draft.list("schedules").map((s) => s.id);
      const issues = orderIssues(current, body.ids);
      if (issues.length > 0) throw new HttpError(400, "invalid body", issues);
      ctx.store.transaction(() => {
        ctx.store.draft.reorder("schedules", body.ids);
        audit(ctx, caller(user), "reorder", "schedule", null, { ids: current }, { ids: body.ids });
      });
      return c.json({ ids: body.ids });
    },
  );
}

/** The new order must name every schedule once: a partial list would leave the rest's place unclear. */
function orderIssues(current: readonly string[], ids: readonly string[]): IssueOut[] {
  const known = new Set(current);
  const seen = new Set<string>();
  const issues: IssueOut[] = [];
  for (const [i, id] of ids.entries()) {
    if (seen.has(id)) issues.push({ path: `ids.${i}`, message: `"${id}" is listed twice` });
    else if (!known.has(id)) issues.push({ path: `ids.${i}`, message: `unknown schedule "${id}"` });
    seen.add(id);
  }
  const missing = current.filter((id) => !seen.has(id));
  if (missing.length > 0)
    issues.push({ path: "ids", message: `list every schedule; missing ${missing.map((id) => `"${id}"`).join(", ")}` });
  return issues;
}

function registerKind(api: Api, ctx: Context, kind: ContentKind): void {
  const { schema, one } = KINDS[kind];
  const base = `/api/v1/${kind}`;

  api.route(
    {
      method: "get",
      path: base,
      summary: `List the draft's ${kind}`,
      tag: TAG,
      role: "viewer",
      response: { description: `every ${one}, in order`, schema: z.array(schema) },
    },
    (c) => c.json(ctx.store.draft.list(kind)),
  );

  api.route(
    {
      method: "get",
      path: `${base}/:id`,
      summary: `One ${one} of the draft`,
      tag: TAG,
      role: "viewer",
      params: IdParams,
      response: { description: `the ${one}`, schema },
    },
    (c, { params }) => c.json(existing(ctx, kind, params.id)),
  );

  api.route(
    {
      method: "post",
      path: base,
      summary: `Add a ${one} to the draft (409 when the id is taken)`,
      tag: TAG,
      role: "editor",
      body: schema,
      response: { status: 201, description: `the ${one} as stored`, schema },
    },
    (c, { body, user }) => {
      if (ctx.store.draft.get(kind, body.id))
        throw new HttpError(409, `${one} "${body.id}" already exists`, [{ path: "id", message: "already exists" }]);
      save(ctx, caller(user), kind, body);
      return c.json(body, 201);
    },
  );

  api.route(
    {
      method: "put",
      path: `${base}/:id`,
      summary: `Create or replace a ${one} of the draft`,
      tag: TAG,
      role: "editor",
      params: IdParams,
      body: ObjectBody,
      response: { description: `the ${one} as stored (201 when it is new)`, schema },
    },
    (c, { params, body, user }) => {
      const r = schema.safeParse(withPathId(body, params.id));
      if (!r.success) throw badRequest(r.error, "body");
      const created = save(ctx, caller(user), kind, r.data);
      return c.json(r.data, created ? 201 : 200);
    },
  );

  api.route(
    {
      method: "delete",
      path: `${base}/:id`,
      summary: `Remove a ${one} from the draft (409 while anything refers to it)`,
      tag: TAG,
      role: "editor",
      params: IdParams,
      response: { status: 204, description: "removed" },
    },
    (c, { params, user }) => {
      remove(ctx, caller(user), kind, params.id);
      return c.body(null, 204);
    },
  );
}

function existing(ctx: Context, kind: ContentKind, id: string): ContentObject {
  const obj = ctx.store.draft.get(kind, id);
  if (!obj) throw notFound(`${KINDS[kind].one} "${id}"`);
  return obj;
}

function withPathId(body: Record<string, unknown>, id: string): Record<string, unknown> {
  if (body.id === undefined) return { ...body, id };
  if (body.id !== id)
    throw new HttpError(400, "invalid body", [{ path: "id", message: `must be "${id}" as in the path, or left out` }]);
  return body;
}

/**
 * Stores `obj` when the draft with it in place has no problem inside it (400, paths relative to the
 * body) and no new problem elsewhere (409). Returns whether it was new.
 */
function save(ctx: Context, user: User, kind: ContentKind, obj: ContentObject): boolean {
  const { one } = KINDS[kind];
  if (RESERVED_IDS[kind] === obj.id)
    throw new HttpError(400, "invalid body", [{ path: "id", message: `"${obj.id}" is reserved` }]);
  return ctx.store.transaction(() => {
    const draft = ctx.store.draftContent();
    const { own, caused } = problemsOfChange(draft, withMedia(ctx, putInto(draft, kind, obj)), { kind, id: obj.id });
    if (own.length > 0)
      throw new HttpError(
        400,
        `invalid ${one}`,
        own.map((l) => ({ path: pathString(l.path), message: l.message })),
      );
    if (caused.length > 0)
      throw new HttpError(
        409,
        `the ${one} would break other content`,
        caused.map((l) => elsewhereOut(l)),
      );
    const before = ctx.store.draft.get(kind, obj.id);
    ctx.store.draft.put(kind, obj, ctx.clock.now());
    audit(ctx, user, before ? "update" : "create", one, obj.id, before ?? null, obj);
    return before === undefined;
  });
}

function remove(ctx: Context, user: User, kind: ContentKind, id: string): void {
  const { one } = KINDS[kind];
  ctx.store.transaction(() => {
    const before = existing(ctx, kind, id);
    const draft = ctx.store.draftContent();
    const { caused } = problemsOfChange(draft, withMedia(ctx, removeFrom(draft, kind, id)), null);
    if (caused.length > 0)
      throw new HttpError(
        409,
        `${one} "${id}" is still in use`,
        caused.map((l) => elsewhereOut(l, `refers to ${one} "${id}"`)),
      );
    ctx.store.draft.delete(kind, id);
    audit(ctx, user, "delete", one, id, before, null);
  });
}

function putInto(content: Content, kind: ContentKind, obj: ContentObject): Content {
  const list: ContentObject[] = content[kind];
  const at = list.findIndex((x) => x.id === obj.id);
  // obj passed this kind's schema, so the list still holds one kind of object
  return { ...content, [kind]: at < 0 ? [...list, obj] : list.with(at, obj) } as Content;
}

function removeFrom(content: Content, kind: ContentKind, id: string): Content {
  const list: ContentObject[] = content[kind];
  return { ...content, [kind]: list.filter((x) => x.id !== id) } as Content;
}

/** The content with the media its items use, as far as the media store has them (the rest is a problem). */
function withMedia(ctx: Context, content: Content): Content {
  const used = new Set(content.items.map(itemMedia).filter((m): m is string => m !== undefined));
  const media: MediaInfo[] = [];
  for (const sha of used) {
    const m = ctx.store.media.info(sha);
    if (m) media.push({ sha256: m.sha256, bytes: m.bytes, mime: m.mime });
  }
  return { ...content, media };
}
