import {
  type Content,
  type Item,
  itemTextFields,
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
export const textsOf = (item: Item): Localized[] => itemTextFields(item).map(([, text]) => text);

/** Whether every on-screen text of the item has `lang`. An item with no text at all lacks nothing. */
export function hasLanguage(item: Item, lang: "vi" | "zh" | "en"): boolean {
  return textsOf(item).every((t) => !!t[lang]?.trim());
}

export function hasAnyText(item: Item): boolean {
  return textsOf(item).length > 0;
}

/** Ids of the playlists a gate's screens can play: its default, and every schedule that reaches one of them. */
export { playlistsOfGate } from "@gatecast/playlists";

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
