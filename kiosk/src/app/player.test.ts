import type { Alert, PlayRecord, ScreenProgram } from "@gatecast/playlists";
import { describe, expect, it } from "vitest";
import { manifest } from "../sync/testing.ts";
import { longestSlotMs, Player } from "./player.ts";
import type { Slot } from "./state.ts";

const program = (): ScreenProgram => manifest(1, []);

function setup(prog: ScreenProgram | null = program()) {
  let now = 30_000 * 1_000_000; // a multiple of the 10 s playlist: slot boundary
  let p: ScreenProgram | null = prog;
  const slots: (Slot | null)[] = [];
  const plays: PlayRecord[] = [];
  const boundaries: boolean[] = [];
  const alertLists: Alert[][] = [];
  let stuck = 0;
  let covered = false;
  let id = 0;
  const player = new Player({
    clock: { now: () => now },
    program: () => p,
    covered: () => covered,
    newId: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}`,
    onSlot: (s) => slots.push(s),
    onAlerts: (a) => alertLists.push(a),
    onPlay: (r) => plays.push(r),
    onBoundary: (i) => boundaries.push(i.criticalAlert),
    onStuck: () => stuck++,
  });
  return {
    player,
    slots,
    plays,
    boundaries,
    alertLists,
    stuck: () => stuck,
    advance: (ms: number) => (now += ms),
    setProgram: (x: ScreenProgram | null) => (p = x),
    cover: (c: boolean) => (covered = c),
  };
}

describe("Player", () => {
  it("publishes each new slot once and records the previous one at the boundary", () => {
    const t = setup();
    t.player.tick();
    t.advance(250);
    t.player.tick();
    expect(t.slots.map((s) => s?.item.id)).toEqual(["notice-1"]);
    t.advance(9_750);
    t.player.tick(); // single-item playlist: the next cycle is a new slot
    expect(t.slots).toHaveLength(2);
    expect(t.plays).toHaveLength(1);
    expect(t.plays[0]).toMatchObject({ item: "notice-1", playlist: "default", durationMs: 10_000 });
    expect(t.boundaries).toEqual([false]);
  });

  it("does not count items hidden behind the identify overlay", () => {
    const t = setup();
    t.player.tick();
    t.advance(4_000);
    t.cover(true);
    t.player.tick();
    expect(t.plays[0]?.durationMs).toBe(4_000);
    t.advance(6_000);
    t.player.tick();
    expect(t.plays).toHaveLength(1);
  });

  it("reports alerts when the set changes", () => {
    const t = setup();
    const now = 30_000 * 1_000_000;
    const withAlert = {
      ...program(),
      alerts: [
        {
          id: "fog",
          severity: "critical" as const,
          message: { vi: "Sương mù", zh: "大雾" },
          targets: {},
          startsAt: new Date(now - 1000).toISOString(),
          expiresAt: new Date(now + 5_000).toISOString(),
        },
      ],
    };
    t.setProgram(withAlert);
    t.player.tick();
    expect(t.alertLists.map((l) => l.map((a) => a.id))).toEqual([["fog"]]);
    t.advance(5_000); // expired by the kiosk's own clock
    t.player.tick();
    expect(t.alertLists.map((l) => l.map((a) => a.id))).toEqual([["fog"], []]);
    // while the critical alert covered the item, nothing was counted
    expect(t.plays).toHaveLength(0);
  });

  it("shows nothing and counts nothing without a program", () => {
    const t = setup(null);
    t.player.tick();
    expect(t.slots).toEqual([]);
    expect(t.player.nowPlaying).toBeNull();
  });

  it("calls the watchdog after 3× the longest item without a change", () => {
    const t = setup();
    expect(longestSlotMs(program())).toBe(10_000);
    t.player.tick();
    t.advance(29_000);
    t.player.watchdog();
    expect(t.stuck()).toBe(0);
    t.advance(2_000);
    t.player.watchdog();
    expect(t.stuck()).toBe(1);
  });
});
