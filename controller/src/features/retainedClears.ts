import { parseTopic } from "@gatecast/playlists";
import type { Context, Feature } from "../context.ts";

/**
 * Sends the store's queue of retained messages to clear (a deleted screen's manifest and status,
 * queued in the transaction that deleted it: `Store.removeScreen`): an empty retained message to each
 * topic, one after the other, each leaving the queue once the broker took it. At start (what a stop or
 * an absent broker left) and whenever screens change. A topic of a screen that exists again is left
 * alone: its new manifest and status replace the old ones.
 */
export class RetainedCleaner implements Feature {
  readonly name = "retained-clears";
  private flushing: Promise<void> = Promise.resolve();
  private stopped = false;
  private off: (() => void) | null = null;

  constructor(private readonly ctx: Context) {}

  start(): void {
    this.off = this.ctx.bus.on("screens-changed", () => void this.flush());
    void this.flush();
  }

  stop(): void {
    // not waited for: a broker that is away would hold the shutdown; the queue is kept in the store
    this.stopped = true;
    this.off?.();
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const { store, log } = this.ctx;
      if (this.stopped) return;
      for (const topic of store.retainedClears.pending()) {
        const t = parseTopic(topic);
        if (t?.scope === "screen" && store.draft.has("screens", t.screenId)) {
          store.retainedClears.done(topic);
          continue;
        }
        try {
          await this.ctx.publish(topic, "", { qos: 1, retain: true });
          if (this.stopped) return;
          store.retainedClears.done(topic);
        } catch (err) {
          log.warn({ err, topic }, "retained message not cleared yet (retried at the next change or start)");
          return;
        }
      }
    });
    return this.flushing;
  }
}
