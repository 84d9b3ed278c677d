import { targetsMatch } from "./resolve.ts";
import type { Language, Targets } from "./schema/common.ts";
import type { Content } from "./schema/content.ts";

/*
 * Where content can reach: which gates' screens can play a playlist, an item or an alert. The language
 * check (each item in the languages of every gate it can play at) and contributor scope (an item only
 * at the gates a contributor writes for) both read it. Over-inclusive where the inventory cannot say:
 * a gate without screens yet counts as reached by any schedule that does not name other screens or gates.
 */

type Reach = Pick<Content, "gates" | "screens" | "schedules" | "playlists" | "items">;

/** Whether targets can match a screen of the gate (any, when the gate has no screens yet). */
export function targetsReachGate(content: Pick<Content, "screens">, targets: Targets, gateId: string): boolean {
  const screens = content.screens.filter((s) => s.gate === gateId);
  if (screens.length > 0) return screens.some((s) => targetsMatch(targets, s));
  return !targets.screens && (!targets.gates || targets.gates.includes(gateId));
}

/** The gates whose screens targets can reach (an alert's gates). */
export function targetGates(content: Pick<Content, "gates" | "screens">, targets: Targets): Set<string> {
  return new Set(content.gates.filter((g) => targetsReachGate(content, targets, g.id)).map((g) => g.id));
}

/** For each playlist, the gates whose screens can play it: as a gate's default, or under any schedule. */
export function playlistGates(content: Pick<Content, "gates" | "screens" | "schedules">): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (playlist: string, gate: string) => {
    const set = out.get(playlist) ?? new Set<string>();
    set.add(gate);
    out.set(playlist, set);
  };
  for (const g of content.gates) add(g.defaultPlaylist, g.id);
  for (const s of content.schedules) for (const g of targetGates(content, s.targets)) add(s.playlist, g);
  return out;
}

/**
 * For each item, its gates: those whose screens can play it (through any playlist it is in) and those it
 * names itself (`gates`, what a contributor's new item must say).
 */
export function itemGates(content: Reach): Map<string, Set<string>> {
  const byPlaylist = playlistGates(content);
  const out = new Map<string, Set<string>>();
  for (const item of content.items)
    out.set(item.id, new Set([...(item.gates ?? []), ...(item.kind === "gate-status" ? [item.gate] : [])]));
  for (const p of content.playlists) {
    const gates = byPlaylist.get(p.id);
    if (!gates) continue;
    for (const e of p.items) {
      const set = out.get(typeof e === "string" ? e : e.item);
      if (set) for (const g of gates) set.add(g);
    }
  }
  return out;
}

/** The playlists a gate's screens can play. */
export function playlistsOfGate(
  content: Pick<Content, "gates" | "screens" | "schedules">,
  gateId: string,
): Set<string> {
  const out = new Set<string>();
  for (const [p, gates] of playlistGates(content)) if (gates.has(gateId)) out.add(p);
  return out;
}

/** Every language the gates require, in display order (Vietnamese first). */
export function languagesOfGates(content: Pick<Content, "gates">, gateIds: Iterable<string>): Language[] {
  const ids = new Set(gateIds);
  const langs = new Set<Language>();
  for (const g of content.gates) if (ids.has(g.id)) for (const l of g.languages) langs.add(l);
  return (["vi", "zh", "en"] as const).filter((l) => langs.has(l));
}
