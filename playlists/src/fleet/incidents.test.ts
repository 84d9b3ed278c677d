import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { onHoursAt } from "../onHours.ts";
import { OnHours, Screen } from "../schema/content.ts";
import { type ScreenCondition, screenConditions } from "./conditions.ts";
import { type ScreenFacts, screenHealth } from "./health.ts";
import {
  type Condition,
  channelsFor,
  DEFAULT_INCIDENT_SETTINGS,
  EMPTY_INCIDENT_STATE,
  type IncidentSettings,
  type IncidentState,
  type IncidentTransition,
  stepIncidents,
} from "./incidents.ts";

const MIN = 60_000;
const T0 = Date.parse("2026-11-23T08:00:00+07:00");
const settings = (over: Partial<IncidentSettings> = {}): IncidentSettings => ({
  ...DEFAULT_INCIDENT_SETTINGS,
  ...over,
});

const offline = (subject: string, since: number, extra: Partial<Condition> = {}): Condition => ({
  rule: "screen-offline",
  subject,
  gate: "huu-nghi",
  since,
  summary: `${subject} is offline`,
  ...extra,
});

/** Steps the engine every `everyMs` from `from` to `to`, with the conditions `at(t)` says, collecting what it says. */
function run(
  at: (t: number) => Condition[],
  from: number,
  to: number,
  s: IncidentSettings = settings(),
  everyMs = 15_000,
  state: IncidentState = EMPTY_INCIDENT_STATE,
) {
  const log: (IncidentTransition & { t: number })[] = [];
  let st = state;
  for (let t = from; t <= to; t += everyMs) {
    const r = stepIncidents(st, at(t), t, s);
    st = r.state;
    for (const x of r.transitions) log.push({ ...x, t });
  }
  const said = log.filter((x) => x.kind !== "update");
  return { state: st, log, said, kinds: said.map((x) => `${x.kind} ${x.incident.subject}`) };
}

describe("incident rules on an injected clock", () => {
  it("opens once the condition has held for the rule's threshold, not before", () => {
    const r = run((t) => (t >= T0 ? [offline("screen:a", T0)] : []), T0 - MIN, T0 + 10 * MIN - 1);
    expect(r.kinds).toEqual([]);
    const r2 = run((t) => (t >= T0 ? [offline("screen:a", T0)] : []), T0 - MIN, T0 + 10 * MIN);
    expect(r2.kinds).toEqual(["open screen:a"]);
    expect(r2.said[0]?.t).toBe(T0 + 10 * MIN);
  });

  it("reminds once after the reminder interval, then resolves after the hold-down", () => {
    const back = T0 + 3 * 60 * MIN;
    const r = run(
      (t) => (t < back ? [offline("screen:a", T0)] : []),
      T0,
      back + 10 * MIN,
      settings({ remindAfterS: 3600, holdDownS: 300 }),
    );
    expect(r.kinds).toEqual(["open screen:a", "remind screen:a", "resolve screen:a"]);
    const [open, remind, resolve] = r.said;
    expect(remind?.t).toBe((open?.t ?? 0) + 60 * MIN);
    expect(resolve?.t).toBe(back + 5 * MIN);
    expect(resolve?.kind === "resolve" && resolve.resolvedAt).toBe(back);
    expect(r.state.open).toEqual([]);
  });

  it("a flapping screen stays one incident and cannot reopen within the hold-down", () => {
    // offline 11 min, online 1 min, for three hours
    const flapping = (t: number) => {
      const phase = (t - T0) % (12 * MIN);
      return phase < 11 * MIN ? [offline("screen:a", t - phase)] : [];
    };
    const r = run(flapping, T0, T0 + 180 * MIN, settings({ remindAfterS: 7 * 86_400 }));
    expect(r.kinds).toEqual(["open screen:a"]);
    // each flap short of the threshold once it is resolved: at most one incident per threshold + hold-down
    const r2 = run((t) => ((t - T0) % (30 * MIN) < 11 * MIN ? [offline("screen:b", T0)] : []), T0, T0 + 120 * MIN);
    const opens = r2.said.filter((x) => x.kind === "open");
    const resolves = r2.said.filter((x) => x.kind === "resolve");
    expect(opens.length).toBe(5); // one per flap longer than the threshold: 0, 30, 60, 90, 120 min
    for (let i = 1; i < opens.length; i++) {
      expect((opens[i]?.t ?? 0) - (resolves[i - 1]?.t ?? 0)).toBeGreaterThanOrEqual(5 * MIN);
    }
  });

  it("a suspended condition neither reminds nor resolves, and counts afresh when it resumes", () => {
    const r = run(
      (t) => [offline("screen:a", T0, { suspended: t >= T0 + 20 * MIN && t < T0 + 200 * MIN })],
      T0,
      T0 + 199 * MIN,
    );
    expect(r.kinds).toEqual(["open screen:a"]);
    // never open for a condition that is suspended from the start
    const quiet = run(() => [offline("screen:b", T0 - 60 * MIN, { suspended: true })], T0, T0 + 600 * MIN);
    expect(quiet.kinds).toEqual([]);
  });

  it("a disabled rule opens nothing, and its open incidents resolve", () => {
    const s = settings();
    const off = { ...s, rules: { ...s.rules, "screen-offline": { ...s.rules["screen-offline"], enabled: false } } };
    expect(run(() => [offline("screen:a", T0)], T0, T0 + 60 * MIN, off).kinds).toEqual([]);
    const first = run(() => [offline("screen:a", T0)], T0, T0 + 11 * MIN);
    const after = run(() => [offline("screen:a", T0)], T0 + 12 * MIN, T0 + 30 * MIN, off, 15_000, first.state);
    expect(after.kinds).toEqual(["resolve screen:a"]);
  });

  it("routes to the rule's channels and gates", () => {
    const channels = [
      { id: "mail", enabled: true },
      { id: "hook", enabled: true },
      { id: "old", enabled: false },
    ];
    const rule = DEFAULT_INCIDENT_SETTINGS.rules["screen-offline"];
    expect(channelsFor(rule, "huu-nghi", channels)).toEqual(["mail", "hook"]);
    expect(channelsFor({ ...rule, channels: ["hook"], gates: ["tan-thanh"] }, "huu-nghi", channels)).toEqual([]);
    expect(channelsFor({ ...rule, channels: ["hook"], gates: ["tan-thanh"] }, null, channels)).toEqual(["hook"]);
  });
});

describe("dark hours with the incident rules", () => {
  const TZ = "Asia/Ho_Chi_Minh";
  const local = (s: string) => Date.parse(`${s}+07:00`);
  const hours = OnHours.parse({
    on: [{ window: { from: "05:30", to: "23:00" } }],
    off: [{ dates: { from: "2027-02-05", to: "2027-02-09" }, note: "Tết" }],
  });
  const screen = Screen.parse({ id: "a", gate: "huu-nghi", name: "Sảnh đến 1" });

  /** A screen that was last seen at `lostAt` and comes back at `backAt`, judged as the controller does. */
  function night(lostAt: number, backAt: number, from: number, to: number) {
    const at = (t: number): Condition[] => {
      const should = onHoursAt(hours, TZ, t);
      const online = t < lostAt || t >= backAt;
      const facts: ScreenFacts = {
        paired: true,
        online,
        since: online ? (t < lostAt ? from : backAt) : lostAt,
        lastSeenAt: online ? t : lostAt,
        heartbeatAt: null,
        heartbeat: null,
        errors: [],
        manifest: { published: 1, publishedAt: from, applied: 1 },
        shouldShow: should,
        longestItemMs: 15_000,
        clockOffsetMs: null,
      };
      const c: ScreenCondition = {
        screen,
        paired: true,
        health: screenHealth(facts, t),
        onSince: should.on ? should.since : null,
      };
      // a second screen of the gate, always fine, so the gate is not one condition
      const other: ScreenCondition = {
        screen: { ...screen, id: "b" },
        paired: true,
        health: { presence: "online", connected: true, presenceSince: from, problems: [] },
        onSince: null,
      };
      return screenConditions([c, other], t);
    };
    return run(at, from, to, settings({ holdDownS: 300 }), 60_000);
  }

  it("a screen switched off at the end of its on-hours (crossing midnight) opens nothing", () => {
    const r = night(
      local("2026-11-23T23:00:00"),
      local("2026-11-24T05:25:00"),
      local("2026-11-23T20:00:00"),
      local("2026-11-24T09:00:00"),
    );
    expect(r.kinds).toEqual([]);
  });

  it("one that is still off after its on-hours begin opens 10 minutes into them, not 10 minutes after it went", () => {
    const r = night(
      local("2026-11-23T22:55:00"),
      local("2026-11-24T06:30:00"),
      local("2026-11-23T20:00:00"),
      local("2026-11-24T09:00:00"),
    );
    expect(r.kinds).toEqual(["open screen:a", "resolve screen:a"]);
    expect(r.said[0]?.t).toBe(local("2026-11-24T05:40:00"));
    expect(r.said[1]?.t).toBe(local("2026-11-24T06:35:00"));
  });

  it("a screen that went offline during the day and is still away at night: the incident waits for the morning", () => {
    const r = night(
      local("2026-11-23T21:00:00"),
      local("2026-11-24T06:00:00"),
      local("2026-11-23T20:00:00"),
      local("2026-11-24T09:00:00"),
    );
    // opened 21:10, no reminder at 22:10 (still on-hours) … reminder, then dark from 23:00, back 06:00
    expect(r.kinds).toEqual(["open screen:a", "remind screen:a", "resolve screen:a"]);
    expect(r.said[2]?.t).toBe(local("2026-11-24T06:05:00"));
  });

  it("Tết: a gate closed for five days is quiet the whole time", () => {
    const r = night(
      local("2027-02-04T23:00:00"),
      local("2027-02-10T05:30:00"),
      local("2027-02-04T20:00:00"),
      local("2027-02-10T08:00:00"),
    );
    expect(r.kinds).toEqual([]);
  });
});

const rules = ["screen-offline", "trust-error", "storage-low"] as const;
const subjects = ["screen:a", "screen:b", "gate:g"];
/** Per key, a timeline: condition on or off (or suspended) for runs of minutes. */
const timeline = fc.array(
  fc.record({ minutes: fc.integer({ min: 1, max: 40 }), state: fc.constantFrom("on", "off", "off", "suspended") }),
  { minLength: 1, maxLength: 12 },
);
const keysArb = fc.uniqueArray(
  fc.record({ rule: fc.constantFrom(...rules), subject: fc.constantFrom(...subjects), tl: timeline }),
  { selector: (k) => `${k.rule}|${k.subject}`, minLength: 1, maxLength: 4 },
);
const settingsArb = fc.record({
  afterS: fc.constantFrom(0, 60, 600),
  holdDownS: fc.constantFrom(0, 120, 300),
  remindAfterS: fc.constantFrom(60, 1800),
});

function conditionsAt(
  keys: { rule: (typeof rules)[number]; subject: string; tl: { minutes: number; state: string }[] }[],
  t: number,
): Condition[] {
  const out: Condition[] = [];
  for (const k of keys) {
    let start = T0;
    // since: the start of the run of segments in the same state
    let runStart = T0;
    let prev: string | null = null;
    for (const seg of k.tl) {
      if (seg.state !== prev) runStart = start;
      prev = seg.state;
      const end = start + seg.minutes * MIN;
      if (t >= start && t < end) {
        if (seg.state !== "off")
          out.push({
            rule: k.rule,
            subject: k.subject,
            gate: "g",
            since: runStart,
            suspended: seg.state === "suspended",
            summary: "x",
          });
        break;
      }
      start = end;
    }
  }
  return out;
}

describe("incident rules, properties", () => {
  const withSettings = (p: { afterS: number; holdDownS: number; remindAfterS: number }): IncidentSettings => ({
    rules: Object.fromEntries(
      Object.entries(DEFAULT_INCIDENT_SETTINGS.rules).map(([r, v]) => [r, { ...v, afterS: p.afterS }]),
    ) as IncidentSettings["rules"],
    holdDownS: p.holdDownS,
    remindAfterS: p.remindAfterS,
  });

  it("per incident: one open, at most one reminder, at most one resolve, in that order; one open per key at a time", () => {
    fc.assert(
      fc.property(keysArb, settingsArb, (keys, p) => {
        const s = withSettings(p);
        const r = run((t) => conditionsAt(keys, t), T0, T0 + 8 * 60 * MIN, s, 30_000);
        const byKey = new Map<string, string[]>();
        for (const x of r.said) byKey.set(x.incident.key, [...(byKey.get(x.incident.key) ?? []), x.kind]);
        for (const seq of byKey.values()) {
          // split into incidents at each open: open (remind)? (resolve)?
          expect(seq.join(" ")).toMatch(/^(open( remind)?( resolve)?( |$))*$/);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("never opens on a condition held shorter than its threshold, never resolves while it holds, and keeps the hold-down", () => {
    fc.assert(
      fc.property(keysArb, settingsArb, (keys, p) => {
        const s = withSettings(p);
        const r = run((t) => conditionsAt(keys, t), T0, T0 + 8 * 60 * MIN, s, 30_000);
        const lastResolve = new Map<string, number>();
        for (const x of r.said) {
          const holding = conditionsAt(keys, x.t).find((c) => `${c.rule}|${c.subject}` === x.incident.key);
          if (x.kind === "open") {
            expect(holding && !holding.suspended).toBeTruthy();
            expect(x.t - (holding?.since ?? x.t)).toBeGreaterThanOrEqual(p.afterS * 1000);
            const prev = lastResolve.get(x.incident.key);
            if (prev !== undefined) expect(x.t - prev).toBeGreaterThanOrEqual(p.holdDownS * 1000);
          }
          if (x.kind === "resolve") {
            expect(holding).toBeUndefined();
            expect(x.t - x.resolvedAt).toBeGreaterThanOrEqual(p.holdDownS * 1000);
            lastResolve.set(x.incident.key, x.t);
          }
          if (x.kind === "remind") expect(holding?.suspended).toBeFalsy();
        }
      }),
      { numRuns: 150 },
    );
  });

  it("rules and subjects combine without touching each other: together is the union of each alone", () => {
    fc.assert(
      fc.property(keysArb, settingsArb, (keys, p) => {
        const s = withSettings(p);
        const together = run((t) => conditionsAt(keys, t), T0, T0 + 6 * 60 * MIN, s, 30_000);
        const alone = keys.flatMap((k) => run((t) => conditionsAt([k], t), T0, T0 + 6 * 60 * MIN, s, 30_000).said);
        const key = (x: { kind: string; t: number; incident: { key: string } }) => `${x.t} ${x.kind} ${x.incident.key}`;
        expect(together.said.map(key).sort()).toEqual(alone.map(key).sort());
      }),
      { numRuns: 80 },
    );
  });
});
