import type { PlayRecord } from "@gatecast/playlists";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { judgePlay, PLAY_TOLERANCE_MS, type PlayJudgement, PlayRate, type SentVersion } from "./playCheck.ts";

const T = Date.parse("2026-12-01T08:00:00Z");
const v1: SentVersion = { version: 10, items: new Set(["a", "b"]), issuedAt: T };
const v2: SentVersion = { version: 11, items: new Set(["b", "c"]), issuedAt: T + 3_600_000 };
const sent = new Map([v1, v2].map((v) => [v.version, v]));
const judgement = (over: Partial<PlayJudgement> = {}): PlayJudgement => ({
  sent,
  reserved: 11,
  receivedAt: T + 2 * 3_600_000,
  skewMs: 0,
  ...over,
});
const play = (over: Partial<PlayRecord> = {}): PlayRecord => ({
  id: "00000000-0000-4000-8000-000000000000",
  item: "a",
  playlist: null,
  startedAt: new Date(T + 60_000).toISOString(),
  durationMs: 10_000,
  manifestVersion: 10,
  ...over,
});

describe("judgePlay", () => {
  it("stores a play of an item its version contained, within the wall time", () => {
    expect(judgePlay(play(), judgement())).toEqual({ kind: "store", version: 10 });
    // an older kiosk that names no version: whichever version it was sent will do, the latest issued before it
    const later = new Date(T + 3_700_000).toISOString();
    expect(judgePlay(play({ manifestVersion: undefined, item: "c", startedAt: later }), judgement())).toEqual({
      kind: "store",
      version: 11,
    });
    expect(judgePlay(play({ manifestVersion: undefined, item: "b", startedAt: later }), judgement())).toEqual({
      kind: "store",
      version: 11,
    });
    expect(judgePlay(play({ manifestVersion: undefined, item: "b" }), judgement())).toEqual({
      kind: "store",
      version: 10,
    });
  });

  it("refuses items the version did not contain, versions never sent, plays before the version", () => {
    expect(judgePlay(play({ item: "c" }), judgement())).toEqual({ kind: "refuse", reason: "item-not-sent" });
    expect(judgePlay(play({ item: "zzz", manifestVersion: undefined }), judgement())).toEqual({
      kind: "refuse",
      reason: "item-not-sent",
    });
    expect(judgePlay(play({ manifestVersion: 3 }), judgement())).toEqual({
      kind: "refuse",
      reason: "unknown-version",
    });
    expect(
      judgePlay(
        play({ item: "c", manifestVersion: 11, startedAt: new Date(T + 3_600_000 - 2 * 86_400_000).toISOString() }),
        judgement({ receivedAt: T + 3 * 86_400_000 }),
      ),
    ).toEqual({ kind: "refuse", reason: "started-before-issue" });
  });

  it("refuses a play longer than the time since it started, allowing for the screen's clock", () => {
    const received = T + 2 * 3_600_000;
    const start = received - 60_000;
    const p = play({ item: "b", manifestVersion: 11, startedAt: new Date(start).toISOString() });
    expect(judgePlay({ ...p, durationMs: 60_000 }, judgement())).toMatchObject({ kind: "store" });
    expect(judgePlay({ ...p, durationMs: 60_000 + PLAY_TOLERANCE_MS + 1 }, judgement())).toEqual({
      kind: "refuse",
      reason: "longer-than-wall-time",
    });
    // the screen's clock is ten minutes fast: its start is ten minutes "later" than ours
    const fast = { ...p, startedAt: new Date(start + 600_000).toISOString() };
    expect(judgePlay({ ...fast, durationMs: 60_000 }, judgement({ skewMs: 600_000 }))).toMatchObject({ kind: "store" });
    expect(judgePlay({ ...fast, durationMs: 60_000 }, judgement()).kind).toBe("refuse");
  });

  it("defers what it cannot judge yet: an unknown clock, a version reserved a moment ago", () => {
    expect(judgePlay(play(), judgement({ skewMs: null }))).toEqual({ kind: "defer" });
    expect(judgePlay(play({ manifestVersion: 12 }), judgement({ reserved: 12 }))).toEqual({ kind: "defer" });
    // a version above anything this store reserved (it was restored from an older backup): judged on items
    expect(judgePlay(play({ manifestVersion: 99 }), judgement())).toMatchObject({ kind: "store" });
    expect(judgePlay(play({ manifestVersion: 99, item: "zzz" }), judgement()).kind).toBe("refuse");
  });

  it("never stores a play claiming more time than passed since it started", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 * 86_400_000 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: -3_600_000, max: 3_600_000 }),
        (ago, durationMs, skewMs) => {
          const receivedAt = T + 8 * 86_400_000;
          const startedOurs = receivedAt - ago;
          const p = play({ startedAt: new Date(startedOurs + skewMs).toISOString(), durationMs });
          const v = judgePlay(p, judgement({ receivedAt, skewMs }));
          if (v.kind === "store") expect(durationMs).toBeLessThanOrEqual(ago + PLAY_TOLERANCE_MS);
        },
      ),
    );
  });
});

describe("PlayRate", () => {
  it("grants a burst, then the refill rate, per screen", () => {
    const rate = new PlayRate(1_000, 10);
    expect(rate.take("s1", 800, T)).toBe(800);
    expect(rate.take("s1", 800, T)).toBe(200);
    expect(rate.take("s1", 800, T)).toBe(0);
    expect(rate.take("s2", 500, T)).toBe(500);
    expect(rate.take("s1", 800, T + 30_000)).toBe(300);
    expect(rate.take("s1", 5_000, T + 10 * 3_600_000)).toBe(1_000);
  });
});
