import { RateLimiter } from "./rateLimit.ts";

export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Wrong passwords allowed per username from one address in a window; after that every attempt is refused. */
export const FAILURES_PER_USER = 5;
/**
 * Wrong passwords allowed from one address across usernames (password spraying). There is no limit per
 * username alone: anyone anywhere could then lock the admin out.
 */
export const FAILURES_PER_ADDRESS = 20;
const DELAY_STEP_MS = 100;
const MAX_DELAY_MS = 1_000;

/** Counts failed logins and says when to refuse one, and how long to make a failure wait. */
export class LoginThrottle {
  private readonly perUser = new RateLimiter(FAILURES_PER_USER, LOGIN_WINDOW_MS);
  private readonly perAddress = new RateLimiter(FAILURES_PER_ADDRESS, LOGIN_WINDOW_MS);

  /** Seconds until this username/address may try again, or null when it may try now. */
  retryAfterS(username: string, address: string, now: number): number | null {
    const checks: [RateLimiter, string, number][] = [
      [this.perUser, userKey(username, address), FAILURES_PER_USER],
      [this.perAddress, address, FAILURES_PER_ADDRESS],
    ];
    for (const [limiter, key, limit] of checks) {
      if (limiter.count(key, now) < limit) continue;
      // over the allowance already: one more hit cannot succeed and tells us when the window ends
      const r = limiter.hit(key, now);
      if (!r.ok) return Math.max(1, r.retryAfterS);
    }
    return null;
  }

  /** Records a failure; returns how long to hold the answer back (grows with each failure in the window). */
  failed(username: string, address: string, now: number): number {
    const key = userKey(username, address);
    this.perUser.hit(key, now);
    this.perAddress.hit(address, now);
    return Math.min(DELAY_STEP_MS * (this.perUser.count(key, now) - 1), MAX_DELAY_MS);
  }

  succeeded(username: string, address: string): void {
    this.perUser.reset(userKey(username, address));
  }
}

// usernames compare without case in the store
const userKey = (username: string, address: string) => `${username.toLowerCase()}\n${address}`;
