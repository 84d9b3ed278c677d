import { instantOfLocal, localParts, nextDay, type OnHours, onHoursSpans, overlapMs } from "@gatecast/playlists";
import type { Store } from "../store/index.ts";

/** Online intervals of a screen in [from, to), from its state history. */
export function onlineIntervals(
  store: Store,
  screenId: string,
  from: number,
  to: number,
): { from: number; to: number }[] {
  const events = store.fleet.history(screenId, from, to);
  const out: { from: number; to: number }[] = [];
  events.forEach((e, i) => {
    if (!e.online) return;
    const start = Math.max(e.at, from);
    const end = Math.min(events[i + 1]?.at ?? to, to);
    if (end > start) out.push({ from: start, to: end });
  });
  return out;
}

/**
 * How long a screen should have been showing in [from, to) (its on-hours) and how much of that it was
 * online: uptime counts only the hours it should have been on, so a night dark by schedule is no gap.
 */
export function uptimeOf(
  store: Store,
  screenId: string,
  onHours: OnHours | null,
  timeZone: string,
  from: number,
  to: number,
): { shouldOnMs: number; onlineOnMs: number } {
  if (to <= from) return { shouldOnMs: 0, onlineOnMs: 0 };
  const on = onHoursSpans(onHours, timeZone, from, to).filter((s) => s.on);
  const shouldOnMs = on.reduce((sum, s) => sum + (s.to - s.from), 0);
  return { shouldOnMs, onlineOnMs: overlapMs(on, onlineIntervals(store, screenId, from, to)) };
}

/** The gate-local days in [from, to) as [day, start, end) instants. */
export function localDays(timeZone: string, from: number, to: number): { day: string; from: number; to: number }[] {
  const out: { day: string; from: number; to: number }[] = [];
  for (let day = localParts(from, timeZone).date; ; day = nextDay(day)) {
    const start = instantOfLocal(day, "00:00", timeZone);
    if (start >= to) break;
    const end = instantOfLocal(nextDay(day), "00:00", timeZone);
    out.push({ day, from: Math.max(start, from), to: Math.min(end, to) });
  }
  return out;
}
