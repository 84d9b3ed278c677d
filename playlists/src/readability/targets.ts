/**
 * Which items each screen can show, and for how long at the shortest: what the readability check
 * renders and judges (every item × every screen whose schedules or gate default reach it). Pure.
 */
import { compileScreenProgram } from "../manifest.ts";
import type { Content, Gate, Item, Screen } from "../schema/content.ts";

export interface ReadabilityPair {
  item: Item;
  /** The shortest turn the item gets on this screen (a playlist entry may shorten it), seconds. */
  durationS: number;
}

export interface ReadabilityTarget {
  gate: Gate;
  screen: Screen;
  pairs: ReadabilityPair[];
}

export function readabilityTargets(content: Content): ReadabilityTarget[] {
  const out: ReadabilityTarget[] = [];
  for (const screen of content.screens) {
    const gate = content.gates.find((g) => g.id === screen.gate);
    if (!gate) continue;
    const program = compileScreenProgram(content, screen);
    const byId = new Map(program.items.map((i) => [i.id, i]));
    const shortest = new Map<string, number>();
    for (const p of program.playlists)
      for (const e of p.items) {
        const id = typeof e === "string" ? e : e.item;
        const item = byId.get(id);
        if (!item) continue;
        const d = typeof e === "string" ? item.duration : (e.duration ?? item.duration);
        shortest.set(id, Math.min(shortest.get(id) ?? Number.POSITIVE_INFINITY, d));
      }
    const pairs = [...shortest].flatMap(([id, durationS]) => {
      const item = byId.get(id);
      return item ? [{ item, durationS }] : [];
    });
    out.push({ gate, screen, pairs: pairs.sort((a, b) => a.item.id.localeCompare(b.item.id)) });
  }
  return out;
}
