import { z } from "zod";
import { refinement } from "../issues.ts";

/** Lowercase slug used for every id operators write by hand (gates, screens, items, …). */
export const Id = z.stringFormat("id", /^[a-z0-9][a-z0-9-]{0,63}$/, {
  error: (issue) =>
    issue.input === undefined
      ? "required"
      : `invalid id ${JSON.stringify(issue.input)}: use lowercase letters, digits and "-" (at most 64)`,
});
export type Id = z.infer<typeof Id>;

export const Tag = z.stringFormat("tag", /^[a-z0-9][a-z0-9-]{0,63}$/, {
  error: (i) => `invalid tag ${JSON.stringify(i.input)}`,
});

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** Gate-local wall-clock time, "HH:MM" from 00:00 to 23:59. */
export const LocalTime = z.stringFormat("time", HHMM, {
  error: (i) => `invalid time ${JSON.stringify(i.input)}, expected HH:MM (00:00–23:59)`,
});
export type LocalTime = z.infer<typeof LocalTime>;

export function minutesOf(time: LocalTime): number {
  const m = HHMM.exec(time);
  if (!m) throw new Error(`invalid time ${time}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split("-").map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Gate-local calendar date, "YYYY-MM-DD". YAML may hand us a Date object for unquoted dates. */
export const LocalDate = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z.stringFormat("date", (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isRealDate(s), {
    error: (i) => `invalid date ${JSON.stringify(i.input)}, expected YYYY-MM-DD`,
  }),
);
export type LocalDate = z.infer<typeof LocalDate>;

/** An absolute instant, ISO 8601 with an offset or Z. */
export const Instant = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : v),
  z.iso.datetime({ offset: true, error: "expected an ISO 8601 date-time with offset, e.g. 2026-11-23T08:00:00+07:00" }),
);
export type Instant = z.infer<typeof Instant>;

export const DateRange = z
  .strictObject({ from: LocalDate.optional(), to: LocalDate.optional() })
  .refine((r) => !r.from || !r.to || r.from <= r.to, {
    error: '"to" is before "from"',
    path: ["to"],
    params: refinement("range-order", { after: "from" }),
  });
export type DateRange = z.infer<typeof DateRange>;

export const Sha256 = z.stringFormat("sha256", /^[0-9a-f]{64}$/, { error: "expected a lowercase hex sha256" });

export const Weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
export type Weekday = z.infer<typeof Weekday>;
export const WEEKDAYS = Weekday.options;

const nonEmpty = z.string().trim().min(1, { error: "must not be empty" });

/** Text in the languages of the gate: Vietnamese always, Simplified Chinese and English where given. */
export const Localized = z.strictObject({
  vi: nonEmpty.max(2000),
  zh: nonEmpty.max(2000).optional(),
  en: nonEmpty.max(2000).optional(),
});
export type Localized = z.infer<typeof Localized>;

/** Text that must exist in both Vietnamese and Chinese (gate names, alerts). */
export const Bilingual = Localized.extend({ zh: nonEmpty.max(2000) });
export type Bilingual = z.infer<typeof Bilingual>;

export const Language = z.enum(["vi", "zh", "en"]);
export type Language = z.infer<typeof Language>;

export const Targets = z.strictObject({
  gates: z.array(Id).optional(),
  screens: z.array(Id).optional(),
  tags: z.array(Tag).optional(),
});
export type Targets = z.infer<typeof Targets>;

/** Zones already asked about: building an Intl formatter to find out costs ~0.1 ms, and every manifest names one. */
const knownZones = new Map<string, boolean>();

export function isValidTimeZone(tz: string): boolean {
  let ok = knownZones.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    if (knownZones.size < 1000) knownZones.set(tz, ok);
  }
  return ok;
}

export const TimeZone = z.stringFormat("time-zone", isValidTimeZone, {
  error: (i) => `unknown time zone ${JSON.stringify(i.input)}`,
});
