import { PlayRecord } from "@gatecast/playlists";
import { describe, expect, it } from "vitest";
import { PlayTracker } from "./play-tracker.ts";

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
const T = Date.parse("2026-11-23T03:00:00Z");
const slot = (item: string, startsAt: number, ms = 10_000) => ({
  item,
  playlist: "default",
  startsAt,
  endsAt: startsAt + ms,
});

describe("PlayTracker", () => {
  it("records one play per slot when it ends, with the time it was shown", () => {
    const t = new PlayTracker(uuid);
    expect(t.update(T, slot("a", T))).toBeNull();
    expect(t.update(T + 5_000, slot("a", T))).toBeNull();
    const rec = t.update(T + 10_000, slot("b", T + 10_000));
    expect(rec).toMatchObject({
      item: "a",
      playlist: "default",
      startedAt: new Date(T).toISOString(),
      durationMs: 10_000,
    });
    expect(PlayRecord.parse(rec)).toEqual(rec);
  });

  it("counts only the part shown when joining mid-slot (e.g. after a reload)", () => {
    const t = new PlayTracker(uuid);
    t.update(T + 4_000, slot("a", T));
    expect(t.update(T + 10_000, null)).toMatchObject({
      durationMs: 6_000,
      startedAt: new Date(T + 4_000).toISOString(),
    });
  });

  it("the same item in the next cycle is a new play", () => {
    const t = new PlayTracker(uuid);
    t.update(T, slot("a", T));
    const first = t.update(T + 10_000, slot("a", T + 10_000));
    const second = t.update(T + 20_000, slot("a", T + 20_000));
    expect(first?.durationMs).toBe(10_000);
    expect(second?.durationMs).toBe(10_000);
    expect(first?.id).not.toBe(second?.id);
  });

  it("stops counting while hidden and resumes as a new play", () => {
    const t = new PlayTracker(uuid);
    t.update(T, slot("a", T));
    expect(t.update(T + 3_000, null)?.durationMs).toBe(3_000); // critical alert covers it
    expect(t.update(T + 4_000, null)).toBeNull();
    t.update(T + 7_000, slot("a", T));
    expect(t.update(T + 10_000, slot("b", T + 10_000))?.durationMs).toBe(3_000);
  });

  it("never counts beyond the slot, nor a clock that jumped back, nor a glimpse", () => {
    const t = new PlayTracker(uuid);
    t.update(T, slot("a", T));
    expect(t.update(T + 3_600_000, slot("z", T + 3_600_000))?.durationMs).toBe(10_000);
    t.update(T + 3_600_000, slot("q", T + 3_600_000));
    expect(t.update(T, slot("r", T))).toBeNull();
    t.update(T + 9_800, slot("s", T));
    expect(t.update(T + 10_000, slot("u", T + 10_000))).toBeNull();
  });
});
