import { describe, expect, it } from "vitest";
import { type Clock, createClock, parseClockParam, testHooksOn } from "./clock.ts";

describe("parseClockParam", () => {
  it("reads an offset in milliseconds", () => {
    expect(parseClockParam("3600000", 0)).toBe(3_600_000);
    expect(parseClockParam("-5000", 0)).toBe(-5000);
    expect(parseClockParam("+250", 0)).toBe(250);
  });

  it("reads an instant as an offset from the wall clock", () => {
    const wall = Date.parse("2026-11-23T00:00:00Z");
    expect(parseClockParam("2026-11-23T08:00:00+07:00", wall)).toBe(3_600_000);
  });

  it("ignores what it does not understand", () => {
    expect(parseClockParam(null, 0)).toBeNull();
    expect(parseClockParam("", 0)).toBeNull();
    expect(parseClockParam("tomorrow", 0)).toBeNull();
    expect(parseClockParam("2026-13-45T99:00:00Z", 0)).toBeNull();
  });
});

describe("createClock", () => {
  it("follows the wall clock without a query", () => {
    let wall = 1000;
    const clock = createClock({ wall: () => wall });
    expect(clock.now()).toBe(1000);
    wall = 2000;
    expect(clock.now()).toBe(2000);
  });

  it("applies the query offset", () => {
    let wall = 1000;
    const clock = createClock({ wall: () => wall, search: "?clock=500" });
    expect(clock.now()).toBe(1500);
    wall = 3000;
    expect(clock.now()).toBe(3500);
  });

  it("starts at a query instant and runs on", () => {
    let wall = 1_000_000;
    const clock = createClock({ wall: () => wall, search: "?x=1&clock=2026-01-01T00:00:00Z" });
    const start = Date.parse("2026-01-01T00:00:00Z");
    expect(clock.now()).toBe(start);
    wall += 250;
    expect(clock.now()).toBe(start + 250);
  });

  it("prefers a hook installed at any time", () => {
    let hook: Clock | undefined;
    const clock = createClock({ wall: () => 1000, hook: () => hook, search: "?clock=10" });
    expect(clock.now()).toBe(1010);
    hook = { now: () => 42 };
    expect(clock.now()).toBe(42);
    hook = { now: () => Number.NaN };
    expect(clock.now()).toBe(1010);
  });
});

describe("clock correction", () => {
  it("subtracts the beacon correction from the device clock", () => {
    const clock = createClock({ wall: () => 10_000 });
    expect(clock.source).toBe("device");
    clock.correct(2_500);
    expect(clock.now()).toBe(7_500);
    expect(clock).toMatchObject({ source: "beacon", correctionMs: 2_500 });
  });

  it("an injected test clock turns correction off", () => {
    let hook: Clock | undefined;
    const clock = createClock({ wall: () => 10_000, hook: () => hook });
    hook = { now: () => 99 };
    clock.correct(2_500);
    expect(clock.now()).toBe(99);
    expect(clock).toMatchObject({ source: "test", correctionMs: 0 });
    const queried = createClock({ wall: () => 10_000, search: "?clock=1000" });
    queried.correct(500);
    expect(queried.now()).toBe(11_000);
    expect(queried.source).toBe("test");
  });
});

describe("test hooks are honoured only where the controller says tests run", () => {
  const page = (meta: string | null) => ({
    querySelector: (sel: string) =>
      sel === 'meta[name="gatecast-test-hooks"]' && meta !== null ? { getAttribute: () => meta } : null,
  });

  it("reads the controller's mark in the page", () => {
    expect(testHooksOn(page("1") as unknown as Document)).toBe(true);
    expect(testHooksOn(page(null) as unknown as Document)).toBe(false);
    expect(testHooksOn(page("0") as unknown as Document)).toBe(false);
  });
});
