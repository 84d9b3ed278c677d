/** Reconnect and retry delays: 1 s doubling to 60 s, each spread ±30 % so a fleet does not retry in step. */
export const BACKOFF = { baseMs: 1_000, maxMs: 60_000, jitter: 0.3 } as const;

export interface Backoff {
  baseMs: number;
  maxMs: number;
  jitter: number;
}

/**
 * Delay before retry number `attempt` (0 for the first retry). `random` is a number in [0, 1), normally
 * `Math.random()`: 0 gives the shortest delay (−30 %), 0.5 the nominal one, 1 the longest (+30 %).
 * Kiosks, the simulator and the controller's link to an external broker all back off this way.
 */
export function nextDelay(attempt: number, random: number, b: Backoff = BACKOFF): number {
  const steps = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : 0;
  const nominal = Math.min(b.maxMs, b.baseMs * 2 ** Math.min(steps, 30));
  const r = Number.isFinite(random) ? Math.min(1, Math.max(0, random)) : 0.5;
  return Math.round(nominal * (1 - b.jitter + 2 * b.jitter * r));
}
