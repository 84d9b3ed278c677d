import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isEntryActive, resolve, type ScreenProgram, targetsMatch } from "./resolve.ts";
import { minutesOf, WEEKDAYS } from "./schema/common.ts";
import { Alert, Gate, Item, Playlist, ScheduleEntry, Screen } from "./schema/content.ts";
import { instantOfLocal, localParts, previousDay } from "./time.ts";

const TZ = "Asia/Ho_Chi_Minh";
const DAY = 86_400_000;

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45, 59))
  .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
const date = fc
  .integer({ min: 0, max: 60 })
  .map((d) => new Date(Date.UTC(2026, 10, 1) + d * DAY).toISOString().slice(0, 10));
const instant = fc.integer({ min: Date.UTC(2026, 10, 1), max: Date.UTC(2027, 0, 1) });

const screens = ["s1", "s2", "s3"].map((id, i) =>
  Screen.parse({ id, gate: i < 2 ? "g1" : "g2", name: id, tags: i === 0 ? ["arrivals"] : ["lorry"] }),
);
const playlistIds = ["p0", "p1", "p2", "p3"];

const entryArb = fc
  .record({
    playlist: fc.constantFrom(...playlistIds),
    targets: fc.record(
      {
        gates: fc.subarray(["g1", "g2"], { minLength: 1 }),
        screens: fc.subarray(["s1", "s2", "s3"], { minLength: 1 }),
        tags: fc.subarray(["arrivals", "lorry"], { minLength: 1 }),
      },
      { requiredKeys: [] },
    ),
    days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
    window: fc.option(fc.record({ from: hhmm, to: hhmm }), { nil: undefined }),
    dates: fc.option(
      fc.tuple(date, date).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a })),
      { nil: undefined },
    ),
    priority: fc.integer({ min: -3, max: 3 }),
  })
  .map((e) =>
    ScheduleEntry.parse({ id: "e", ...Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) }),
  );

const scheduleArb = fc
  .array(entryArb, { maxLength: 8 })
  .map((entries) => entries.map((e, i) => ({ ...e, id: `e${i}` })));

const itemArb = (id: string) =>
  fc
    .record({
      duration: fc.integer({ min: 1, max: 40 }),
      valid: fc.option(
        fc.tuple(date, date).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a })),
        { nil: undefined },
      ),
    })
    .map(({ duration, valid }) =>
      Item.parse({
        id,
        kind: "notice",
        category: "promotion",
        duration,
        title: { vi: id },
        body: { vi: id },
        ...(valid ? { valid } : {}),
      }),
    );

const itemsArb = fc.tuple(...["i0", "i1", "i2", "i3", "i4", "i5"].map(itemArb));
const playlistsArb = fc.tuple(
  ...playlistIds.map((id) =>
    fc
      .array(fc.constantFrom("i0", "i1", "i2", "i3", "i4", "i5"), { minLength: 1, maxLength: 5 })
      .map((items) => Playlist.parse({ id, name: id, items })),
  ),
);

const gate = Gate.parse({ id: "g1", name: { vi: "g", zh: "g" }, defaultPlaylist: "p0" });

function programOf(screen: Screen, schedules: ScheduleEntry[], items: Item[], playlists: Playlist[]): ScreenProgram {
  return { gate: { ...gate, id: screen.gate }, screen, schedules, playlists, items, alerts: [] };
}

/**
 * Reference model, written differently on purpose: a window occurrence is an absolute interval that
 * starts on a local day in `days`; the entry is active inside one when the local date is in `dates`.
 */
function activeByIntervals(e: ScheduleEntry, atMs: number): boolean {
  const local = localParts(atMs, TZ);
  if (e.dates && ((e.dates.from && local.date < e.dates.from) || (e.dates.to && local.date > e.dates.to))) return false;
  for (const day of [previousDay(local.date), local.date]) {
    const weekday = localParts(instantOfLocal(day, "12:00", TZ), TZ).weekday;
    if (!e.days.includes(weekday)) continue;
    const from = e.window ? e.window.from : "00:00";
    const start = instantOfLocal(day, from, TZ);
    let length = DAY;
    if (e.window) {
      const span = minutesOf(e.window.to) - minutesOf(e.window.from);
      length = (span > 0 ? span : span + 24 * 60) * 60_000;
    }
    if (start <= atMs && atMs < start + length) return true;
  }
  return false;
}

function playable(p: Playlist, items: Item[], day: string): number {
  return p.items.filter((id) => {
    const item = items.find((i) => i.id === id);
    const v = item?.valid;
    return item && (!v || ((!v.from || v.from <= day) && (!v.to || day <= v.to)));
  }).length;
}

describe("resolver properties (random schedules)", () => {
  it("an entry's activity matches the interval model of window occurrences", () => {
    fc.assert(
      fc.property(entryArb, instant, (e, t) => {
        expect(isEntryActive(e, localParts(t, TZ))).toBe(activeByIntervals(e, t));
      }),
      { numRuns: 3000 },
    );
  });

  it("the winner is the first highest-priority active, targeted entry whose playlist can play, else the default", () => {
    fc.assert(
      fc.property(
        scheduleArb,
        itemsArb,
        playlistsArb,
        fc.constantFrom(...screens),
        instant,
        (schedules, items, playlists, screen, t) => {
          const program = programOf(screen, schedules, items, playlists);
          const r = resolve(program, t);
          const day = localParts(t, TZ).date;
          const candidates = schedules.filter(
            (e) =>
              targetsMatch(e.targets, screen) &&
              activeByIntervals(e, t) &&
              playable(playlists.find((p) => p.id === e.playlist) as Playlist, items, day) > 0,
          );
          const best = Math.max(...candidates.map((e) => e.priority));
          const expected = candidates.find((e) => e.priority === best);
          if (expected) {
            expect(r.schedule).toBe(expected.id);
            expect(r.playlist).toBe(expected.playlist);
          } else {
            expect(r.schedule).toBeNull();
            const def = playlists.find((p) => p.id === "p0") as Playlist;
            expect(r.playlist).toBe(playable(def, items, day) > 0 ? "p0" : null);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("the chosen item is valid on the day, belongs to the playlist, and its slot contains the instant", () => {
    fc.assert(
      fc.property(
        scheduleArb,
        itemsArb,
        playlistsArb,
        fc.constantFrom(...screens),
        instant,
        (schedules, items, playlists, screen, t) => {
          const r = resolve(programOf(screen, schedules, items, playlists), t);
          if (!r.item) return;
          const day = localParts(t, TZ).date;
          const v = r.item.valid;
          expect(!v || ((!v.from || v.from <= day) && (!v.to || day <= v.to))).toBe(true);
          expect((playlists.find((p) => p.id === r.playlist) as Playlist).items).toContain(r.item.id);
          expect(r.startsAt).toBeLessThanOrEqual(t);
          expect(t).toBeLessThan(r.endsAt);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("within one playlist the items follow each other in order, each for its duration", () => {
    fc.assert(
      fc.property(
        itemsArb,
        playlistsArb,
        fc.integer({ min: Date.UTC(2026, 10, 1), max: Date.UTC(2026, 10, 30) }),
        (items, playlists, t) => {
          const allValid = items.map((i) => ({ ...i, valid: undefined }));
          const program = programOf(screens[0] as Screen, [], allValid, playlists);
          const a = resolve(program, t);
          const b = resolve(program, a.endsAt);
          const p0 = playlists[0] as Playlist;
          expect(b.startsAt).toBe(a.endsAt);
          expect(b.index).toBe((a.index + 1) % p0.items.length);
          expect(a.endsAt - a.startsAt).toBe((allValid.find((i) => i.id === a.item?.id) as Item).duration * 1000);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("screens that resolve to the same playlist show the same item at the same instant", () => {
    fc.assert(
      fc.property(scheduleArb, itemsArb, playlistsArb, instant, (schedules, items, playlists, t) => {
        const results = screens.map((s) => resolve(programOf(s, schedules, items, playlists), t));
        for (const a of results)
          for (const b of results)
            if (a.playlist && a.playlist === b.playlist) {
              expect(a.item?.id).toBe(b.item?.id);
              expect(a.startsAt).toBe(b.startsAt);
            }
      }),
      { numRuns: 1000 },
    );
  });

  it("an alert is returned exactly while it is in force and targets the screen", () => {
    const alertArb = fc
      .record({
        start: instant,
        length: fc.integer({ min: 1, max: 3 * DAY }),
        severity: fc.constantFrom("info", "warning", "critical"),
        targets: fc.record(
          {
            gates: fc.subarray(["g1", "g2"], { minLength: 1 }),
            tags: fc.subarray(["arrivals", "lorry"], { minLength: 1 }),
          },
          { requiredKeys: [] },
        ),
      })
      .map(({ start, length, severity, targets }) =>
        Alert.parse({
          id: "a",
          severity,
          targets,
          message: { vi: "Cảnh báo", zh: "警告" },
          startsAt: new Date(start).toISOString(),
          expiresAt: new Date(start + length).toISOString(),
        }),
      );
    fc.assert(
      fc.property(fc.array(alertArb, { maxLength: 5 }), fc.constantFrom(...screens), instant, (alerts, screen, t) => {
        const withIds = alerts.map((a, i) => ({ ...a, id: `a${i}` }));
        const program = { ...programOf(screen, [], [], []), alerts: withIds };
        const got = resolve(program, t)
          .alerts.map((a) => a.id)
          .sort();
        const want = withIds
          .filter((a) => Date.parse(a.startsAt) <= t && t < Date.parse(a.expiresAt) && targetsMatch(a.targets, screen))
          .map((a) => a.id)
          .sort();
        expect(got).toEqual(want);
      }),
      { numRuns: 1000 },
    );
  });
});
