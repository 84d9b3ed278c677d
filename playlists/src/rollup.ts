import { localParts } from "./time.ts";

/*
 * Proof-of-play kept for years: raw plays roll up into daily aggregates per gate-local day × gate ×
 * screen × item × release × language. Pure: the store feeds it rows and a gate's time zone.
 */

const DAY_MS = 86_400_000;

/** A signage play shows its languages together: it counts as this language. Lookup records carry one. */
export const ALL_LANGUAGES = "*";

/** "YYYY-MM-DD" as days since 1970-01-01 (the aggregates' compact day key). */
export const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
/** The "YYYY-MM-DD" of a day number. */
export const dayDate = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** "YYYY-MM" of a day number. */
export const dayMonth = (day: number): string => dayDate(day).slice(0, 7);

/**
 * The gate-local day number of an instant. Offsets change only on quarter hours, so a zone's reading is
 * cached per quarter hour: rolling up thousands of plays costs a few Intl calls.
 */
export class LocalDays {
  private readonly cache = new Map<string, number>();

  of(atMs: number, timeZone: string): number {
    const q = Math.floor(atMs / 900_000);
    const key = `${timeZone}|${q}`;
    let d = this.cache.get(key);
    if (d === undefined) {
      d = dayNumber(localParts(q * 900_000, timeZone).date);
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(key, d);
    }
    return d;
  }
}

export interface RawPlay {
  gate: number;
  screen: number;
  item: number;
  release: number;
  lang: string;
  startedAt: number;
  durationMs: number;
}

export interface DailyAggregate {
  day: number;
  gate: number;
  screen: number;
  item: number;
  release: number;
  lang: string;
  plays: number;
  ms: number;
}

export const aggregateKey = (a: Omit<DailyAggregate, "plays" | "ms">): string =>
  `${a.day}|${a.gate}|${a.screen}|${a.item}|${a.release}|${a.lang}`;

/**
 * Sums plays into daily aggregates, by the gate-local day each play started on (a play across midnight
 * counts on the day it began). `zoneOf` names a gate's time zone.
 */
export function rollupPlays(
  plays: Iterable<RawPlay>,
  zoneOf: (gate: number) => string,
  days = new LocalDays(),
): DailyAggregate[] {
  const out = new Map<string, DailyAggregate>();
  for (const p of plays) {
    const day = days.of(p.startedAt, zoneOf(p.gate));
    const key = aggregateKey({ ...p, day });
    const a = out.get(key);
    if (a) {
      a.plays += 1;
      a.ms += p.durationMs;
    } else
      out.set(key, {
        day,
        gate: p.gate,
        screen: p.screen,
        item: p.item,
        release: p.release,
        lang: p.lang,
        plays: 1,
        ms: p.durationMs,
      });
  }
  return [...out.values()];
}
