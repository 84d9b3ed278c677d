import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLOCK_POLICY, type ClockSample, clockOffsetEstimate, INITIAL_CLOCK, observeBeacon } from "./clockSync.ts";

const sample = (over: Partial<ClockSample>): ClockSample => ({
  receivedWall: 1_000_000,
  receivedMono: 10_000,
  beaconNow: 1_000_000,
  rttMs: 40,
  seq: 1,
  ...over,
});

describe("clock correction from time beacons", () => {
  it("a first beacon corrects in full; later ones by at most the step limit", () => {
    // the device is two hours behind
    const first = observeBeacon(INITIAL_CLOCK, sample({ receivedWall: 0, beaconNow: 7_200_000 }));
    expect(first).toMatchObject({ kind: "applied", stepMs: -7_200_000 });
    expect(first.state.correctionMs).toBe(-7_200_000);
    // the device clock is then set forward by 5 minutes by someone: the correction follows a minute at a time
    const later = observeBeacon(
      first.state,
      sample({ receivedWall: 300_000 + 20_000, receivedMono: 30_000, beaconNow: 7_220_000 - 0, seq: 2 }),
    );
    expect(later.kind).toBe("applied");
    expect(later.state.correctionMs - first.state.correctionMs).toBeLessThanOrEqual(CLOCK_POLICY.maxStepMs);
  });

  it("ignores beacons that took a minute or more, older sequence numbers, and jitter under the dead band", () => {
    expect(observeBeacon(INITIAL_CLOCK, sample({ rttMs: 61_000 })).kind).toBe("ignored");
    const s = observeBeacon(INITIAL_CLOCK, sample({ seq: 5 })).state;
    expect(observeBeacon(s, sample({ seq: 5 })).kind).toBe("ignored");
    expect(observeBeacon(s, sample({ seq: 6, receivedWall: 1_000_100 })).kind).toBe("unchanged");
  });

  it("uses the smallest receipt − now: a slow answer never sets the clock back further than it must", () => {
    let st = observeBeacon(INITIAL_CLOCK, sample({ receivedWall: 1_005_000, beaconNow: 1_000_000, seq: 1 })).state;
    expect(st.correctionMs).toBe(5_000); // 5 s ahead, as far as this sample shows
    // the device wall clock runs with its monotonic one (wall = mono + 995 000)
    st = observeBeacon(
      st,
      sample({ receivedWall: 1_015_000, receivedMono: 20_000, beaconNow: 1_001_000, seq: 2, rttMs: 9_000 }),
    ).state;
    expect(st.correctionMs).toBe(5_000); // the slower answer (9 s) does not move it
    st = observeBeacon(
      st,
      sample({ receivedWall: 1_025_000, receivedMono: 30_000, beaconNow: 1_020_500, seq: 3 }),
    ).state;
    expect(st.correctionMs).toBe(4_500); // a faster one does
  });

  it("forgets samples once the device clock itself was set", () => {
    let st = observeBeacon(INITIAL_CLOCK, sample({ receivedWall: 1_005_000, seq: 1 })).state;
    // wall − mono moved by an hour: someone set the clock; the old sample no longer applies
    st = observeBeacon(
      st,
      sample({ receivedWall: 4_600_000, receivedMono: 20_000, beaconNow: 1_010_000, seq: 2 }),
    ).state;
    expect(st.samples).toHaveLength(1);
  });

  it("property: after any beacons, the corrected clock is never ahead of the controller by more than the best sample", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -86_400_000, max: 86_400_000 }),
        fc.array(
          fc.record({ delay: fc.integer({ min: 0, max: 30_000 }), gap: fc.integer({ min: 1_000, max: 120_000 }) }),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        (offset, beacons) => {
          let st = INITIAL_CLOCK;
          let mono = 0;
          let controller = 1_700_000_000_000;
          beacons.forEach((b, i) => {
            mono += b.gap;
            controller += b.gap;
            const receivedWall = controller + b.delay + offset;
            st = observeBeacon(st, {
              receivedWall,
              receivedMono: mono,
              beaconNow: controller,
              rttMs: b.delay * 2,
              seq: i + 1,
            }).state;
          });
          // corrected − true = offset − correction: within [−(largest step it still owes), +0] once synced
          const error = offset - st.correctionMs;
          expect(error).toBeLessThanOrEqual(0);
          const best = Math.min(...st.samples.map((s) => s.receivedWall - s.beaconNow)) - offset;
          if (beacons.length === 1) expect(best + error).toBe(0);
        },
      ),
    );
  });

  it("the controller's estimate is the largest heartbeat time − receipt", () => {
    expect(clockOffsetEstimate([])).toBeNull();
    expect(
      clockOffsetEstimate([
        { at: 10_000, receivedAt: 9_000 },
        { at: 20_000, receivedAt: 19_500 },
      ]),
    ).toBe(1_000);
  });
});
