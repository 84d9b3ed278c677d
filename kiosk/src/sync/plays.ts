import type { PlayRecord } from "@gatecast/playlists";

/** Where proof-of-play waits until the controller confirms it: IndexedDB in the browser. */
export interface PlayStore {
  add(record: PlayRecord): Promise<void>;
  /** The oldest records first, at most `limit`. */
  oldest(limit: number): Promise<PlayRecord[]>;
  delete(ids: readonly string[]): Promise<void>;
  count(): Promise<number>;
}

export const PLAYS_BATCH_MAX = 500;

export interface PlayBufferOptions {
  store: PlayStore;
  /** Publishes one batch (QoS 1); resolves once the broker has it, rejects when it could not be sent. */
  publish: (records: PlayRecord[]) => Promise<void>;
  now: () => number;
  /** A batch the controller has not acknowledged after this long is sent again. */
  resendAfterMs?: number;
  batchSize?: number;
  onError?: (message: string) => void;
}

/**
 * Proof-of-play delivery: every record is stored first, sent in batches while connected, and deleted
 * only when the controller acknowledges its id (`plays-stored`). Unacknowledged batches are resent after
 * a reconnect or a timeout; the controller stores each id once, so a resend never counts a play twice.
 * One batch is in flight at a time.
 */
export class PlayBuffer {
  private connected = false;
  private inflight: { ids: Set<string>; sentAt: number } | null = null;
  private flushing: Promise<void> | null = null;
  private readonly resendAfterMs: number;
  private readonly batchSize: number;

  constructor(private readonly opts: PlayBufferOptions) {
    this.resendAfterMs = opts.resendAfterMs ?? 60_000;
    this.batchSize = Math.min(PLAYS_BATCH_MAX, Math.max(1, opts.batchSize ?? PLAYS_BATCH_MAX));
  }

  async record(record: PlayRecord): Promise<void> {
    await this.opts.store.add(record);
    await this.flush();
  }

  setConnected(connected: boolean): Promise<void> {
    this.connected = connected;
    this.inflight = null;
    return connected ? this.flush() : Promise.resolve();
  }

  /**
   * Sends the next batch when connected and nothing is awaiting acknowledgement. Asked again while a
   * send is under way (the controller's ack can arrive before the broker's PUBACK), it looks again
   * once that send is done, rather than leaving the next batch to the periodic tick.
   */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      do {
        this.again = false;
        await this.doFlush();
      } while (this.again);
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private again = false;

  private async doFlush(): Promise<void> {
    if (!this.connected || this.inflight) return;
    let batch: PlayRecord[];
    try {
      batch = await this.opts.store.oldest(this.batchSize);
    } catch (e) {
      this.opts.onError?.(`reading play records: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (batch.length === 0 || !this.connected || this.inflight) return;
    const inflight = { ids: new Set(batch.map((r) => r.id)), sentAt: this.opts.now() };
    this.inflight = inflight;
    try {
      await this.opts.publish(batch);
    } catch {
      if (this.inflight === inflight) this.inflight = null;
    }
  }

  /** The controller stored these ids: forget them, and send more when the batch is complete. */
  async acknowledged(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      await this.opts.store.delete(ids);
    } catch (e) {
      this.opts.onError?.(`deleting acknowledged plays: ${e instanceof Error ? e.message : String(e)}`);
    }
    const inflight = this.inflight;
    if (inflight) {
      for (const id of ids) inflight.ids.delete(id);
      if (inflight.ids.size === 0) this.inflight = null;
    }
    await this.flush();
  }

  /** Call periodically: resends a batch whose acknowledgement did not come. */
  async tick(): Promise<void> {
    if (this.inflight && this.opts.now() - this.inflight.sentAt >= this.resendAfterMs) this.inflight = null;
    await this.flush();
  }

  get awaitingAck(): number {
    return this.inflight?.ids.size ?? 0;
  }
}

/** An in-memory PlayStore for tests and the fleet simulator. */
export function memoryPlayStore(): PlayStore & { records: Map<string, PlayRecord> } {
  const records = new Map<string, PlayRecord>();
  return {
    records,
    async add(r) {
      records.set(r.id, r);
    },
    async oldest(limit) {
      return [...records.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).slice(0, limit);
    },
    async delete(ids) {
      for (const id of ids) records.delete(id);
    },
    async count() {
      return records.size;
    },
  };
}
