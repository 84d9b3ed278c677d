import {
  AckPayload,
  FLEET_SUBSCRIPTIONS,
  HeartbeatPayload,
  PlaysPayload,
  parsePayload,
  parseTopic,
  StatusPayload,
  topics,
} from "@gatecast/playlists";
import type { Context, Feature, MessageHandler } from "../context.ts";
import { heldBack, LogSampler } from "../logSampler.ts";
import { fatalIfStoreDamaged } from "./storeHealth.ts";

/** How often the retained messages on screen topics are looked through for strays. */
const SWEEP_EVERY_MS = 3_600_000;

/** Largest message a screen may send; anything bigger is dropped unread. */
export const MAX_SCREEN_MESSAGE_BYTES = 256 * 1024;

/**
 * Listens to every screen's status, heartbeats, plays and acks: keeps fleet state, stores plays once
 * and acks them. A message that does not parse is logged with its topic and dropped.
 */
export class FleetMonitor implements Feature {
  readonly name = "fleet";
  private readonly onMessage: MessageHandler = (topic, payload, retained) => {
    try {
      this.handle(topic, payload, retained);
    } catch (err) {
      fatalIfStoreDamaged(this.ctx, err);
      this.ctx.log.error({ err, topic }, "fleet message handling failed");
    }
  };
  constructor(private readonly ctx: Context) {}

  private unsubscribeMqtt: (() => Promise<void>) | null = null;

  async start(): Promise<void> {
    this.unsubscribeMqtt = await this.ctx.subscribe(FLEET_SUBSCRIPTIONS, this.onMessage);
    this.sweepTimer = setInterval(() => void this.sweepRetained(), SWEEP_EVERY_MS);
    this.sweepTimer.unref();
    // with its session kept the broker replays nothing by itself (without it, mqtt.js subscribes anew)
    this.offSession = this.ctx.bus.on("mqtt-session-resumed", () => void this.sweepRetained());
  }

  private sweepTimer: NodeJS.Timeout | undefined;
  private offSession: (() => void) | null = null;

  /**
   * Subscribes again, so an external broker replays what it retains on screen topics: Mosquitto's ACL
   * cannot refuse a retained flag, so a screen may leave a heartbeat, plays or ack retained there (the
   * embedded broker refuses them). Each one found is cleared (see `handle`). Hourly, and after the
   * controller's session came back.
   */
  async sweepRetained(): Promise<void> {
    await this.ctx
      .subscribe(FLEET_SUBSCRIPTIONS, this.onMessage)
      .catch((err: unknown) => this.ctx.log.warn({ err }, "retained sweep failed"));
  }

  async stop(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.offSession?.();
    this.flushAcks();
    await this.unsubscribeMqtt?.().catch(() => undefined);
  }

  /**
   * Acks of an urgent notice come from every screen within a second: stored together, one transaction
   * per turn of the event loop rather than one per screen.
   */
  private acks: { alertId: string; screenId: string; at: number }[] = [];

  private queueAck(ack: { alertId: string; screenId: string; at: number }): void {
    this.acks.push(ack);
    if (this.acks.length === 1) setImmediate(() => this.flushAcks());
  }

  private flushAcks(): void {
    const batch = this.acks;
    this.acks = [];
    if (batch.length === 0) return;
    try {
      this.ctx.store.alerts.recordAcks(batch);
    } catch (err) {
      this.ctx.log.error({ err, count: batch.length }, "alert acks not stored");
      return;
    }
    for (const a of batch) this.ctx.bus.emit("alert-ack", a);
  }

  /** One line per screen and minute at most: a screen stuck sending garbage must not fill the disk. */
  private readonly dropLog = new LogSampler();

  private drop(topic: string, error: string, screenId: string): void {
    const held = this.dropLog.take(screenId, this.ctx.clock.now());
    if (held !== null) this.ctx.log.warn({ topic, error, ...heldBack(held) }, "dropped screen message");
    this.ctx.bus.emit("message-dropped", { topic, error });
  }

  /** Clears a retained message only a screen's status may be (or any, for a screen no longer in the inventory). */
  private clearStray(topic: string, screenId: string): void {
    this.ctx.bus.emit("stray-retained-cleared", { topic });
    const held = this.strayLog.take(screenId, this.ctx.clock.now());
    if (held !== null) this.ctx.log.warn({ topic, ...heldBack(held) }, "stray retained message cleared");
    void this.ctx
      .publish(topic, "", { qos: 1, retain: true })
      .catch((err: unknown) => this.ctx.log.warn({ err, topic }, "stray retained message not cleared"));
  }

  private readonly strayLog = new LogSampler();

  private handle(topic: string, payload: Buffer, retained: boolean): void {
    const t = parseTopic(topic);
    if (t?.scope !== "screen") return;
    const { screenId } = t;
    // an empty payload is a retained message being cleared (a screen's status, or one of ours)
    if (payload.length === 0) return;
    if (payload.length > MAX_SCREEN_MESSAGE_BYTES) {
      this.drop(topic, `payload of ${payload.length} bytes is too large`, screenId);
      return;
    }
    const known = this.ctx.store.draft.has("screens", screenId);
    if (retained && (t.kind !== "status" || !known)) {
      this.clearStray(topic, screenId);
      // a replayed heartbeat or ack is old news; plays are stored once by id whenever they come
      if (t.kind !== "plays") return;
    }
    if (!known) {
      this.drop(topic, `unknown screen ${screenId}`, screenId);
      return;
    }
    const now = this.ctx.clock.now();

    switch (t.kind) {
      case "status": {
        const r = parsePayload(StatusPayload, payload);
        if (!r.ok) {
          this.drop(topic, r.error, screenId);
          return;
        }
        if (this.ctx.store.fleet.setOnline(screenId, r.value.state === "online", now, r.value.appVersion)) {
          this.ctx.bus.emit("screen-state", { screenId });
        }
        return;
      }
      case "heartbeat": {
        const r = parsePayload(HeartbeatPayload, payload);
        if (!r.ok) {
          this.drop(topic, r.error, screenId);
          return;
        }
        this.ctx.store.fleet.recordHeartbeat(screenId, r.value, now);
        if (r.value.manifestVersion !== null)
          this.ctx.bus.emit("manifest-applied", { screenId, version: r.value.manifestVersion, at: now });
        this.ctx.bus.emit("screen-state", { screenId });
        return;
      }
      case "plays": {
        const r = parsePayload(PlaysPayload, payload);
        if (!r.ok) {
          this.drop(topic, r.error, screenId);
          return;
        }
        const before = this.ctx.store.fleet.playsIngested;
        const ids = this.ctx.store.fleet.storePlays(screenId, r.value.records, now);
        this.ctx.bus.emit("plays-stored", { screenId, count: this.ctx.store.fleet.playsIngested - before });
        void this.ctx
          .publish(topics.ack(screenId), JSON.stringify({ type: "plays-stored", ids }), { qos: 1 })
          .catch((err: unknown) => this.ctx.log.warn({ err, screenId }, "plays ack not sent"));
        return;
      }
      case "ack": {
        const r = parsePayload(AckPayload, payload);
        if (!r.ok) {
          this.drop(topic, r.error, screenId);
          return;
        }
        const ack = r.value;
        if (ack.type === "alert-shown") this.queueAck({ alertId: ack.alert, screenId, at: now });
        else if (ack.type === "cmd-done") {
          this.ctx.bus.emit("cmd-done", { screenId, id: ack.id, ok: ack.ok, error: ack.error });
        }
        return; // plays-stored is our own ack coming back
      }
      default:
        return;
    }
  }
}
