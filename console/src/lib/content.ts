import {
  type Content,
  type Item,
  type Localized,
  type Playlist,
  type PlaylistEntry,
  type Screen,
  targetsMatch,
} from "@gatecast/playlists";

export const entryItemId = (e: PlaylistEntry): string => (typeof e === "string" ? e : e.item);
export const entryDuration = (e: PlaylistEntry): number | undefined => (typeof e === "string" ? undefined : e.duration);

/** Seconds one loop of the playlist takes, with per-entry overrides. */
export function playlistSeconds(p: Playlist, items: ReadonlyMap<string, Item>): number {
  return p.items.reduce((sum, e) => sum + (entryDuration(e) ?? items.get(entryItemId(e))?.duration ?? 0), 0);
}

/** The localized texts of an item that show on screen. */
export function textsOf(item: Item): Localized[] {
  if (item.kind === "notice") return [item.title, item.body];
  return item.caption ? [item.caption] : [];
}

/** Whether every on-screen text of the item has `lang`. An item with no text at all lacks nothing. */
export function hasLanguage(item: Item, lang: "vi" | "zh" | "en"): boolean {
  return textsOf(item).every((t) => !!t[lang]?.trim());
}

export function hasAnyText(item: Item): boolean {
  return textsOf(item).length > 0;
}

/** Ids of the playlists a gate's screens can play: its default, and every schedule that reaches one of them. */
export function playlistsOfGate(content: Content, gateId: string): Set<string> {
  const gate = content.gates.find((g) => g.id === gateId);
  const out = new Set<string>(gate ? [gate.defaultPlaylist] : []);
  const screens = content.screens.filter((s) => s.gate === gateId);
  for (const s of content.schedules) {
    const reaches =
      screens.length > 0
        ? screens.some((sc) => targetsMatch(s.targets, sc))
        : !s.targets.screens && (!s.targets.gates || s.targets.gates.includes(gateId));
    if (reaches) out.add(s.playlist);
  }
  return out;
}

/** For each item id, the playlists it is in. */
export function itemUsage(content: Content): Map<string, Playlist[]> {
  const m = new Map<string, Playlist[]>();
  for (const p of content.playlists) {
    for (const e of p.items) {
      const id = entryItemId(e);
      const list = m.get(id) ?? [];
      if (!list.includes(p)) list.push(p);
      m.set(id, list);
    }
  }
  return m;
}

/** A screen-shaped stand-in for previewing at a gate without a real screen. */
export function genericScreen(gate: string, orientation: Screen["orientation"]): Screen {
  return { id: "preview", gate, name: "preview", tags: [], orientation };
}
