import {
  type Content,
  checkInput,
  Gate,
  Item,
  itemGates,
  itemMedia,
  type MediaInfo,
  Playlist,
  ScheduleEntry,
} from "@gatecast/playlists";
import type { ApiIssue, ContentKind, DraftView } from "@gatecast/playlists/api";
import { formatIssue, loadContentDir } from "@gatecast/playlists/load";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { AppError, invalid, issue, notFound } from "../errors.ts";
import type { DraftObject } from "../store/draft.ts";
import type { Store } from "../store/index.ts";
import type { User } from "../store/users.ts";
import { describeIssues, elsewhereOut, ownIssueOut, problemsOfChange } from "./contentIssues.ts";
import { assertContributorMay, recordSave } from "./review.ts";
import { itemScriptErrors } from "./scripts.ts";

/*
 * The draft: objects operators edit (gates, items, playlists, schedules), the web-host allowlist and
 * the schedules' order. Nothing here reaches a screen until an approver releases.
 */

type Ctx = Pick<Context, "store" | "clock">;
export type ContentObject = DraftObject<ContentKind>;

const KINDS = {
  gates: { schema: Gate, one: "gate" },
  items: { schema: Item, one: "item" },
  playlists: { schema: Playlist, one: "playlist" },
  schedules: { schema: ScheduleEntry, one: "schedule" },
} as const;

/** Ids a fixed path below the kind would shadow: `PUT /schedules/order` reorders. */
const RESERVED_IDS: Partial<Record<ContentKind, string>> = { schedules: "order" };

export class ContentError extends Error {}

/** Loads a content folder into the draft (and its media into the store); problems refuse the whole import. */
export async function importContent(store: Store, dir: string, now: number): Promise<{ items: number; media: number }> {
  const { content, issues, mediaFiles } = await loadContentDir(dir);
  if (issues.length > 0) throw new ContentError(`${dir}:\n${issues.map(formatIssue).join("\n")}`);
  for (const info of content.media) {
    const file = mediaFiles.get(info.sha256);
    if (file) await store.media.importFile(file, info, now);
  }
  store.transaction(() => {
    store.draft.replace(content, now);
    // imported content is approved: the folder is the operators' own (first start, `gatecast import`)
    store.review.clear();
    for (const alert of content.alerts) store.alerts.put(alert, "import", now);
  });
  return { items: content.items.length, media: content.media.length };
}

export function draftView(ctx: Ctx): DraftView {
  const content = ctx.store.draftContent();
  return { content, issues: describeIssues(content) };
}

export function getObject<K extends ContentKind>(ctx: Ctx, kind: K, id: string): DraftObject<K> {
  const obj = ctx.store.draft.get(kind, id);
  if (!obj) throw notFound(KINDS[kind].one, id);
  return obj;
}

/** Adds an object whose id is not taken yet. */
export function createObject(ctx: Ctx, user: User, kind: ContentKind, obj: ContentObject): void {
  const { one } = KINDS[kind];
  if (ctx.store.draft.get(kind, obj.id))
    throw new AppError("exists", `${one} "${obj.id}" already exists`, {
      params: { kind: one, id: obj.id },
      issues: [issue("id", "exists", "already exists", { kind: one, id: obj.id })],
    });
  saveObject(ctx, user, kind, obj);
}

/** A PUT body as an object of its kind at `id` (the body may leave its `id` out). */
export function objectAt(kind: ContentKind, id: string, body: Record<string, unknown>): ContentObject {
  if (body.id !== undefined && body.id !== id)
    throw invalid([issue("id", "id-mismatch", `must be "${id}" as in the path, or left out`, { id })], "invalid body");
  const r = checkInput(KINDS[kind].schema, { ...body, id });
  if (!r.ok) throw invalid(r.issues, "invalid body");
  return r.data;
}

/**
 * Stores `obj` when the draft with it in place has no problem inside it (400, paths relative to the
 * object) and no new problem elsewhere (409). Returns whether it was new.
 */
export function saveObject(ctx: Ctx, user: User, kind: ContentKind, obj: ContentObject): boolean {
  const { one } = KINDS[kind];
  if (RESERVED_IDS[kind] === obj.id)
    throw invalid([issue("id", "reserved-id", `"${obj.id}" is reserved`, { id: obj.id })], "invalid body");
  return ctx.store.transaction(() => {
    const draft = ctx.store.draftContent();
    const after = withMedia(ctx, putInto(draft, kind, obj));
    const before = ctx.store.draft.get(kind, obj.id);
    if (user.role === "contributor")
      assertContributorMay(user, kind, obj, before, {
        after: itemGates(after).get(obj.id) ?? new Set(),
        before: itemGates(draft).get(obj.id) ?? new Set(),
      });
    const { own, caused } = problemsOfChange(draft, after, { kind, id: obj.id });
    const scripts = kind === "items" ? itemScriptErrors(obj as Item) : [];
    if (own.length > 0 || scripts.length > 0) throw invalid([...own.map(ownIssueOut), ...scripts], `invalid ${one}`);
    if (caused.length > 0)
      throw new AppError("breaks-content", `the ${one} would break other content`, {
        params: { kind: one },
        issues: caused.map((l) => elsewhereOut(l)),
      });
    ctx.store.draft.put(kind, obj, ctx.clock.now());
    recordSave(ctx, user, kind, obj.id, before !== undefined);
    audit(ctx, user, before ? "update" : "create", one, obj.id, before ?? null, obj);
    return before === undefined;
  });
}

/** Removes an object nothing else refers to (409 naming what still does). */
export function removeObject(ctx: Ctx, user: User, kind: ContentKind, id: string): void {
  const { one } = KINDS[kind];
  ctx.store.transaction(() => {
    const before = getObject(ctx, kind, id);
    const draft = ctx.store.draftContent();
    if (user.role === "contributor") {
      const gates = itemGates(draft).get(id) ?? new Set<string>();
      assertContributorMay(user, kind, before, before, { after: gates, before: gates });
      if (
        ctx.store.review.get(kind, id).state === "released" ||
        ctx.store.releases.latest()?.content[kind].some((x) => x.id === id)
      )
        throw new AppError("forbidden", "a released object is removed by an editor", {
          params: { need: "editor", have: user.role },
        });
    }
    const { caused } = problemsOfChange(draft, withMedia(ctx, removeFrom(draft, kind, id)), null);
    if (caused.length > 0)
      throw new AppError("in-use", `${one} "${id}" is still in use`, {
        params: { kind: one, id },
        issues: caused.map((l) =>
          elsewhereOut(l, { code: "in-use", message: `refers to ${one} "${id}"`, params: { kind: one, id } }),
        ),
      });
    ctx.store.draft.delete(kind, id);
    ctx.store.review.delete(kind, id);
    audit(ctx, user, "delete", one, id, before, null);
  });
}

/** Replaces the allowlist of `web` items' hosts (sorted, without duplicates); 409 while an item uses a host dropped. */
export function setWebHosts(ctx: Ctx, user: User, requested: readonly string[]): string[] {
  const hosts = [...new Set(requested)].sort();
  ctx.store.transaction(() => {
    const draft = ctx.store.draftContent();
    const { caused } = problemsOfChange(draft, { ...draft, webHosts: hosts }, null);
    if (caused.length > 0)
      throw new AppError("in-use", "web items still show these hosts", {
        params: { kind: "web-hosts" },
        issues: caused.map((l) => elsewhereOut(l)),
      });
    ctx.store.draft.setWebHosts(hosts);
    audit(ctx, user, "update", "web-hosts", null, { hosts: draft.webHosts }, { hosts });
  });
  return hosts;
}

/** Sets the schedules' order: it must name every schedule once (a partial list would leave the rest's place unclear). */
export function reorderSchedules(ctx: Ctx, user: User, ids: readonly string[]): void {
  const current = ctx.store.draft.list("schedules").map((s) => s.id);
  const issues = orderIssues(current, ids);
  if (issues.length > 0) throw invalid(issues, "invalid body");
  ctx.store.transaction(() => {
    ctx.store.draft.reorder("schedules", [...ids]);
    audit(ctx, user, "reorder", "schedule", null, { ids: current }, { ids });
  });
}

function orderIssues(current: readonly string[], ids: readonly string[]): ApiIssue[] {
  const known = new Set(current);
  const seen = new Set<string>();
  const issues: ApiIssue[] = [];
  for (const [i, id] of ids.entries()) {
    if (seen.has(id)) issues.push(issue(`ids.${i}`, "listed-twice", `"${id}" is listed twice`, { id }));
    else if (!known.has(id))
      issues.push(issue(`ids.${i}`, "unknown-ref", `unknown schedule "${id}"`, { kind: "schedule", id }));
    seen.add(id);
  }
  const missing = current.filter((id) => !seen.has(id));
  if (missing.length > 0)
    issues.push(
      issue("ids", "not-listed", `list every schedule; missing ${missing.map((id) => `"${id}"`).join(", ")}`, {
        ids: missing,
      }),
    );
  return issues;
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
function withMedia(ctx: Ctx, content: Content): Content {
  const used = new Set(content.items.map(itemMedia).filter((m): m is string => m !== undefined));
  const media: MediaInfo[] = [];
  for (const sha of used) {
    const m = ctx.store.media.info(sha);
    if (m) media.push({ sha256: m.sha256, bytes: m.bytes, mime: m.mime });
  }
  return { ...content, media };
}
