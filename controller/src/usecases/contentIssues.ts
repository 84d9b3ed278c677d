import { type Content, type ContentIssue, checkContent } from "@gatecast/playlists";
import type { ApiIssue, DraftIssue } from "@gatecast/playlists/api";

const LISTS = ["gates", "screens", "items", "playlists", "schedules", "alerts"] as const;

export const pathString = (path: readonly (string | number)[]): string => path.map(String).join(".");

/** A `checkContent` problem pinned to the object it is in (`id` null when it is in no listed object). */
export interface LocatedIssue {
  kind: string;
  id: string | null;
  /** Inside the object when `id` is set, else inside the content. */
  path: (string | number)[];
  issue: ContentIssue;
}

export function locateIssues(content: Content, issues: readonly ContentIssue[]): LocatedIssue[] {
  return issues.map((issue) => {
    const [head, index, ...rest] = issue.path;
    const kind = LISTS.find((k) => k === head);
    const obj: { id: string } | undefined = kind && typeof index === "number" ? content[kind][index] : undefined;
    return kind && obj
      ? { kind, id: obj.id, path: rest, issue }
      : { kind: String(head), id: null, path: issue.path.slice(1), issue };
  });
}

const apiIssue = (path: readonly (string | number)[], i: ContentIssue): ApiIssue => ({
  path: pathString(path),
  code: i.code,
  message: i.message,
  params: i.params,
});

/** As the draft page shows them: the path within the content plus the object it concerns. */
export function describeIssues(content: Content): DraftIssue[] {
  return locateIssues(content, checkContent(content)).map((l) => ({
    ...apiIssue(l.issue.path, l.issue),
    kind: l.kind,
    id: l.id,
  }));
}

/** With the path inside the content, for a whole-content check (releases). */
export const contentIssueOut = (i: ContentIssue): ApiIssue => apiIssue(i.path, i);

/** With the path inside the object it is in (a save's own problems). */
export const ownIssueOut = (l: LocatedIssue): ApiIssue => apiIssue(l.path, l.issue);

/**
 * What a change would break: problems inside the changed object (all of them, old or new) and problems
 * elsewhere that `before` did not have. Issues are compared by object id, not index, since a delete
 * shifts the indexes of everything after it.
 */
export function problemsOfChange(
  before: Content,
  after: Content,
  changed: { kind: string; id: string } | null,
): { own: LocatedIssue[]; caused: LocatedIssue[] } {
  const key = (l: LocatedIssue) => JSON.stringify([l.kind, l.id, l.path, l.issue.code, l.issue.params]);
  const existing = new Set(locateIssues(before, checkContent(before)).map(key));
  const own: LocatedIssue[] = [];
  const caused: LocatedIssue[] = [];
  for (const l of locateIssues(after, checkContent(after))) {
    if (changed && l.kind === changed.kind && l.id === changed.id) own.push(l);
    else if (!existing.has(key(l))) caused.push(l);
  }
  return { own, caused };
}

/** `playlists.rush-hour.items.2`: where, by id, a problem elsewhere sits. */
export const elsewhereOut = (l: LocatedIssue, override?: Pick<ApiIssue, "code" | "message" | "params">): ApiIssue => ({
  ...apiIssue([l.kind, ...(l.id === null ? [] : [l.id]), ...l.path], l.issue),
  ...override,
});
