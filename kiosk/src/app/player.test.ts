import { type Alert, type PlayRecord, type ScreenProgram, WEEKDAYS } from "@gatecast/playlists";
import { describe, expect, it } from "vitest";
import { manifest } from "../sync/testing.ts";
import { longestSlotMs, Player } from "./player.ts";
import type { Slot } from "./state.ts";

const program = (): ScreenProgram => manifest(1, []);

function setup(prog: ScreenProgram | null = program(), start = 30_000 * 1_000_000) {
  let now = start; // a multiple of the 10 s playlist: slot boundary
  let p: ScreenProgram | null = prog;
  const slots: (Slot | null)[] = [];
  const plays: PlayRecord[] = [];
  const boundaries: boolean[] = [];
  const alertLists: Alert[][] = [];
  const displays: string[] = [];
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
    onDisplay: (d) => displays.push(d),
  });
  return {
    player,
    displays,
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

  describe("on-hours", () => {
    const local = (t: string) => Date.parse(`${t}+07:00`);
    const withHours = (alerts: ScreenProgram["alerts"] = []): ScreenProgram => {
      const p = program();
      return {
        ...p,
        alerts,
        gate: {
          ...p.gate,
          onHours: { on: [{ days: [...WEEKDAYS], window: { from: "05:30", to: "23:00" } }], off: [] },
        },
      };
    };

    it("goes dark at the end of its on-hours: no item, no banner, the open play ends, nothing counted until morning", () => {
      const t = setup(withHours(), local("2026-11-23T22:59:50"));
      t.player.tick();
      expect(t.slots.at(-1)?.item.id).toBe("notice-1");
      expect(t.player.display).toBe("on");
      t.advance(10_000);
      t.player.tick();
      expect(t.slots.at(-1)).toBeNull();
      expect(t.displays).toEqual(["dark-by-schedule"]);
      expect(t.plays).toHaveLength(1);
      expect(t.player.nowPlaying).toBeNull();
      // the night: the watchdog keeps quiet, nothing plays
      t.advance(6 * 3_600_000);
      t.player.tick();
      t.player.watchdog();
      expect(t.stuck()).toBe(0);
      expect(t.plays).toHaveLength(1);
      t.advance(30 * 60_000 + 10_000); // 05:30 next morning
      t.player.tick();
      expect(t.displays).toEqual(["dark-by-schedule", "on"]);
      expect(t.slots.at(-1)?.item.id).toBe("notice-1");
    });

    it("a critical notice wakes a dark screen; a warning does not", () => {
      const at = local("2026-11-24T01:00:00");
      const notice = (severity: "critical" | "warning") => ({
        id: "closure",
        severity,
        message: { vi: "Tạm dừng thông quan", zh: "暂停通关" },
        targets: {},
        startsAt: new Date(at - 1_000).toISOString(),
        expiresAt: new Date(at + 60_000).toISOString(),
      });
      const w = setup(withHours([notice("warning")]), at);
      w.player.tick();
      expect(w.player.display).toBe("dark-by-schedule");
      expect(w.alertLists.flat()).toEqual([]);
      const c = setup(withHours([notice("critical")]), at);
      c.player.tick();
      expect(c.player.display).toBe("on");
      expect(c.alertLists.at(-1)?.map((a) => a.id)).toEqual(["closure"]);
      c.advance(60_000);
      c.player.tick();
      expect(c.displays).toEqual(["dark-by-schedule"]);
    });
  });
});
