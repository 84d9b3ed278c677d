import type { ScreenView } from "@gatecast/playlists/api";
import { describe, expect, it } from "vitest";
import { alarmOf, fleetSummary, healthOf } from "./fleet.ts";

const MIN = 60_000;
const now = Date.parse("2026-11-23T08:00:00+07:00");

function screen(over: Partial<ScreenView> = {}): ScreenView {
  return {
    id: "huu-nghi-arrivals-1",
    gate: "huu-nghi",
    name: "Sảnh nhập cảnh 1",
    tags: [],
    orientation: "landscape",
    paired: true,
    online: true,
    since: now - 60 * MIN,
    lastSeenAt: now,
    lastHeartbeatAt: now,
    nowPlaying: null,
    lastFrameAt: null,
    manifest: {
      published: 4,
      publishedAt: now - 30 * MIN,
      release: 2,
      applied: 4,
      appliedRelease: 2,
      pending: null,
      inSync: true,
    },
    media: { ready: 3, total: 3 },
    storage: null,
    memory: null,
    uptimeS: 3600,
    appVersion: "1.0.0",
    errors: [],
    screenshotAt: null,
    presence: over.online === false ? (over.since === null ? "never-seen" : "offline") : "online",
    connected: over.online !== false,
    presenceSince: over.since !== undefined ? over.since : now - 60 * MIN,
    problems: [],
    hoursNow: { scheduled: false, on: true, since: null, until: null },
    display: "on",
    panelPower: null,
    viewport: null,
    paging: null,
    clock: { offsetMs: 0, kiosk: null },
    ...over,
  };
}

describe("alarmOf: when a screen needs a technician", () => {
  const threshold = 5 * MIN;

  it("says nothing of a healthy screen", () => {
    expect(alarmOf(screen(), now, threshold)).toBeNull();
  });

  it("raises a paired screen offline for the threshold, not before", () => {
    expect(alarmOf(screen({ online: false, since: now - 4 * MIN }), now, threshold)).toBeNull();
    expect(alarmOf(screen({ online: false, since: now - 5 * MIN }), now, threshold)).toEqual({
      kind: "offline",
      since: now - 5 * MIN,
    });
  });

  it("never raises a screen that was never paired", () => {
    expect(alarmOf(screen({ paired: false, online: false, since: now - 60 * MIN }), now, threshold)).toBeNull();
  });

  it("raises an online screen still not showing what was published to it once the threshold passed", () => {
    const behind = {
      published: 5,
      publishedAt: now - 6 * MIN,
      release: 3,
      applied: 4,
      appliedRelease: 2,
      pending: 5,
      inSync: false,
    };
    expect(alarmOf(screen({ manifest: behind }), now, threshold)).toEqual({ kind: "outOfSync", since: now - 6 * MIN });
    expect(alarmOf(screen({ manifest: { ...behind, publishedAt: now - MIN } }), now, threshold)).toBeNull();
  });

  it("puts offline before out of sync", () => {
    const s = screen({
      online: false,
      since: now - 10 * MIN,
      manifest: {
        published: 5,
        publishedAt: now - 10 * MIN,
        release: 3,
        applied: 4,
        appliedRelease: 2,
        pending: null,
        inSync: false,
      },
    });
    expect(alarmOf(s, now, threshold)?.kind).toBe("offline");
  });

  it("tells the card's state", () => {
    expect(healthOf(screen())).toBe("online");
    expect(healthOf(screen({ online: false }))).toBe("offline");
    expect(healthOf(screen({ online: false, since: null }))).toBe("never");
    expect(healthOf(screen({ online: false, paired: false, since: null, presence: "unpaired" }))).toBe("unpaired");
    expect(healthOf(screen({ online: false, presence: "dark-by-schedule" }))).toBe("dark");
  });

  it("never raises a screen dark by schedule, whether or not it is connected", () => {
    const dark = { presence: "dark-by-schedule" as const, presenceSince: now - 8 * 3_600_000 };
    expect(
      alarmOf(screen({ ...dark, online: false, connected: false, since: now - 8 * 3_600_000 }), now, threshold),
    ).toBeNull();
    expect(alarmOf(screen(dark), now, threshold)).toBeNull();
  });

  it("raises a frozen screen after the threshold, and a trust error at once", () => {
    const frozen = { kind: "frozen" as const, since: now - 6 * MIN, detail: "no new frame for 360 s" };
    expect(alarmOf(screen({ problems: [frozen] }), now, threshold)).toEqual({ kind: "frozen", since: now - 6 * MIN });
    const trust = { kind: "trust-error" as const, since: now - MIN, detail: "bad signature" };
    expect(alarmOf(screen({ problems: [trust] }), now, threshold)?.kind).toBe("trustError");
  });

  it("is unknown, whatever it was, while the live link is down", () => {
    expect(healthOf(screen(), false)).toBe("unknown");
  });
});

describe("the fleet summary", () => {
  it("counts what the cards show and is all well only when every screen is", () => {
    const never = screen({ id: "b", online: false, since: null, presence: "never-seen", connected: false });
    const unpaired = screen({ id: "c", paired: false, online: false, since: null, presence: "unpaired" });
    const first = fleetSummary([never, never, unpaired], true);
    expect(first).toMatchObject({ total: 3, online: 0, never: 2, unpaired: 1, allWell: false });
    const offline = screen({ id: "d", online: false, presence: "offline", connected: false });
    expect(fleetSummary([screen(), offline], true)).toMatchObject({ online: 1, offline: 1, allWell: false });
    expect(fleetSummary([screen(), screen({ id: "e", presence: "dark-by-schedule" })], true).allWell).toBe(true);
    expect(fleetSummary([], true).allWell).toBe(false);
  });

  it("claims nothing while the live link is down", () => {
    expect(fleetSummary([screen()], false)).toMatchObject({ allWell: false, unknown: true });
  });
});
