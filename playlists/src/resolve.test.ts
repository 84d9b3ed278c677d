import { describe, expect, it } from "vitest";
import { isEntryActive, resolve, type ScreenProgram, slotAt, targetsMatch } from "./resolve.ts";
import { Alert, Gate, Item, Playlist, ScheduleEntry, Screen } from "./schema/content.ts";
import { localParts } from "./time.ts";

const gate = Gate.parse({ id: "huu-nghi", name: { vi: "Hữu Nghị", zh: "友谊" }, defaultPlaylist: "default" });
const screen = Screen.parse({ id: "arr-1", gate: "huu-nghi", name: "Arrivals 1", tags: ["arrivals"] });
const notice = (id: string, duration = 10, extra: object = {}) =>
  Item.parse({
    id,
    kind: "notice",
    category: "promotion",
    duration,
    title: { vi: id },
    body: { vi: id },
    ...extra,
  });
const playlist = (id: string, items: Playlist["items"]) => Playlist.parse({ id, name: id, items });
const entry = (e: object) => ScheduleEntry.parse(e);

/** Gate-local wall time in Hanoi (UTC+7) as an instant. */
const hanoi = (local: string) => Date.parse(`${local}+07:00`);

function program(schedules: ScheduleEntry[], extra: Partial<ScreenProgram> = {}): ScreenProgram {
  return {
    gate,
    screen,
    schedules,
    playlists: [playlist("default", ["d1", "d2"]), playlist("rush", ["r1"]), playlist("night", ["n1"])],
    items: [notice("d1"), notice("d2"), notice("r1"), notice("n1")],
    alerts: [],
    ...extra,
  };
}

describe("targets", () => {
  it("matches when every named kind matches and omitted kinds match all", () => {
    expect(targetsMatch({}, screen)).toBe(true);
    expect(targetsMatch({ gates: ["huu-nghi"] }, screen)).toBe(true);
    expect(targetsMatch({ gates: ["tan-thanh"] }, screen)).toBe(false);
    expect(targetsMatch({ gates: ["huu-nghi"], tags: ["lorry"] }, screen)).toBe(false);
    expect(targetsMatch({ gates: ["huu-nghi"], tags: ["lorry", "arrivals"] }, screen)).toBe(true);
    expect(targetsMatch({ screens: ["arr-1"], gates: ["tan-thanh"] }, screen)).toBe(false);
    expect(targetsMatch({ screens: ["arr-1"] }, screen)).toBe(true);
  });
});

describe("schedule windows", () => {
  const rush = entry({
    id: "rush",
    playlist: "rush",
    days: ["mon", "tue", "wed", "thu", "fri"],
    window: { from: "06:30", to: "09:00" },
  });
  const at = (local: string) => localParts(hanoi(local), "Asia/Ho_Chi_Minh");

  it("is active from the window's start up to, not including, its end", () => {
    // 2026-11-23 is a Monday
    expect(isEntryActive(rush, at("2026-11-23T06:29:59"))).toBe(false);
    expect(isEntryActive(rush, at("2026-11-23T06:30:00"))).toBe(true);
    expect(isEntryActive(rush, at("2026-11-23T08:59:59"))).toBe(true);
    expect(isEntryActive(rush, at("2026-11-23T09:00:00"))).toBe(false);
    expect(isEntryActive(rush, at("2026-11-28T07:00:00"))).toBe(false); // Saturday
  });

  it("a window crossing midnight belongs to the day it starts", () => {
    const friNight = entry({ id: "n", playlist: "night", days: ["fri"], window: { from: "22:00", to: "06:00" } });
    expect(isEntryActive(friNight, at("2026-11-27T21:59:00"))).toBe(false); // Fri
    expect(isEntryActive(friNight, at("2026-11-27T22:00:00"))).toBe(true);
    expect(isEntryActive(friNight, at("2026-11-28T02:00:00"))).toBe(true); // Sat 02:00
    expect(isEntryActive(friNight, at("2026-11-28T06:00:00"))).toBe(false);
    expect(isEntryActive(friNight, at("2026-11-28T23:00:00"))).toBe(false); // Sat night: Sat not listed
    expect(isEntryActive(friNight, at("2026-11-27T02:00:00"))).toBe(false); // Fri 02:00 belongs to Thu
  });

  it("a window whose end equals its start lasts 24 hours", () => {
    const day = entry({ id: "d", playlist: "night", days: ["mon"], window: { from: "12:00", to: "12:00" } });
    expect(isEntryActive(day, at("2026-11-23T12:00:00"))).toBe(true);
    expect(isEntryActive(day, at("2026-11-24T11:59:00"))).toBe(true);
    expect(isEntryActive(day, at("2026-11-24T12:00:00"))).toBe(false);
  });

  it("dates are inclusive and read in gate-local time", () => {
    const tet = entry({ id: "tet", playlist: "rush", dates: { from: "2027-02-04", to: "2027-02-12" } });
    expect(isEntryActive(tet, at("2027-02-03T23:59:59"))).toBe(false);
    expect(isEntryActive(tet, at("2027-02-04T00:00:00"))).toBe(true);
    expect(isEntryActive(tet, at("2027-02-12T23:59:59"))).toBe(true);
    expect(isEntryActive(tet, at("2027-02-13T00:00:00"))).toBe(false);
    // 2027-02-03T17:30Z is already 2027-02-04 00:30 in Hanoi
    expect(isEntryActive(tet, localParts(Date.parse("2027-02-03T17:30:00Z"), "Asia/Ho_Chi_Minh"))).toBe(true);
  });
});

describe("resolve", () => {
  it("plays the gate's default playlist when nothing is scheduled", () => {
    const r = resolve(program([]), hanoi("2026-11-23T12:00:00"));
    expect(r.playlist).toBe("default");
    expect(r.schedule).toBeNull();
    expect(["d1", "d2"]).toContain(r.item?.id);
  });

  it("the highest priority active entry wins; ties go to the entry listed first", () => {
    const low = entry({ id: "low", playlist: "rush", priority: 1 });
    const high = entry({ id: "high", playlist: "night", priority: 5 });
    expect(resolve(program([low, high]), hanoi("2026-11-23T12:00:00")).schedule).toBe("high");
    const tieA = entry({ id: "a", playlist: "rush", priority: 5 });
    expect(resolve(program([tieA, high]), hanoi("2026-11-23T12:00:00")).schedule).toBe("a");
    expect(resolve(program([high, tieA]), hanoi("2026-11-23T12:00:00")).schedule).toBe("high");
  });

  it("ignores entries that do not target the screen", () => {
    const other = entry({ id: "o", playlist: "rush", priority: 9, targets: { tags: ["lorry"] } });
    expect(resolve(program([other]), hanoi("2026-11-23T12:00:00")).playlist).toBe("default");
  });

  it("skips items outside their validity dates and falls through when a playlist is left empty", () => {
    const p = program([entry({ id: "rush", playlist: "rush", priority: 9 })], {
      items: [notice("d1"), notice("d2"), notice("r1", 10, { valid: { to: "2026-11-22" } }), notice("n1")],
    });
    const r = resolve(p, hanoi("2026-11-23T12:00:00"));
    expect(r.playlist).toBe("default");
    expect(resolve(p, hanoi("2026-11-22T12:00:00")).playlist).toBe("rush");
  });

  it("returns no item when even the default playlist has nothing valid", () => {
    const p = program([], {
      items: [notice("d1", 10, { valid: { from: "2030-01-01" } }), notice("d2", 10, { valid: { from: "2030-01-01" } })],
    });
    const r = resolve(p, hanoi("2026-11-23T12:00:00"));
    expect(r.item).toBeNull();
    expect(r.playlist).toBeNull();
  });

  it("derives the item from a fixed epoch and the durations, with duration overrides", () => {
    const p = program([], { playlists: [playlist("default", ["d1", { item: "d2", duration: 5 }])] });
    // cycle is 15 s; the epoch is 1970-01-01T00:00:00Z, a multiple of 15 s
    const base = Date.parse("2026-11-23T05:00:00Z");
    expect(base % 15_000).toBe(0);
    expect(resolve(p, base).item?.id).toBe("d1");
    expect(resolve(p, base + 9_999).item?.id).toBe("d1");
    const second = resolve(p, base + 10_000);
    expect(second.item?.id).toBe("d2");
    expect(second.endsAt - second.startsAt).toBe(5_000);
    expect(resolve(p, base + 15_000).item?.id).toBe("d1");
  });

  it("two screens playing the same playlist show the same item at the same moment", () => {
    const other = Screen.parse({
      id: "dep-1",
      gate: "huu-nghi",
      name: "Dep",
      tags: ["departures"],
      orientation: "portrait",
    });
    for (let t = hanoi("2026-11-23T10:00:00"); t < hanoi("2026-11-23T10:05:00"); t += 777) {
      const a = resolve(program([]), t);
      const b = resolve({ ...program([]), screen: other }, t);
      expect(b.item?.id).toBe(a.item?.id);
      expect(b.startsAt).toBe(a.startsAt);
    }
  });

  it("returns alerts in force for the screen, most severe first", () => {
    const alert = (id: string, severity: string, targets: object, startsAt: string, expiresAt: string) =>
      Alert.parse({ id, severity, message: { vi: "x", zh: "x" }, targets, startsAt, expiresAt });
    const alerts = [
      alert("info-all", "info", {}, "2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z"),
      alert("crit-gate", "critical", { gates: ["huu-nghi"] }, "2026-11-23T04:00:00Z", "2026-11-23T06:00:00Z"),
      alert("other-gate", "critical", { gates: ["tan-thanh"] }, "2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z"),
    ];
    const p = program([], { alerts });
    expect(resolve(p, Date.parse("2026-11-23T05:00:00Z")).alerts.map((a) => a.id)).toEqual(["crit-gate", "info-all"]);
    expect(resolve(p, Date.parse("2026-11-23T06:00:00Z")).alerts.map((a) => a.id)).toEqual(["info-all"]);
    expect(resolve(p, Date.parse("2026-11-23T03:59:59Z")).alerts.map((a) => a.id)).toEqual(["info-all"]);
  });
});

describe("slotAt", () => {
  it("handles instants before the epoch", () => {
    const slots = [
      { item: notice("a"), durationMs: 1000 },
      { item: notice("b"), durationMs: 2000 },
    ];
    expect(slotAt(slots, -1).index).toBe(1);
    expect(slotAt(slots, -2001).index).toBe(0);
  });
});
