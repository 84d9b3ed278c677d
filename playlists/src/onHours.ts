import { isEntryActive } from "./resolve.ts";
import { minutesOf, WEEKDAYS, type Weekday } from "./schema/common.ts";
import type { Gate, OnHours, Screen } from "./schema/content.ts";
import { instantOfLocal, type LocalParts, localParts, nextDay, zoneOffsetMs } from "./time.ts";

/**
 * On-hours: when a screen should be showing. Written like schedule windows (days, a window that may
 * cross midnight, dates) and read with the schedule resolver's own `isEntryActive`, in the gate's time
 * zone. Outside them a screen is dark by schedule. Pure: the instant is an argument.
 */

/** A screen's own on-hours replace its gate's; neither: always on (null). */
export function effectiveOnHours(gate: Pick<Gate, "onHours">, screen: Pick<Screen, "onHours">): OnHours | null {
  return screen.onHours ?? gate.onHours ?? null;
}

/** Whether the screen should be showing at `atMs`. */
export function isOnAt(hours: OnHours | null | undefined, timeZone: string, atMs: number): boolean {
  return !hours || isOnLocal(hours, localParts(atMs, timeZone));
}

/** A stretch of time that is all on or all off. */
export interface OnHoursSpan {
  from: number;
  to: number;
  on: boolean;
}

function isOnLocal(hours: OnHours, local: LocalParts): boolean {
  return hours.on.some((p) => isEntryActive(p, local)) && !hours.off.some((p) => isEntryActive(p, local));
}

/**
 * [from, to) cut into alternating on and off spans. The state can only change at gate-local midnight
 * (days and dates change there) or at a window's edge, so each local day the range touches is read at
 * those minutes only, with one time-zone lookup per day (exact for zones without daylight saving).
 */
export function onHoursSpans(
  hours: OnHours | null | undefined,
  timeZone: string,
  from: number,
  to: number,
): OnHoursSpan[] {
  if (to <= from) return [];
  if (!hours) return [{ from, to, on: true }];
  const minutes = new Set([0]);
  for (const p of [...hours.on, ...hours.off]) {
    if (p.window) {
      minutes.add(minutesOf(p.window.from));
      minutes.add(minutesOf(p.window.to));
    }
  }
  const edges = [...minutes].sort((a, b) => a - b);
  const spans: OnHoursSpan[] = [];
  const push = (start: number, on: boolean) => {
    const prev = spans.at(-1);
    if (!prev || prev.on !== on) {
      if (prev) prev.to = start;
      spans.push({ from: start, to, on });
    }
  };
  push(from, isOnAt(hours, timeZone, from));
  const first = localParts(from, timeZone);
  let weekday = WEEKDAYS.indexOf(first.weekday);
  let offset = zoneOffsetMs(from, timeZone);
  for (let date = first.date; ; date = nextDay(date), weekday = (weekday + 1) % 7) {
    // the previous day's offset is almost always right: one zone lookup a day confirms it
    const naive = Date.parse(`${date}T00:00:00Z`);
    const seen = zoneOffsetMs(naive - offset, timeZone);
    const midnight = seen === offset ? naive - offset : instantOfLocal(date, "00:00", timeZone);
    offset = seen;
    if (midnight >= to) break;
    for (const m of edges) {
      const start = midnight + m * 60_000;
      if (start <= from) continue;
      if (start >= to) break;
      push(start, isOnLocal(hours, { date, weekday: WEEKDAYS[weekday] as Weekday, msOfDay: m * 60_000 }));
    }
  }
  return spans;
}

/** Milliseconds of [from, to) the screen should have been showing. */
export function onMsBetween(hours: OnHours | null | undefined, timeZone: string, from: number, to: number): number {
  return onHoursSpans(hours, timeZone, from, to)
    .filter((s) => s.on)
    .reduce((sum, s) => sum + (s.to - s.from), 0);
}

export interface OnHoursState {
  on: boolean;
  /** When the current state began; null: not within 400 days (or never, without on-hours). */
  since: number | null;
  /** When it next changes; null: not within 400 days. */
  until: number | null;
}

const DAY_MS = 86_400_000;
const HORIZONS_MS = [2 * DAY_MS, 35 * DAY_MS, 400 * DAY_MS];

interface Computed {
  timeZone: string;
  from: number;
  to: number;
  spans: OnHoursSpan[];
}

/**
 * Per on-hours (by content: stores hand out fresh objects) and horizon: the spans last computed, reused
 * while the instant asked about stays a horizon away from both ends. The controller asks for every
 * screen every few seconds, and most screens share their gate's on-hours.
 */
const memo = new Map<string, Map<number, Computed>>();
const MEMO_MAX = 512;

function spansAround(hours: OnHours, timeZone: string, at: number, horizon: number): Computed {
  const key = `${timeZone} ${JSON.stringify(hours)}`;
  let byHorizon = memo.get(key);
  if (!byHorizon) {
    if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value as string);
    byHorizon = new Map();
    memo.set(key, byHorizon);
  }
  const m = byHorizon.get(horizon);
  if (m && m.from <= at - horizon && at + horizon <= m.to) return m;
  const from = at - horizon;
  const to = at + 2 * horizon;
  const computed = { timeZone, from, to, spans: onHoursSpans(hours, timeZone, from, to) };
  byHorizon.set(horizon, computed);
  return computed;
}

/** The state at `atMs`, when it began and when it ends (the dashboard's "dark until 05:30"). */
export function onHoursAt(hours: OnHours | null | undefined, timeZone: string, atMs: number): OnHoursState {
  if (!hours) return { on: true, since: null, until: null };
  let since: number | null = null;
  let until: number | null = null;
  let on = isOnAt(hours, timeZone, atMs);
  for (const horizon of HORIZONS_MS) {
    const c = spansAround(hours, timeZone, atMs, horizon);
    const span = c.spans.find((s) => s.from <= atMs && atMs < s.to);
    if (!span) continue;
    on = span.on;
    if (since === null && span.from > c.from) since = span.from;
    if (until === null && span.to < c.to) until = span.to;
    if (since !== null && until !== null) break;
  }
  return { on, since, until };
}

/** Total length of the overlap of two sets of intervals, each sorted and non-overlapping. */
export function overlapMs(
  a: readonly { from: number; to: number }[],
  b: readonly { from: number; to: number }[],
): number {
  let total = 0;
  let j = 0;
  for (const x of a) {
    while (j < b.length && (b[j] as { to: number }).to <= x.from) j++;
    for (let k = j; k < b.length && (b[k] as { from: number }).from < x.to; k++) {
      const y = b[k] as { from: number; to: number };
      total += Math.max(0, Math.min(x.to, y.to) - Math.max(x.from, y.from));
    }
  }
  return total;
}
