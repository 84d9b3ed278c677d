import {
  type Alert,
  type Category,
  type Content,
  compileScreenProgram,
  type Gate,
  type Item,
  itemTextFields,
  type Language,
  type Localized,
  targetsMatch,
} from "@gatecast/playlists";
import { z } from "zod";

/**
 * What the gate site shows, from one release and the urgent notices in force: pure, no I/O. The page
 * builders (`pages.ts`) turn it into HTML; `build.ts` writes it.
 */
export interface SiteModel {
  release: { id: number; createdAt: number };
  /** When the site was built: urgent notices are those in force then. */
  builtAt: number;
  gates: GateView[];
  items: ItemView[];
  /** Urgent notices in force at `builtAt`, most severe first, with the gates they concern. */
  urgent: { alert: Alert; gates: string[] }[];
  /** Media the pages show (images), by sha256. */
  images: string[];
}

export interface GateView {
  gate: Gate;
  /** Item ids in the order the gate's playlists first name them, grouped by what the home page lists. */
  sections: { section: SectionId; items: string[] }[];
}

export interface ItemView {
  item: Item;
  /** The gates whose screens can show it. */
  gates: string[];
  /** The languages its text is written in (vi first). */
  languages: Language[];
}

/** The home page's sections, in order; an item kind or category not named here goes under "other". */
export const SECTIONS = ["status", "rules", "tourism", "investment", "other"] as const;
export type SectionId = (typeof SECTIONS)[number];

const SECTION_OF_CATEGORY: Record<Category, SectionId> = {
  "border-law": "rules",
  procedure: "rules",
  alert: "rules",
  tourism: "tourism",
  promotion: "tourism",
  investment: "investment",
};

/** Where an item goes on its gate's home page: a kind of its own (gate status) first, else by category. */
export function sectionOf(item: Item): SectionId {
  if ((item.kind as string) === "gate-status") return "status";
  return SECTION_OF_CATEGORY[item.category] ?? "other";
}

/**
 * The item's source line (agency, document, date) when the item carries one. Read leniently: items
 * without a source, or of an older shape, show none.
 */
export const ItemSource = z.object({
  agency: z.union([z.string().min(1), z.object({ vi: z.string().min(1) }).catchall(z.string())]).optional(),
  document: z.string().min(1).optional(),
  date: z.string().min(1).optional(),
  url: z.string().optional(),
});
export type ItemSource = z.infer<typeof ItemSource>;

export function sourceOf(item: Item): ItemSource | undefined {
  const raw = (item as { source?: unknown }).source;
  if (raw === undefined) return undefined;
  const parsed = ItemSource.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** The localized texts of an item: its title and body, or its caption. */
export function itemTexts(item: Item): Localized[] {
  return itemTextFields(item).map(([, text]) => text);
}

export function languagesOf(texts: readonly Localized[]): Language[] {
  const langs: Language[] = ["vi"];
  if (texts.length > 0 && texts.every((t) => t.zh)) langs.push("zh");
  if (texts.length > 0 && texts.every((t) => t.en)) langs.push("en");
  return langs;
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/** Whether an alert concerns a gate: it names the gate, or targets a screen standing there, or everyone. */
function alertAtGate(alert: Alert, gate: string, content: Content): boolean {
  const screens = content.screens.filter((s) => s.gate === gate);
  if (screens.length === 0) return !alert.targets.gates || alert.targets.gates.includes(gate);
  return screens.some((s) => targetsMatch(alert.targets, s));
}

export function alertsInForce(alerts: readonly Alert[], now: number): Alert[] {
  return alerts
    .filter((a) => Date.parse(a.startsAt) <= now && now < Date.parse(a.expiresAt))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.id.localeCompare(b.id));
}

/**
 * The site of a release: each gate with what its screens can show (its default playlist and every
 * schedule that targets one of its screens), one view per item of the release, and the urgent notices
 * in force at `now` among `alerts` (the live ones, which are not part of a release).
 */
export function siteModel(
  release: { id: number; createdAt: number; content: Content },
  alerts: readonly Alert[],
  now: number,
): SiteModel {
  const { content } = release;
  const byId = new Map(content.items.map((i) => [i.id, i]));
  const gatesOfItem = new Map<string, string[]>();
  const gates: GateView[] = content.gates.map((gate) => {
    const ids: string[] = [];
    const seen = new Set<string>();
    const add = (id: string) => {
      if (seen.has(id) || !byId.has(id)) return;
      seen.add(id);
      ids.push(id);
      gatesOfItem.set(id, [...(gatesOfItem.get(id) ?? []), gate.id]);
    };
    const playlistIds = new Set([gate.defaultPlaylist]);
    for (const screen of content.screens.filter((s) => s.gate === gate.id)) {
      for (const p of compileScreenProgram(content, screen).playlists) playlistIds.add(p.id);
    }
    // the default playlist first, then the others in content order
    const ordered = [
      ...content.playlists.filter((p) => p.id === gate.defaultPlaylist),
      ...content.playlists.filter((p) => p.id !== gate.defaultPlaylist && playlistIds.has(p.id)),
    ];
    for (const p of ordered) for (const e of p.items) add(typeof e === "string" ? e : e.item);
    const sections = SECTIONS.map((section) => ({
      section,
      items: ids.filter((id) => sectionOf(byId.get(id) as Item) === section),
    })).filter((s) => s.items.length > 0);
    return { gate, sections };
  });
  const items: ItemView[] = content.items.map((item) => ({
    item,
    gates: gatesOfItem.get(item.id) ?? [],
    languages: languagesOf(itemTexts(item)),
  }));
  const urgent = alertsInForce(alerts, now).map((alert) => ({
    alert,
    gates: content.gates.filter((g) => alertAtGate(alert, g.id, content)).map((g) => g.id),
  }));
  const images = [...new Set(content.items.flatMap((i) => (i.kind === "image" ? [i.media] : [])))].sort();
  return { release: { id: release.id, createdAt: release.createdAt }, builtAt: now, gates, items, urgent, images };
}
