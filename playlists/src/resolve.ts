import type { Targets } from "./schema/common.ts";
import { minutesOf } from "./schema/common.ts";
import type { Alert, Gate, Item, Playlist, ScheduleEntry, Screen, Timing } from "./schema/content.ts";
import { type LocalParts, localParts, previousWeekday } from "./time.ts";

/** What one screen needs to decide what to show: a manifest carries exactly this. */
export interface ScreenProgram {
  gate: Gate;
  screen: Screen;
  schedules: readonly ScheduleEntry[];
  playlists: readonly Playlist[];
  items: readonly Item[];
  alerts: readonly Alert[];
}

export interface Slot {
  item: Item;
  durationMs: number;
}

export interface Resolution {
  playlist: string | null;
  /** The schedule entry that chose the playlist; null when the gate's default plays. */
  schedule: string | null;
  item: Item | null;
  /** Position of the item in the playlist's playable sequence. */
  index: number;
  startsAt: number;
  endsAt: number;
  alerts: Alert[];
}

/**
 * Every screen derives its position from this fixed instant and the playlist's durations, so screens
 * playing the same playlist show the same item at the same moment without talking to each other.
 */
export const PLAYBACK_EPOCH_MS = 0;

const SEVERITY_RANK = { critical: 3, warning: 2, info: 1 } as const;

/** Every target kind the entry names must match; a kind it leaves out matches all. */
export function targetsMatch(targets: Targets, screen: Screen): boolean {
  if (targets.screens && !targets.screens.includes(screen.id)) return false;
  if (targets.gates && !targets.gates.includes(screen.gate)) return false;
  if (targets.tags && !targets.tags.some((t) => screen.tags.includes(t))) return false;
  return true;
}

function inDates(entry: Timing, date: string): boolean {
  const d = entry.dates;
  return !d || ((!d.from || d.from <= date) && (!d.to || date <= d.to));
}

/**
 * Active when the gate-local date is within `dates` and the instant is inside a window occurrence whose
 * start day is in `days`. A window whose `to` is not after `from` crosses midnight and belongs to the
 * day it starts on: Friday 22:00–06:00 is active on Saturday at 02:00. Schedule entries and on-hours
 * periods (`onHours.ts`) both use it.
 */
export function isEntryActive(entry: Timing, local: LocalParts): boolean {
  if (!inDates(entry, local.date)) return false;
  if (!entry.window) return entry.days.includes(local.weekday);
  const from = minutesOf(entry.window.from) * 60_000;
  const to = minutesOf(entry.window.to) * 60_000;
  const t = local.msOfDay;
  if (to > from) return entry.days.includes(local.weekday) && t >= from && t < to;
  // crosses midnight: today's occurrence from `from` on, or yesterday's until `to`
  if (t >= from && entry.days.includes(local.weekday)) return true;
  return t < to && entry.days.includes(previousWeekday(local.weekday));
}

function isItemValid(item: Item, date: string): boolean {
  const v = item.valid;
  return !v || ((!v.from || v.from <= date) && (!v.to || date <= v.to));
}

/** The items of a playlist that may play on `date`, with their effective durations. */
export function playableSlots(playlist: Playlist, items: ReadonlyMap<string, Item>, date: string): Slot[] {
  const slots: Slot[] = [];
  for (const entry of playlist.items) {
    const id = typeof entry === "string" ? entry : entry.item;
    const item = items.get(id);
    if (!item || !isItemValid(item, date)) continue;
    const seconds = (typeof entry === "string" ? undefined : entry.duration) ?? item.duration;
    slots.push({ item, durationMs: Math.max(1, Math.round(seconds * 1000)) });
  }
  return slots;
}

/** Where the playback clock stands in a sequence of slots at `atMs`. */
export function slotAt(slots: readonly Slot[], atMs: number): { index: number; startsAt: number; endsAt: number } {
  const total = slots.reduce((sum, s) => sum + s.durationMs, 0);
  const offset = (((atMs - PLAYBACK_EPOCH_MS) % total) + total) % total;
  const cycleStart = atMs - offset;
  let acc = 0;
  for (let i = 0; i < slots.length; i++) {
    const d = (slots[i] as Slot).durationMs;
    if (offset < acc + d) return { index: i, startsAt: cycleStart + acc, endsAt: cycleStart + acc + d };
    acc += d;
  }
  /* c8 ignore next */
  throw new Error("unreachable: offset beyond playlist length");
}

/** Alerts in force for the screen at `atMs`, most severe first, then newest. */
export function activeAlerts(alerts: readonly Alert[], screen: Screen, atMs: number): Alert[] {
  return alerts
    .filter((a) => Date.parse(a.startsAt) <= atMs && atMs < Date.parse(a.expiresAt) && targetsMatch(a.targets, screen))
    .sort(
      (a, b) =>
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || Date.parse(b.startsAt) - Date.parse(a.startsAt),
    );
}

/**
 * What the screen shows at `atMs`: the highest-priority active entry (ties: the one listed first) whose
 * playlist has a playable item, else the gate's default playlist. Pure; the clock is an argument.
 */
export function resolve(program: ScreenProgram, atMs: number): Resolution {
  const local = localParts(atMs, program.gate.timezone);
  const items = new Map(program.items.map((i) => [i.id, i]));
  const playlists = new Map(program.playlists.map((p) => [p.id, p]));
  const alerts = activeAlerts(program.alerts, program.screen, atMs);

  const candidates = program.schedules
    .map((entry, order) => ({ entry, order }))
    .filter(({ entry }) => targetsMatch(entry.targets, program.screen) && isEntryActive(entry, local))
    .sort((a, b) => b.entry.priority - a.entry.priority || a.order - b.order);

  const choices: { schedule: string | null; playlist: string }[] = [
    ...candidates.map(({ entry }) => ({ schedule: entry.id, playlist: entry.playlist })),
    { schedule: null, playlist: program.gate.defaultPlaylist },
  ];
  for (const choice of choices) {
    const playlist = playlists.get(choice.playlist);
    if (!playlist) continue;
    const slots = playableSlots(playlist, items, local.date);
    if (slots.length === 0) continue;
    const at = slotAt(slots, atMs);
    return { ...choice, item: (slots[at.index] as Slot).item, ...at, alerts };
  }
  return { playlist: null, schedule: null, item: null, index: -1, startsAt: atMs, endsAt: atMs, alerts };
}

/** Longest slot any playlist of the program can produce, in ms (the kiosk's watchdog, the controller's "frozen"). */
export function longestSlotMs(program: Pick<ScreenProgram, "items" | "playlists">): number {
  const items = new Map(program.items.map((i) => [i.id, i]));
  let longest = 0;
  for (const p of program.playlists) {
    for (const e of p.items) {
      const id = typeof e === "string" ? e : e.item;
      const seconds = (typeof e === "string" ? undefined : e.duration) ?? items.get(id)?.duration ?? 0;
      longest = Math.max(longest, seconds * 1000);
    }
  }
  return longest;
}
