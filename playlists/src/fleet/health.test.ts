import { describe, expect, it } from "vitest";
import type { HeartbeatPayload } from "../mqtt/payloads.ts";
import { Alert, Screen } from "../schema/content.ts";
import { noticeConditions, screenConditions } from "./conditions.ts";
import { type ScreenFacts, screenHealth } from "./health.ts";

const NOW = Date.parse("2026-11-23T10:00:00+07:00");
const iso = (ms: number) => new Date(ms).toISOString();
const hb = (over: Partial<HeartbeatPayload> = {}): HeartbeatPayload => ({
  at: iso(NOW - 1_000),
  appVersion: "test",
  uptimeS: 100,
  manifestVersion: 3,
  pendingVersion: null,
  nowPlaying: { playlist: "p", item: "i", since: iso(NOW - 5_000) },
  lastFrameAt: iso(NOW - 1_100),
  media: { ready: 2, total: 2 },
  storage: { usageBytes: 100, quotaBytes: 1_000, persisted: true },
  memory: null,
  errors: [],
  everyS: 30,
  ...over,
});
const facts = (over: Partial<ScreenFacts> = {}): ScreenFacts => ({
  paired: true,
  online: true,
  since: NOW - 3_600_000,
  lastSeenAt: NOW - 1_000,
  heartbeatAt: NOW - 1_000,
  heartbeat: hb(),
  errors: [],
  manifest: { published: 3, publishedAt: NOW - 3_600_000, applied: 3 },
  shouldShow: { on: true, since: null, until: null },
  longestItemMs: 15_000,
  clockOffsetMs: 200,
  ...over,
});
const kinds = (f: ScreenFacts) => screenHealth(f, NOW).problems.map((p) => p.kind);

describe("fleet states", () => {
  it("online with nothing wrong", () => {
    expect(screenHealth(facts(), NOW)).toMatchObject({ presence: "online", connected: true, problems: [] });
  });

  it("dark by schedule, whether connected or not: the schedule says so, not the screen", () => {
    const dark = { on: false, since: NOW - 60_000, until: NOW + 3_600_000 };
    expect(screenHealth(facts({ shouldShow: dark }), NOW)).toMatchObject({
      presence: "dark-by-schedule",
      connected: true,
    });
    expect(screenHealth(facts({ shouldShow: dark, online: false }), NOW)).toMatchObject({
      presence: "dark-by-schedule",
      connected: false,
      presenceSince: NOW - 60_000,
    });
  });

  it("offline, never seen, unpaired", () => {
    expect(screenHealth(facts({ online: false, since: NOW - 5_000 }), NOW).presence).toBe("offline");
    expect(screenHealth(facts({ online: false, since: null, lastSeenAt: null }), NOW).presence).toBe("never-seen");
    expect(screenHealth(facts({ paired: false, online: false, since: null, lastSeenAt: null }), NOW).presence).toBe(
      "unpaired",
    );
  });

  it("connected but silent for three heartbeats counts as offline", () => {
    const h = screenHealth(facts({ heartbeatAt: NOW - 96_000 }), NOW);
    expect(h).toMatchObject({ presence: "offline", connected: false, presenceSince: NOW - 96_000 + 95_000 });
    expect(screenHealth(facts({ heartbeatAt: NOW - 90_000 }), NOW).presence).toBe("online");
  });

  it("frozen: no new frame for three times its longest item while it should be showing", () => {
    expect(kinds(facts({ heartbeat: hb({ lastFrameAt: iso(NOW - 50_000) }) }))).toEqual(["frozen"]);
    expect(kinds(facts({ heartbeat: hb({ lastFrameAt: iso(NOW - 40_000) }) }))).toEqual([]);
    // dark: black on purpose
    expect(kinds(facts({ heartbeat: hb({ lastFrameAt: iso(NOW - 500_000), display: "dark-by-schedule" }) }))).toEqual(
      [],
    );
  });

  it("storage low over 90 %, trust errors, out of sync, clock skewed", () => {
    expect(
      kinds(facts({ heartbeat: hb({ storage: { usageBytes: 901, quotaBytes: 1_000, persisted: true } }) })),
    ).toEqual(["storage-low"]);
    expect(
      kinds(facts({ heartbeat: hb({ storage: { usageBytes: 900, quotaBytes: 1_000, persisted: true } }) })),
    ).toEqual([]);
    const rejected = { at: iso(NOW - 60_000), kind: "manifest-rejected" as const, message: "bad signature" };
    expect(kinds(facts({ errors: [rejected] }))).toEqual(["trust-error"]);
    expect(kinds(facts({ errors: [{ ...rejected, at: iso(NOW - 20 * 60_000) }] }))).toEqual([]);
    expect(kinds(facts({ errors: [{ ...rejected, kind: "playback" }] }))).toEqual([]);
    expect(kinds(facts({ manifest: { published: 4, publishedAt: NOW - 180_000, applied: 3 } }))).toEqual([
      "out-of-sync",
    ]);
    expect(kinds(facts({ manifest: { published: 4, publishedAt: NOW - 60_000, applied: 3 } }))).toEqual([]);
    expect(kinds(facts({ clockOffsetMs: -31_000 }))).toEqual(["clock-skewed"]);
    expect(screenHealth(facts({ clockOffsetMs: 45_000 }), NOW).problems[0]?.detail).toBe("45 s ahead");
  });
});

describe("conditions", () => {
  const screen = (id: string, gate = "huu-nghi") => Screen.parse({ id, gate, name: id });
  const online = { presence: "online" as const, connected: true, presenceSince: NOW - 1e6, problems: [] };
  const away = { presence: "offline" as const, connected: false, presenceSince: NOW - 1e6, problems: [] };

  it("a whole gate away is one condition; a single screen is its own", () => {
    const all = screenConditions(
      [
        { screen: screen("a"), paired: true, health: away, onSince: null },
        { screen: screen("b"), paired: true, health: away, onSince: null },
        { screen: screen("c", "tan-thanh"), paired: true, health: away, onSince: null },
        { screen: screen("d", "tan-thanh"), paired: true, health: online, onSince: null },
      ],
      NOW,
    );
    expect(all.map((c) => `${c.rule} ${c.subject}`)).toEqual([
      "screen-offline gate:huu-nghi",
      "screen-offline screen:c",
    ]);
  });

  it("offline counts from the start of the on-hours, not from when it went", () => {
    const [c] = screenConditions(
      [
        { screen: screen("a"), paired: true, health: away, onSince: NOW - 60_000 },
        { screen: screen("b"), paired: true, health: online, onSince: null },
      ],
      NOW,
    );
    expect(c?.since).toBe(NOW - 60_000);
  });

  it("an urgent notice not acknowledged by every targeted screen that should be showing it", () => {
    const alert = (severity: "critical" | "warning") =>
      Alert.parse({
        id: "closure",
        severity,
        message: { vi: "Tạm dừng thông quan", zh: "暂停通关" },
        targets: { gates: ["huu-nghi"] },
        startsAt: iso(NOW - 120_000),
        expiresAt: iso(NOW + 3_600_000),
      });
    const screens = [
      { screen: screen("a"), shouldShow: true },
      { screen: screen("b"), shouldShow: false },
      { screen: screen("c", "tan-thanh"), shouldShow: true },
    ];
    const warning = noticeConditions(
      [{ alert: alert("warning"), createdAt: NOW - 120_000, screens, acked: new Set() }],
      NOW,
    );
    expect(warning.map((c) => c.summary)).toEqual(["1/1 screens have not shown it: a"]);
    // a critical notice wakes dark screens: they must show it too
    const critical = noticeConditions(
      [{ alert: alert("critical"), createdAt: NOW - 120_000, screens, acked: new Set(["a"]) }],
      NOW,
    );
    expect(critical.map((c) => c.summary)).toEqual(["1/2 screens have not shown it: b"]);
    expect(
      noticeConditions([{ alert: alert("warning"), createdAt: NOW, screens, acked: new Set(["a"]) }], NOW),
    ).toEqual([]);
  });
});
