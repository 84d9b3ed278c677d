import { z } from "zod";
import { canonicalJson } from "./canonical.ts";
import { type Content, Gate, Item, Playlist, ScheduleEntry } from "./schema/content.ts";

export interface ObjectChange<T> {
  id: string;
  before: T;
  after: T;
}

/** One kind's part of a `ContentDiff`, for code generic over the kind. */
export interface KindDiff<T> {
  added: string[];
  removed: string[];
  changed: ObjectChange<T>[];
}

export interface SetDiff {
  added: string[];
  removed: string[];
}

const kindDiff = <T extends z.ZodType>(schema: T) =>
  z.object({
    added: z.array(z.string()),
    removed: z.array(z.string()),
    changed: z.array(z.object({ id: z.string(), before: schema, after: schema })),
  });
const setDiff = z.object({ added: z.array(z.string()), removed: z.array(z.string()) });
const order = z.array(z.string());

/**
 * What a release changes. Screens are live inventory and alerts live outside releases, so neither is
 * here. `scheduleOrder`: schedule order breaks priority ties, so a new order alone is a change (null when
 * it did not change); `media`: sha256 of the media files the items use.
 */
export const ContentDiff = z.object({
  gates: kindDiff(Gate),
  items: kindDiff(Item),
  playlists: kindDiff(Playlist),
  schedules: kindDiff(ScheduleEntry),
  scheduleOrder: z.object({ before: order, after: order }).nullable(),
  webHosts: setDiff,
  media: setDiff,
});
export type ContentDiff = z.infer<typeof ContentDiff>;

/** The part of a content a release is made of. */
export type ReleasedContent = Pick<Content, "gates" | "items" | "playlists" | "schedules" | "webHosts" | "media">;

export const EMPTY_CONTENT: ReleasedContent = {
  gates: [],
  items: [],
  playlists: [],
  schedules: [],
  webHosts: [],
  media: [],
};

export function diffContent(before: ReleasedContent, after: ReleasedContent): ContentDiff {
  return {
    gates: diffObjects(before.gates, after.gates),
    items: diffObjects(before.items, after.items),
    playlists: diffObjects(before.playlists, after.playlists),
    schedules: diffObjects(before.schedules, after.schedules),
    scheduleOrder: orderChange(
      before.schedules.map((s) => s.id),
      after.schedules.map((s) => s.id),
    ),
    webHosts: diffSet(before.webHosts, after.webHosts),
    media: diffSet(
      before.media.map((m) => m.sha256),
      after.media.map((m) => m.sha256),
    ),
  };
}

export function isEmptyDiff(d: ContentDiff): boolean {
  const kinds = [d.gates, d.items, d.playlists, d.schedules];
  const sets = [d.webHosts, d.media];
  return (
    d.scheduleOrder === null &&
    kinds.every((k) => k.added.length === 0 && k.removed.length === 0 && k.changed.length === 0) &&
    sets.every((s) => s.added.length === 0 && s.removed.length === 0)
  );
}

/**
 * Canonical JSON of what a release is made of. Order counts only where it means something (schedules):
 * gates, items and playlists are sorted by id, hosts and media by value.
 */
export function releaseFingerprint(c: ReleasedContent): string {
  return canonicalJson({
    gates: byId(c.gates),
    items: byId(c.items),
    playlists: byId(c.playlists),
    schedules: c.schedules,
    webHosts: [...new Set(c.webHosts)].sort(),
    media: [...c.media].sort((a, b) => compare(a.sha256, b.sha256)),
  });
}

export const sameReleasedContent = (a: ReleasedContent, b: ReleasedContent): boolean =>
  releaseFingerprint(a) === releaseFingerprint(b);

function diffObjects<T extends { id: string }>(before: readonly T[], after: readonly T[]): KindDiff<T> {
  const old = new Map(before.map((x) => [x.id, x]));
  const now = new Map(after.map((x) => [x.id, x]));
  const changed: ObjectChange<T>[] = [];
  for (const x of after) {
    const was = old.get(x.id);
    if (was && canonicalJson(was) !== canonicalJson(x)) changed.push({ id: x.id, before: was, after: x });
  }
  return {
    added: after.filter((x) => !old.has(x.id)).map((x) => x.id),
    removed: before.filter((x) => !now.has(x.id)).map((x) => x.id),
    changed,
  };
}

function diffSet(before: readonly string[], after: readonly string[]): SetDiff {
  const old = new Set(before);
  const now = new Set(after);
  return {
    added: [...now].filter((x) => !old.has(x)).sort(),
    removed: [...old].filter((x) => !now.has(x)).sort(),
  };
}

/** Compares the relative order of the ids in both lists; additions and removals alone are not a reorder. */
function orderChange(before: string[], after: string[]): { before: string[]; after: string[] } | null {
  const inAfter = new Set(after);
  const inBefore = new Set(before);
  const kept = before.filter((id) => inAfter.has(id));
  const keptNow = after.filter((id) => inBefore.has(id));
  return kept.every((id, i) => keptNow[i] === id) ? null : { before, after };
}

const byId = <T extends { id: string }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => compare(a.id, b.id));
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
