import { join } from "node:path";
import type { Context, Feature } from "../context.ts";
import { DB_FILE } from "../store/index.ts";
import { damagedStoreMessage, isStoreCorruption, quickCheckInWorker, type StoreCheck } from "../store/integrity.ts";

export const STORE_CHECK_EVERY_MS = 86_400_000;

/** Ends the controller with the one line for a damaged store, when `err` is SQLite saying so. */
export function fatalIfStoreDamaged(ctx: Pick<Context, "config" | "fatal">, err: unknown): void {
  if (isStoreCorruption(err))
    ctx.fatal(damagedStoreMessage(join(ctx.config.dataDir, DB_FILE), (err as Error).message), err);
}

/**
 * SQLite's `quick_check` of the store: at start (before anything, see `startController`) and then
 * daily in a worker thread. `/healthz` reports the last result and its age (a pass over the whole
 * file on every health poll would cost too much). A damaged store ends the controller with one fatal
 * line pointing at `restore`.
 */
export class StoreHealth implements Feature {
  readonly name = "store-health";
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<StoreCheck> | null = null;

  constructor(
    private readonly ctx: Pick<Context, "config" | "log" | "clock" | "fatal">,
    public last: StoreCheck,
    private readonly everyMs = STORE_CHECK_EVERY_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check().catch(() => undefined), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Runs a check now (one at a time); a damaged store is fatal. */
  check(): Promise<StoreCheck> {
    this.running ??= (async () => {
      const file = join(this.ctx.config.dataDir, DB_FILE);
      try {
        const r = await quickCheckInWorker(file, () => this.ctx.clock.now());
        this.last = r;
        this.ctx.log.info({ result: r.result, ms: r.ms }, "store quick_check");
        if (!r.ok) this.ctx.fatal(damagedStoreMessage(file, r.result));
        return r;
      } catch (err) {
        this.ctx.log.warn({ err }, "store quick_check did not run");
        throw err;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** What `/healthz` shows. */
  report(now: number): { check: string; checkedAt: string; ageS: number; ms: number } {
    return {
      check: this.last.result,
      checkedAt: new Date(this.last.at).toISOString(),
      ageS: Math.max(0, Math.round((now - this.last.at) / 1000)),
      ms: this.last.ms,
    };
  }
}
