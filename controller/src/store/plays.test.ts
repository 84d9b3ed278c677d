import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dayNumber, localParts } from "@gatecast/playlists";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Store } from "./index.ts";
import { PLAY_ID_KEEP_MS } from "./plays.ts";

const ZONES: Record<string, string> = { "huu-nghi": "Asia/Ho_Chi_Minh", "far-gate": "America/New_York" };
const zoneOf = (g: string) => ZONES[g] ?? "Asia/Ho_Chi_Minh";
const SCREENS = [
  { id: "hn-1", gate: "huu-nghi" },
  { id: "hn-2", gate: "huu-nghi" },
  { id: "far-1", gate: "far-gate" },
];
// around gate-local midnight in both zones: 2026-11-30 17:00Z is 00:00 in Hà Nội, 05:00Z in New York
const T0 = Date.parse("2026-11-30T12:00:00Z");

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "gatecast-plays-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
let n = 0;
const fresh = () => Store.open(join(root, `s${n++}`));

const arbPlay = fc.record({
  screen: fc.constantFrom(...SCREENS),
  item: fc.constantFrom("a", "b", "c"),
  release: fc.constantFrom(1, 2),
  startedAt: fc.integer({ min: T0, max: T0 + 30 * 3_600_000 }),
  durationMs: fc.integer({ min: 1, max: 60_000 }),
});

describe("daily roll-up of plays", () => {
  it("sums exactly what the raw plays say, per gate-local day, however it is batched and re-run", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbPlay, { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 50 }),
        async (plays, batch) => {
          const store = await fresh();
          try {
            let i = 0;
            for (const p of plays)
              store.plays.store(
                p.screen.id,
                p.screen.gate,
                [
                  {
                    id: `p${i++}`,
                    item: p.item,
                    startedAt: p.startedAt,
                    durationMs: p.durationMs,
                    releaseId: p.release,
                  },
                ],
                0,
              );
            // read before any roll-up (a read-only store) and after, twice: the same
            const expected = new Map<string, { plays: number; ms: number }>();
            for (const p of plays) {
              const day = dayNumber(localParts(p.startedAt, zoneOf(p.screen.gate)).date);
              const k = `${day}|${p.screen.gate}|${p.screen.id}|${p.item}|${p.release}|*`;
              const e = expected.get(k) ?? { plays: 0, ms: 0 };
              e.plays += 1;
              e.ms += p.durationMs;
              expected.set(k, e);
            }
            const read = () =>
              new Map(
                store.plays
                  .grouped(0, 100_000, ["day", "gate", "screen", "item", "release", "lang"], zoneOf)
                  .map((g) => [
                    `${g.day}|${g.gate}|${g.screen}|${g.item}|${g.release}|${g.lang}`,
                    { plays: g.plays, ms: g.ms },
                  ]),
              );
            expect(read()).toEqual(expected);
            // whole months from the monthly aggregates, the rest from the daily ones: the same sums
            const [nov1, dec1] = [dayNumber("2026-11-01"), dayNumber("2026-12-01")];
            const monthly = new Map<string, number>();
            for (const [k, v] of expected) {
              const day = Number(k.split("|")[0]);
              if (day < nov1 || day > dec1) continue;
              const key = k.split("|").slice(2, 4).join("|");
              monthly.set(key, (monthly.get(key) ?? 0) + v.ms);
            }
            const readMonths = () =>
              new Map(
                store.plays.grouped(nov1, dec1, ["screen", "item"], zoneOf).map((g) => [`${g.screen}|${g.item}`, g.ms]),
              );
            expect(readMonths()).toEqual(monthly);
            while (store.plays.rollupBatch(zoneOf, batch) > 0);
            expect(store.plays.rollupBatch(zoneOf, batch)).toBe(0);
            expect(read()).toEqual(expected);
            expect(readMonths()).toEqual(monthly);
          } finally {
            store.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("counts a play on its own gate's local day: 23:30 in Hà Nội and in New York are different days in UTC", async () => {
    const store = await fresh();
    try {
      const hn = Date.parse("2026-11-30T23:30:00+07:00");
      const ny = Date.parse("2026-11-30T23:30:00-05:00");
      store.plays.store("hn-1", "huu-nghi", [{ id: "x", item: "a", startedAt: hn, durationMs: 1000, releaseId: 1 }], 0);
      store.plays.store(
        "far-1",
        "far-gate",
        [{ id: "y", item: "a", startedAt: ny, durationMs: 1000, releaseId: 1 }],
        0,
      );
      store.plays.rollupBatch(zoneOf);
      const days = store.plays.grouped(0, 100_000, ["gate", "day"], zoneOf);
      expect(days.map((d) => [d.gate, d.day]).sort()).toEqual([
        ["far-gate", dayNumber("2026-11-30")],
        ["huu-nghi", dayNumber("2026-11-30")],
      ]);
    } finally {
      store.close();
    }
  });

  it("a crash in the middle of a roll-up leaves no double counts", async () => {
    const store = await fresh();
    try {
      const recs = Array.from({ length: 30 }, (_, i) => ({
        id: `c${i}`,
        item: "a",
        startedAt: T0 + i * 60_000,
        durationMs: 10_000,
        releaseId: 1,
      }));
      store.plays.store("hn-1", "huu-nghi", recs, 0);
      store.plays.rollupBatch(zoneOf, 10);
      expect(() =>
        store.plays.rollupBatch(zoneOf, 10, () => {
          throw new Error("power cut");
        }),
      ).toThrow("power cut");
      // the same plays sent again (the ack was lost) are not stored twice either
      store.plays.store("hn-1", "huu-nghi", recs, 0);
      while (store.plays.rollupBatch(zoneOf, 10) > 0);
      expect(store.plays.grouped(0, 100_000, [], zoneOf)).toEqual([{ plays: 30, ms: 300_000 }]);
    } finally {
      store.close();
    }
  });
});

describe("retention", () => {
  it("deletes only raw plays past the window that are rolled up, never an aggregate, and forgets old play ids", async () => {
    const store = await fresh();
    try {
      const DAY = 86_400_000;
      const now = T0 + 100 * DAY;
      const old = Array.from({ length: 5 }, (_, i) => ({
        id: `o${i}`,
        item: "a",
        startedAt: T0 + i * 1000,
        durationMs: 5000,
        releaseId: 1,
      }));
      const recent = [{ id: "r", item: "b", startedAt: now - DAY, durationMs: 7000, releaseId: 2 }];
      store.plays.store("hn-1", "huu-nghi", old, T0);
      // not rolled up yet: nothing goes
      expect(store.plays.deleteOld(now - 90 * DAY, 2)).toBe(0);
      store.plays.rollupBatch(zoneOf);
      store.plays.store("hn-1", "huu-nghi", recent, now - DAY);
      let deleted = 0;
      for (let n = -1; n !== 0; ) {
        n = store.plays.deleteOld(now - 90 * DAY, 2);
        deleted += n;
      }
      expect(deleted).toBe(5);
      expect(store.plays.counts().raw).toBe(1);
      expect(store.plays.raw(0, now + DAY).map((p) => p.item)).toEqual(["b"]);
      // the aggregates still say everything
      expect(
        store.plays.grouped(0, 100_000, ["item"], zoneOf).sort((a, b) => a.item?.localeCompare(b.item ?? "") ?? 0),
      ).toEqual([
        { item: "a", plays: 5, ms: 25_000 },
        { item: "b", plays: 1, ms: 7000 },
      ]);
      expect(store.plays.forgetIds(now - PLAY_ID_KEEP_MS, 100)).toBe(5);
      expect(store.plays.playIds()).toEqual(["r"]);
      // the online history keeps each screen's state at the cutoff
      for (const [at, online] of [
        [T0, true],
        [T0 + DAY, false],
        [T0 + 2 * DAY, true],
        [now - DAY, false],
      ] as const)
        store.fleet.setOnline("hn-1", online, at);
      expect(store.fleet.pruneHistory(now - 40 * DAY, 100)).toBe(2);
      expect(store.fleet.history("hn-1", now - 40 * DAY, now)).toEqual([
        { at: T0 + 2 * DAY, online: true },
        { at: now - DAY, online: false },
      ]);
    } finally {
      store.close();
    }
  });
});
