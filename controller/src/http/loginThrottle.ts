/** Failures are forgotten after this long without another (counted from the end of the last wait). */
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Wrong passwords for one username from one address before each further one has to wait. */
export const FAILURES_PER_USER = 5;
/**
 * Wrong passwords from one address across usernames (password spraying) before the back-off starts.
 * Nothing counts per username alone: anyone anywhere could then lock the admin out.
 */
export const FAILURES_PER_ADDRESS = 20;
/** The first wait once the allowance is used up; it doubles with each further failure. */
export const FIRST_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = LOGIN_WINDOW_MS;
const DELAY_STEP_MS = 100;
const MAX_DELAY_MS = 1_000;

interface Failures {
  count: number;
  last: number;
  /** No attempt before this. */
  until: number;
}

/**
 * Counts failed logins per (username, client address) and per address, and answers with a back-off
 * that doubles with each failure past the allowance, rather than a lock: the account's owner at
 * another address is never held up by a stranger's guesses, and a mistyping operator waits seconds.
 */
export class LoginThrottle {
  private readonly perUser = new Backoff(FAILURES_PER_USER);
  private readonly perAddress = new Backoff(FAILURES_PER_ADDRESS);

  /** Seconds until this username/address may try again, or null when it may try now. */
  retryAfterS(username: string, address: string, now: number): number | null {
    const ms = Math.max(this.perUser.waitMs(userKey(username, address), now), this.perAddress.waitMs(address, now));
    return ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : null;
  }

  /** Records a failure; returns how long to hold the answer back (grows with each failure in the window). */
  failed(username: string, address: string, now: number): number {
    const count = this.perUser.fail(userKey(username, address), now);
    this.perAddress.fail(address, now);
    return Math.min(DELAY_STEP_MS * (count - 1), MAX_DELAY_MS);
  }

  succeeded(username: string, address: string): void {
    this.perUser.reset(userKey(username, address));
  }
}

class Backoff {
  private readonly byKey = new Map<string, Failures>();

  constructor(private readonly allowance: number) {}

  waitMs(key: string, now: number): number {
    const f = this.current(key, now);
    return f ? Math.max(0, f.until - now) : 0;
  }

  /** Counts a failure; returns the failures counted so far. */
  fail(key: string, now: number): number {
    const f = this.current(key, now) ?? { count: 0, last: now, until: 0 };
    f.count += 1;
    f.last = now;
    const over = f.count - this.allowance;
    if (over >= 0) f.until = now + Math.min(FIRST_BACKOFF_MS * 2 ** Math.min(over, 30), MAX_BACKOFF_MS);
    this.byKey.set(key, f);
    if (this.byKey.size > 10_000) this.prune(now);
    return f.count;
  }

  reset(key: string): void {
    this.byKey.delete(key);
  }

  private current(key: string, now: number): Failures | undefined {
    const f = this.byKey.get(key);
    if (f && stale(f, now)) {
      this.byKey.delete(key);
      return undefined;
    }
    return f;
  }

  private prune(now: number): void {
    for (const [k, f] of this.byKey) if (stale(f, now)) this.byKey.delete(k);
  }
}

// forgotten after a whole window of quiet once the last wait ended
const stale = (f: Failures, now: number) => now - Math.max(f.last, f.until) >= LOGIN_WINDOW_MS;

// usernames compare without case in the store
const userKey = (username: string, address: string) => `${username.toLowerCase()}\n${address}`;
