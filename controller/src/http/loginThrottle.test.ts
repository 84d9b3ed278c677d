import { describe, expect, it } from "vitest";
import { FAILURES_PER_USER, LOGIN_WINDOW_MS, LoginThrottle, MAX_BACKOFF_MS } from "./loginThrottle.ts";

describe("login back-off", () => {
  it("doubles past the allowance, never beyond the window, and forgets after a quiet window", () => {
    const throttle = new LoginThrottle();
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 30; i++) {
      const wait = throttle.retryAfterS("admin", "203.0.113.1", now);
      if (wait !== null) {
        waits.push(wait);
        now += wait * 1000;
      }
      throttle.failed("admin", "203.0.113.1", now);
    }
    expect(waits.slice(0, 11)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, MAX_BACKOFF_MS / 1000]);
    expect(Math.max(...waits)).toBe(MAX_BACKOFF_MS / 1000);
    expect(throttle.retryAfterS("admin", "203.0.113.1", now)).toBe(MAX_BACKOFF_MS / 1000);
    // another address is not held up at all
    expect(throttle.retryAfterS("admin", "198.51.100.1", now)).toBeNull();
    now += MAX_BACKOFF_MS + LOGIN_WINDOW_MS;
    expect(throttle.retryAfterS("admin", "203.0.113.1", now)).toBeNull();
    for (let i = 0; i < FAILURES_PER_USER - 1; i++) throttle.failed("admin", "203.0.113.1", now);
    expect(throttle.retryAfterS("admin", "203.0.113.1", now)).toBeNull();
  });

  it("a success clears the username's failures from that address", () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < FAILURES_PER_USER; i++) throttle.failed("admin", "203.0.113.1", 0);
    expect(throttle.retryAfterS("Admin", "203.0.113.1", 0)).toBe(1);
    throttle.succeeded("admin", "203.0.113.1");
    expect(throttle.retryAfterS("admin", "203.0.113.1", 0)).toBeNull();
  });
});
