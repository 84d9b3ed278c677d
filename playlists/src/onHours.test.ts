import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { effectiveOnHours, isOnAt, onHoursAt, onHoursSpans, onMsBetween, overlapMs } from "./onHours.ts";
import { WEEKDAYS } from "./schema/common.ts";
import { Gate, OnHours, Screen } from "./schema/content.ts";

const TZ = "Asia/Ho_Chi_Minh";
/** Gate-local wall time in Lạng Sơn (UTC+7). */
const at = (local: string) => Date.parse(`${local}+07:00`);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const gateHours = OnHours.parse({
  on: [{ window: { from: "05:30", to: "23:00" } }],
  off: [{ dates: { from: "2027-02-05", to: "2027-02-09" }, note: "Tết Đinh Mùi: cửa khẩu đóng" }],
});
/** A lorry-lane screen on through the night, except Sunday night. */
const nightHours = OnHours.parse({
  on: [{ days: ["mon", "tue", "wed", "thu", "fri", "sat"], window: { from: "18:00", to: "06:00" } }],
});

describe("on-hours", () => {
  it("no on-hours means always on", () => {
    expect(isOnAt(null, TZ, at("2026-11-23T03:00:00"))).toBe(true);
    expect(onHoursAt(undefined, TZ, 0)).toEqual({ on: true, since: null, until: null });
    expect(onMsBetween(null, TZ, 0, DAY)).toBe(DAY);
  });

  it("a daily window in gate-local time, end exclusive", () => {
    expect(isOnAt(gateHours, TZ, at("2026-11-23T05:29:59"))).toBe(false);
    expect(isOnAt(gateHours, TZ, at("2026-11-23T05:30:00"))).toBe(true);
    expect(isOnAt(gateHours, TZ, at("2026-11-23T22:59:59"))).toBe(true);
    expect(isOnAt(gateHours, TZ, at("2026-11-23T23:00:00"))).toBe(false);
    // the same instant in UTC is read in the gate's zone, not the machine's
    expect(isOnAt(gateHours, TZ, Date.parse("2026-11-23T16:30:00Z"))).toBe(false); // 23:30 local
    expect(isOnAt(gateHours, "UTC", Date.parse("2026-11-23T16:30:00Z"))).toBe(true);
  });

  it("a window crossing midnight belongs to the day it starts on", () => {
    expect(isOnAt(nightHours, TZ, at("2026-11-28T23:00:00"))).toBe(true); // Sat night
    expect(isOnAt(nightHours, TZ, at("2026-11-29T05:59:00"))).toBe(true); // Sun early: Saturday's
    expect(isOnAt(nightHours, TZ, at("2026-11-29T06:00:00"))).toBe(false);
    expect(isOnAt(nightHours, TZ, at("2026-11-29T20:00:00"))).toBe(false); // Sun night: not listed
    expect(isOnAt(nightHours, TZ, at("2026-11-30T02:00:00"))).toBe(false); // Mon early: Sunday's
    expect(isOnAt(nightHours, TZ, at("2026-11-30T18:00:00"))).toBe(true);
  });

  it("Tết: the gate's closed dates are dark all day, whole gate-local days", () => {
    expect(isOnAt(gateHours, TZ, at("2027-02-04T22:59:00"))).toBe(true);
    expect(isOnAt(gateHours, TZ, at("2027-02-05T12:00:00"))).toBe(false);
    expect(isOnAt(gateHours, TZ, at("2027-02-09T12:00:00"))).toBe(false);
    expect(isOnAt(gateHours, TZ, at("2027-02-10T05:30:00"))).toBe(true);
    const state = onHoursAt(gateHours, TZ, at("2027-02-07T12:00:00"));
    expect(state).toEqual({ on: false, since: at("2027-02-04T23:00:00"), until: at("2027-02-10T05:30:00") });
  });

  it("a screen's own on-hours replace its gate's", () => {
    const gate = Gate.parse({
      id: "tan-thanh",
      name: { vi: "Tân Thanh", zh: "新清" },
      defaultPlaylist: "p",
      onHours: gateHours,
    });
    const lane = Screen.parse({ id: "lane", gate: "tan-thanh", name: "Làn xe tải", onHours: nightHours });
    const hall = Screen.parse({ id: "hall", gate: "tan-thanh", name: "Sảnh" });
    expect(effectiveOnHours(gate, lane)).toEqual(nightHours);
    expect(effectiveOnHours(gate, hall)).toEqual(gateHours);
    expect(effectiveOnHours({}, hall)).toBeNull();
  });

  it("spans, since and until across a night", () => {
    const spans = onHoursSpans(gateHours, TZ, at("2026-11-23T00:00:00"), at("2026-11-24T12:00:00"));
    expect(spans).toEqual([
      { from: at("2026-11-23T00:00:00"), to: at("2026-11-23T05:30:00"), on: false },
      { from: at("2026-11-23T05:30:00"), to: at("2026-11-23T23:00:00"), on: true },
      { from: at("2026-11-23T23:00:00"), to: at("2026-11-24T05:30:00"), on: false },
      { from: at("2026-11-24T05:30:00"), to: at("2026-11-24T12:00:00"), on: true },
    ]);
    expect(onHoursAt(gateHours, TZ, at("2026-11-24T01:00:00"))).toEqual({
      on: false,
      since: at("2026-11-23T23:00:00"),
      until: at("2026-11-24T05:30:00"),
    });
    expect(onMsBetween(gateHours, TZ, at("2026-11-23T00:00:00"), at("2026-11-24T00:00:00"))).toBe(17.5 * HOUR);
  });

  it("rejects on-hours without an on period, and a bad window", () => {
    expect(OnHours.safeParse({ on: [] }).success).toBe(false);
    const bad = OnHours.safeParse({ on: [{ window: { from: "25:00", to: "06:00" } }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["on", 0, "window", "from"]);
  });

  it("overlap of interval lists", () => {
    expect(
      overlapMs(
        [
          { from: 0, to: 10 },
          { from: 20, to: 30 },
        ],
        [{ from: 5, to: 25 }],
      ),
    ).toBe(10);
    expect(overlapMs([], [{ from: 0, to: 1 }])).toBe(0);
  });
});

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
const date = fc
  .integer({ min: 0, max: 40 })
  .map((d) => new Date(Date.UTC(2027, 0, 20) + d * DAY).toISOString().slice(0, 10));
const period = fc
  .record(
    {
      days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
      window: fc.record({ from: hhmm, to: hhmm }),
      dates: fc.tuple(date, date).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a })),
    },
    { requiredKeys: [] },
  )
  .map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)));
const hoursArb = fc
  .record({ on: fc.array(period, { minLength: 1, maxLength: 3 }), off: fc.array(period, { maxLength: 2 }) })
  .map((h) => OnHours.parse(h));
const instant = fc.integer({ min: Date.UTC(2027, 0, 20), max: Date.UTC(2027, 2, 1) });

describe("on-hours, properties", () => {
  it("spans tile the range, alternate, and agree with isOnAt everywhere", () => {
    fc.assert(
      fc.property(hoursArb, instant, fc.integer({ min: 1, max: 4 * DAY }), fc.nat(), (hours, from, len, probe) => {
        const to = from + len;
        const spans = onHoursSpans(hours, TZ, from, to);
        expect(spans[0]?.from).toBe(from);
        expect(spans.at(-1)?.to).toBe(to);
        spans.forEach((s, i) => {
          expect(s.to).toBeGreaterThan(s.from);
          if (i > 0) {
            expect(s.from).toBe(spans[i - 1]?.to);
            expect(s.on).not.toBe(spans[i - 1]?.on);
          }
        });
        const t = from + (probe % len);
        const span = spans.find((s) => s.from <= t && t < s.to);
        expect(span?.on).toBe(isOnAt(hours, TZ, t));
      }),
      { numRuns: 200 },
    );
  });

  it("agrees with a minute-by-minute walk (the state only changes on a minute)", () => {
    fc.assert(
      fc.property(hoursArb, instant, (hours, start) => {
        const from = start - (start % 60_000);
        const to = from + 2 * DAY;
        let walked = 0;
        for (let t = from; t < to; t += 60_000) if (isOnAt(hours, TZ, t)) walked += 60_000;
        expect(onMsBetween(hours, TZ, from, to)).toBe(walked);
      }),
      { numRuns: 25 },
    );
  });

  it("since and until bound the current state, and it differs just outside", () => {
    fc.assert(
      fc.property(hoursArb, instant, (hours, t) => {
        const s = onHoursAt(hours, TZ, t);
        expect(s.on).toBe(isOnAt(hours, TZ, t));
        if (s.since !== null) {
          expect(s.since).toBeLessThanOrEqual(t);
          expect(isOnAt(hours, TZ, s.since)).toBe(s.on);
          expect(isOnAt(hours, TZ, s.since - 1)).toBe(!s.on);
        }
        if (s.until !== null) {
          expect(s.until).toBeGreaterThan(t);
          expect(isOnAt(hours, TZ, s.until - 1)).toBe(s.on);
          expect(isOnAt(hours, TZ, s.until)).toBe(!s.on);
        }
      }),
      { numRuns: 60 },
    );
  });
});
