/**
 * The kiosk's clock. Everything that decides what is on screen (the schedule, alert expiry, the
 * alternate-language switch, play records, heartbeats) reads time from a `Clock`, never `Date.now()`.
 *
 * Test hooks (honoured only when the controller serving the kiosk runs with GATECAST_TEST_HOOKS=1, which
 * marks the page with `<meta name="gatecast-test-hooks" content="1">`: see `testHooksOn`), in order of precedence (read on every call, so a test may install or change them live):
 * 1. `window.__gatecastClock = { now: () => number }`, e.g. from Playwright's `addInitScript`.
 * 2. `?clock=<offset-ms>`: the wall clock shifted by that many milliseconds (may be negative), or
 *    `?clock=<ISO 8601 instant>`: time starts at that instant when the page loads and runs normally.
 *    (A reload re-reads the query, so an instant restarts from that instant.)
 */
export interface Clock {
  now(): number;
}

declare global {
  interface Window {
    __gatecastClock?: Clock;
  }
}

/** Whether the page was served by a controller with its test hooks on (never in production). */
export function testHooksOn(doc: Pick<Document, "querySelector"> = document): boolean {
  return doc.querySelector('meta[name="gatecast-test-hooks"]')?.getAttribute("content") === "1";
}

/** Offset in ms from a `clock` query value, or null when it is absent or not understood. */
export function parseClockParam(value: string | null | undefined, wallNow: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === "") return null;
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : at - wallNow;
}

export interface ClockSources {
  /** The real time, normally `Date.now`. */
  wall: () => number;
  /** A hook installed by tests, normally `() => window.__gatecastClock`. */
  hook?: () => Clock | undefined;
  /** The page's query string, normally `location.search`. */
  search?: string;
}

/**
 * The kiosk clock: the device clock less the correction the controller's time beacons call for
 * (`clockSync` in the domain package). A test clock (hook or query) turns correction off.
 */
export interface KioskClock extends Clock {
  /** "test" while a test clock is installed; "beacon" once a beacon has corrected it; else "device". */
  readonly source: "device" | "beacon" | "test";
  readonly correctionMs: number;
  /** Sets the correction (ms subtracted from the device clock); ignored while a test clock runs. */
  correct(correctionMs: number): void;
}

export function createClock(sources: ClockSources): KioskClock {
  const param = new URLSearchParams(sources.search ?? "").get("clock");
  const parsed = parseClockParam(param, sources.wall());
  const offset = parsed ?? 0;
  let correction = 0;
  let corrected = false;
  const hooked = () => {
    const h = sources.hook?.();
    return h && typeof h.now === "function" ? h : undefined;
  };
  const testing = () => parsed !== null || hooked() !== undefined;
  return {
    now() {
      const h = hooked();
      if (h) {
        const t = Number(h.now());
        if (Number.isFinite(t)) return t;
      }
      return sources.wall() + offset - correction;
    },
    get source() {
      return testing() ? "test" : corrected ? "beacon" : "device";
    },
    get correctionMs() {
      return testing() ? 0 : correction;
    },
    correct(ms: number) {
      if (testing() || !Number.isFinite(ms)) return;
      correction = ms;
      corrected = true;
    },
  };
}

export const systemClock: Clock = { now: () => Date.now() };

export const iso = (ms: number): string => new Date(ms).toISOString();
