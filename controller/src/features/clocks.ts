import { clockOffsetEstimate, signToJson, type TimeBeaconPayload, topics } from "@gatecast/playlists";
import type { Context, Feature } from "../context.ts";

/** Heartbeats kept per screen for the clock estimate. */
const SAMPLES = 6;
/** A screen whose estimate moved less than this keeps the stored one (no write per heartbeat). */
const STORE_STEP_MS = 500;

interface ScreenClock {
  samples: { at: number; receivedAt: number }[];
  stored: number | null;
  lastBeaconAt: number;
}

/**
 * Screens' clocks, both ways. The controller estimates each screen's offset from its heartbeats
 * (`clockOffsetEstimate`: screen time − receipt, the least delayed of the last few) for the dashboard
 * and the clock-skew rule; and it answers a heartbeat with a signed time beacon (`{screenId, now, seq,
 * echo}` on the screen's `ack` topic, QoS 0) every TIME_BEACON_S, or sooner while the screen is off by
 * more than a second, so kiosks can correct their clocks (`clockSync` in the domain package).
 * Nothing fresh is signed otherwise: retained manifests and alerts can be days old.
 */
export class ScreenClocks implements Feature {
  readonly name = "clocks";
  private readonly screens = new Map<string, ScreenClock>();
  private readonly offs: (() => void)[] = [];
  private seq = 0;

  constructor(private readonly ctx: Context) {}

  start(): void {
    // strictly increasing across restarts in practice: the wall clock in ms, or one more than the last
    this.seq = Date.now();
    this.offs.push(
      this.ctx.bus.on("screen-heartbeat", (e) => void this.onHeartbeat(e.screenId, e.at, e.receivedAt)),
      this.ctx.bus.on("screens-changed", (e) => {
        for (const id of e.screenIds) this.screens.delete(id);
      }),
    );
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }

  /** The current estimate (ms the screen runs ahead; negative: behind), or null before any heartbeat. */
  offset(screenId: string): number | null {
    const s = this.screens.get(screenId);
    return s ? clockOffsetEstimate(s.samples) : null;
  }

  private async onHeartbeat(screenId: string, at: number, receivedAt: number): Promise<void> {
    let s = this.screens.get(screenId);
    if (!s) {
      s = { samples: [], stored: null, lastBeaconAt: Number.NEGATIVE_INFINITY };
      this.screens.set(screenId, s);
    }
    s.samples.push({ at, receivedAt });
    if (s.samples.length > SAMPLES) s.samples.shift();
    const estimate = clockOffsetEstimate(s.samples);
    if (estimate !== null && (s.stored === null || Math.abs(estimate - s.stored) >= STORE_STEP_MS)) {
      s.stored = estimate;
      try {
        this.ctx.store.fleet.setClockOffset(screenId, estimate);
      } catch (err) {
        this.ctx.log.warn({ err, screenId }, "clock offset not stored");
      }
    }
    const off = estimate !== null && Math.abs(estimate) > 1_000;
    const due = receivedAt - s.lastBeaconAt >= (off ? 10_000 : this.ctx.config.timeBeaconMs);
    if (!due) return;
    s.lastBeaconAt = receivedAt;
    await this.sendBeacon(screenId, at).catch((err: unknown) =>
      this.ctx.log.warn({ err, screenId }, "time beacon not sent"),
    );
  }

  private async sendBeacon(screenId: string, echo: number): Promise<void> {
    this.seq = Math.max(this.seq + 1, Date.now());
    const payload: TimeBeaconPayload = {
      screenId,
      now: new Date(this.ctx.clock.now()).toISOString(),
      seq: this.seq,
      echo: new Date(echo).toISOString(),
    };
    const beacon = await signToJson(payload, this.ctx.keys.current.keyId, this.ctx.keys.signBytes);
    await this.ctx.publish(topics.ack(screenId), `{"type":"time","beacon":${beacon}}`, { qos: 0 });
  }
}
