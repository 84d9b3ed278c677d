/**
 * At most one log line per key (a screen, a login) and window: a screen that sends 10,000 bad messages
 * writes one line a minute, not 10,000. What was held back is counted on the next line written for
 * that key; counters in /metrics still see every event.
 */
export class LogSampler {
  private readonly windows = new Map<string, { until: number; held: number }>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly maxKeys = 10_000,
  ) {}

  /** `null`: stay quiet. A number: write the line now, saying how many lines were held back before it. */
  take(key: string, now: number): number | null {
    const w = this.windows.get(key);
    if (w && now < w.until) {
      w.held += 1;
      return null;
    }
    if (!w && this.windows.size >= this.maxKeys) this.prune(now);
    this.windows.set(key, { until: now + this.windowMs, held: 0 });
    return w?.held ?? 0;
  }

  /** Forgets ended windows; if every key is still in one, the oldest goes (memory stays bounded). */
  private prune(now: number): void {
    for (const [key, w] of this.windows) if (w.until <= now) this.windows.delete(key);
    if (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next();
      if (!oldest.done) this.windows.delete(oldest.value);
    }
  }
}

/** The fields a sampled line adds: how many like it were held back, when any were. */
export const heldBack = (held: number): { heldBack?: number } => (held > 0 ? { heldBack: held } : {});
