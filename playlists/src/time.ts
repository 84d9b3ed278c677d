import { WEEKDAYS, type Weekday } from "./schema/common.ts";

/** Wall-clock reading of an instant in a time zone. */
export interface LocalParts {
  /** "YYYY-MM-DD" */
  date: string;
  weekday: Weekday;
  /** Milliseconds since local midnight. */
  msOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const DAY_MS = 86_400_000;

/** Offset of `timeZone` from UTC at instant `atMs`, in milliseconds (+7 h for Asia/Ho_Chi_Minh). */
export function zoneOffsetMs(atMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(atMs)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour,
    parts.minute,
    parts.second,
  );
  const wholeSeconds = atMs - (((atMs % 1000) + 1000) % 1000);
  return asUtc - wholeSeconds;
}

export function localParts(atMs: number, timeZone: string): LocalParts {
  const local = atMs + zoneOffsetMs(atMs, timeZone);
  const dayNumber = Math.floor(local / DAY_MS);
  return {
    date: new Date(dayNumber * DAY_MS).toISOString().slice(0, 10),
    // 1970-01-01 was a Thursday (index 3 in mon..sun)
    weekday: WEEKDAYS[(((dayNumber + 3) % 7) + 7) % 7] as Weekday,
    msOfDay: local - dayNumber * DAY_MS,
  };
}

/** The calendar day before `date` ("YYYY-MM-DD"). */
export function previousDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day after `date` ("YYYY-MM-DD"). */
export function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

export function previousWeekday(day: Weekday): Weekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7] as Weekday;
}

/** The instant at which the wall clock of `timeZone` reads `date` `HH:MM` (exact for zones without DST). */
export function instantOfLocal(date: string, time: string, timeZone: string): number {
  const naive = Date.parse(`${date}T${time}:00Z`);
  const guess = naive - zoneOffsetMs(naive, timeZone);
  return naive - zoneOffsetMs(guess, timeZone);
}
