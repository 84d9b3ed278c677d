import { setImmediate as yieldToLoop } from "node:timers/promises";
import { DEFAULT_TIMEZONE } from "@gatecast/playlists";
import type { Context, Feature } from "../context.ts";
import type { Store } from "../store/index.ts";
import { PLAY_ID_KEEP_MS } from "../store/plays.ts";

/** Rows per transaction: small enough that the event loop and the API never wait long on one. */
export const ROLLUP_BATCH = 5_000;
export const DELETE_BATCH = 2_000;
/** Online/offline history is kept at least this long: the daily uptime roll-up reads back 35 days. */
const HISTORY_MIN_KEEP_MS = 40 * 86_400_000;
const RETENTION_EVERY_MS = 3_600_000;

/** A gate's time zone, from the draft (gates are kept there), else the default. */
export function gateZones(store: Store): (gate: string) => string {
  const cache = new Map<string, string>();
  return (gate) => {
    let z = cache.get(gate);
    if (!z) {
      z =
        store.draft.get("gates", gate)?.timezone ??
        store.releases.latest()?.content.gates.find((g) => g.id === gate)?.timezone ??
        DEFAULT_TIMEZONE;
      cache.set(gate, z);
    }
    return z;
  };
}

/**
 * Keeps proof-of-play for years at little cost: rolls raw plays up into daily aggregates shortly after
 * they arrive (and at start, for whatever a stop left), and hourly deletes, in small batches, raw plays
 * past `PLAYS_RETENTION_DAYS` (only rolled-up ones), play ids past exactly-once's need and old
 * online/offline history (rolled up daily by the incidents feature). Audit entries are never deleted.
 */
export class PlayRollup implements Feature {
  readonly name = "play-rollup";
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastRetention = Number.NEGATIVE_INFINITY;
  private off: (() => void) | undefined;

  constructor(
    private readonly ctx: Pick<Context, "store" | "clock" | "log" | "config" | "bus">,
    private readonly everyMs = 60_000,
  ) {}

  start(): void {
    this.off = this.ctx.bus.on("plays-stored", ({ count }) => {
      if (count > 0 && !this.soon) this.soon = setTimeout(() => this.kick(), 2_000).unref();
    });
    this.timer = setInterval(() => this.kick(), this.everyMs).unref();
    this.kick();
  }

  private kick(): void {
    this.soon = undefined;
    if (this.running || this.stopped) return;
    this.running = this.run()
      .then(() => undefined)
      .catch((err: unknown) => this.ctx.log.error({ err }, "play roll-up failed"))
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Rolls up everything pending, then (hourly) the retention. */
  async run(now = this.ctx.clock.now()): Promise<{ rolled: number; deleted: number }> {
    const zoneOf = gateZones(this.ctx.store);
    let rolled = 0;
    for (let n = -1; n !== 0 && !this.stopped; ) {
      n = this.ctx.store.plays.rollupBatch(zoneOf, ROLLUP_BATCH);
      rolled += n;
      await yieldToLoop();
    }
    let deleted = 0;
    if (now - this.lastRetention >= RETENTION_EVERY_MS) {
      this.lastRetention = now;
      deleted = await this.retention(now);
    }
    if (rolled > 0 || deleted > 0) this.ctx.log.debug({ rolled, deleted }, "plays rolled up");
    return { rolled, deleted };
  }

  private async retention(now: number): Promise<number> {
    const { plays, fleet } = this.ctx.store;
    const batches = async (step: () => number): Promise<number> => {
      let total = 0;
      for (let n = -1; n !== 0 && !this.stopped; ) {
        n = step();
        total += n;
        await yieldToLoop();
      }
      return total;
    };
    const keep = this.ctx.config.playsRetentionMs;
    const deleted = await batches(() => plays.deleteOld(now - keep, DELETE_BATCH));
    await batches(() => plays.forgetIds(now - PLAY_ID_KEEP_MS, DELETE_BATCH));
    await batches(() => fleet.pruneHistory(now - Math.max(keep, HISTORY_MIN_KEEP_MS), DELETE_BATCH));
    if (deleted > 0) this.ctx.log.info({ deleted }, "raw plays past the retention deleted");
    return deleted;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.off?.();
    clearInterval(this.timer);
    clearTimeout(this.soon);
    await this.running;
  }
}
