import { type Content, type ContentIssue, checkContent } from "@gatecast/playlists";
import type { IssueOut } from "./errors.ts";

const LISTS = ["gates", "screens", "items", "playlists", "schedules", "alerts"] as const;

export const pathString = (path: readonly (string | number)[]): string => path.map(String).join(".");

/** A `checkContent` problem pinned to the object it is in (`id` null when it is in no listed object). */
export interface LocatedIssue {
  kind: string;
  id: string | null;
  /** Inside the object when `id` is set, else inside the content. */
  path: (string | number)[];
  message: string;
}

export function locateIssues(content: Content, issues: readonly ContentIssue[]): LocatedIssue[] {
  return issues.map(({ path, message }) => {
    const [head, index, ...rest] = path;
    const kind = LISTS.find((k) => k === head);
    const obj: { id: string } | undefined = kind && typeof index === "number" ? content[kind][index] : undefined;
    return kind && obj
      ? { kind, id: obj.id, path: rest, message }
      : { kind: String(head), id: null, path: path.slice(1), message };
  });
}

/** As the draft page shows them: the path within the content plus the object it concerns. */
export function describeIssues(content: Content): (IssueOut & { kind: string; id: string | null })[] {
  const issues = checkContent(content);
  return locateIssues(content, issues).map((l, i) => ({
    path: pathString(issues[i]?.path ?? []),
    message: l.message,
    kind: l.kind,
    id: l.id,
  }));
}

/** `{path, message}` with the path inside the content, for a whole-content check (releases). */
export const contentIssueOut = (i: ContentIssue): IssueOut => ({ path: pathString(i.path), message: i.message });

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
  const key = (l: LocatedIssue) => JSON.stringify([l.kind, l.id, l.path, l.message]);
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
export const elsewhereOut = (l: LocatedIssue, message = l.message): IssueOut => ({
  path: pathString([l.kind, ...(l.id === null ? [] : [l.id]), ...l.path]),
  message,
});
