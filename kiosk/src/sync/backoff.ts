/** Reconnect and retry delays: 1 s doubling to 60 s, each spread ±30 % so a fleet does not retry in step. */
export const BACKOFF = { baseMs: 1_000, maxMs: 60_000, jitter: 0.3 } as const;

/**
 * Delay before retry number `attempt` (0 for the first retry). `random` is a number in [0, 1), normally
 * `Math.random()`: 0 gives the shortest delay (−30 %), 0.5 the nominal one, 1 the longest (+30 %).
 */
export function nextDelay(attempt: number, random: number): number {
  const steps = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : 0;
  const nominal = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** Math.min(steps, 30));
  const r = Number.isFinite(random) ? Math.min(1, Math.max(0, random)) : 0.5;
  return Math.round(nominal * (1 - BACKOFF.jitter + 2 * BACKOFF.jitter * r));
}

/** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const e = new Error("aborted");
  e.name = "AbortError";
  return e;
}

export function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === "AbortError";
}
