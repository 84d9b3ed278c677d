import type { DomainIssueCode } from "../issues.ts";
import { itemGates, languagesOfGates } from "../reach.ts";
import type { Language, Localized } from "./common.ts";
import { type Content, type Item, SOURCE_REQUIRED } from "./content.ts";

export interface ContentIssue {
  /** Path inside the merged content, e.g. ["items", 3, "body", "zh"]. */
  path: (string | number)[];
  code: Extract<
    DomainIssueCode,
    "duplicate-id" | "unknown-ref" | "unknown-media" | "host-not-allowed" | "source-required" | "language-required"
  >;
  params: Record<string, string>;
  message: string;
  /** For a duplicate: where the id was first defined. */
  firstAt?: (string | number)[];
}

type Kind = "gates" | "screens" | "items" | "playlists" | "schedules" | "alerts";
const KINDS: readonly Kind[] = ["gates", "screens", "items", "playlists", "schedules", "alerts"];
const SINGULAR: Record<Kind, string> = {
  gates: "gate",
  screens: "screen",
  items: "item",
  playlists: "playlist",
  schedules: "schedule",
  alerts: "alert",
};

export function hostAllowed(url: string, hosts: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return hosts.some((h) => host === h || host.endsWith(`.${h}`));
}

/** The traveller-facing texts of an item, by path: what must be in every language its gates require. */
export function itemTextFields(item: Item): [(string | number)[], Localized][] {
  if (item.kind === "notice")
    return [
      [["title"], item.title],
      [["body"], item.body],
    ];
  if (item.kind === "gate-status")
    return [
      ...(item.title ? [[["title"], item.title] as [(string | number)[], Localized]] : []),
      ...item.rows.flatMap((r, j): [(string | number)[], Localized][] => [
        [["rows", j, "crossing"], r.crossing],
        ...(r.reason ? [[["rows", j, "reason"], r.reason] as [(string | number)[], Localized]] : []),
      ]),
    ];
  return item.caption ? [[["caption"], item.caption]] : [];
}

/** The languages an item must be written in: those of every gate it can play at or names. */
export function requiredLanguages(content: Content, itemId: string): Language[] {
  return languagesOfGates(content, itemGates(content).get(itemId) ?? []);
}

export function itemMedia(item: Item): string | undefined {
  return item.kind === "image" || item.kind === "video" ? item.media : undefined;
}

/**
 * Checks what a schema cannot see alone: duplicate ids, references between lists, media known to the
 * index, web hosts on the allowlist. Pure: returns the problems, empty when the content is coherent.
 */
export function checkContent(content: Content): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const ids = {} as Record<Kind, Set<string>>;
  for (const kind of KINDS) {
    const seen = new Map<string, number>();
    content[kind].forEach((x, i) => {
      const first = seen.get(x.id);
      if (first !== undefined) {
        issues.push({
          path: [kind, i, "id"],
          code: "duplicate-id",
          params: { kind: SINGULAR[kind], id: x.id },
          message: `duplicate ${SINGULAR[kind]} id "${x.id}"`,
          firstAt: [kind, first],
        });
      } else seen.set(x.id, i);
    });
    ids[kind] = new Set(seen.keys());
  }
  const ref = (kind: Kind, id: string, path: (string | number)[]) => {
    if (!ids[kind].has(id))
      issues.push({
        path,
        code: "unknown-ref",
        params: { kind: SINGULAR[kind], id },
        message: `unknown ${SINGULAR[kind]} "${id}"`,
      });
  };
  const refTargets = (t: Content["schedules"][number]["targets"], base: (string | number)[]) => {
    for (const [j, g] of (t.gates ?? []).entries()) ref("gates", g, [...base, "targets", "gates", j]);
    for (const [j, s] of (t.screens ?? []).entries()) ref("screens", s, [...base, "targets", "screens", j]);
  };

  for (const [i, g] of content.gates.entries()) ref("playlists", g.defaultPlaylist, ["gates", i, "defaultPlaylist"]);
  for (const [i, s] of content.screens.entries()) ref("gates", s.gate, ["screens", i, "gate"]);
  for (const [i, p] of content.playlists.entries()) {
    for (const [j, e] of p.items.entries()) {
      if (typeof e === "string") ref("items", e, ["playlists", i, "items", j]);
      else ref("items", e.item, ["playlists", i, "items", j, "item"]);
    }
  }
  for (const [i, s] of content.schedules.entries()) {
    ref("playlists", s.playlist, ["schedules", i, "playlist"]);
    refTargets(s.targets, ["schedules", i]);
  }
  for (const [i, a] of content.alerts.entries()) refTargets(a.targets, ["alerts", i]);
  for (const [i, item] of content.items.entries()) {
    for (const [j, g] of (item.gates ?? []).entries()) ref("gates", g, ["items", i, "gates", j]);
    if (item.kind === "gate-status") ref("gates", item.gate, ["items", i, "gate"]);
  }

  const gatesOf = itemGates(content);
  for (const [i, item] of content.items.entries()) {
    const gates = [...(gatesOf.get(item.id) ?? [])].filter((g) => ids.gates.has(g)).sort();
    const langs = languagesOfGates(content, gates);
    for (const [path, text] of itemTextFields(item))
      for (const lang of langs)
        if (!text[lang])
          issues.push({
            path: ["items", i, ...path, lang],
            code: "language-required",
            params: { lang, gates: gates.join(", ") },
            message: `required in ${lang}: the item plays at ${gates.map((g) => `"${g}"`).join(", ")}`,
          });
  }

  const media = new Set(content.media.map((m) => m.sha256));
  for (const [i, item] of content.items.entries()) {
    if (SOURCE_REQUIRED.has(item.category) && !item.source && item.kind !== "gate-status")
      issues.push({
        path: ["items", i, "source", "agency"],
        code: "source-required",
        params: { category: item.category },
        message: `required for ${item.category} items: name the agency that issued it`,
      });
    const sha = itemMedia(item);
    if (sha && !media.has(sha))
      issues.push({
        path: ["items", i, "media"],
        code: "unknown-media",
        params: { sha256: sha },
        message: `unknown media ${sha}`,
      });
    if (item.kind === "web" && !hostAllowed(item.url, content.webHosts)) {
      const host = new URL(item.url).hostname;
      issues.push({
        path: ["items", i, "url"],
        code: "host-not-allowed",
        params: { host },
        message: `host "${host}" is not in webHosts`,
      });
    }
  }
  return issues;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}
