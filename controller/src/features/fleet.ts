import {
  AckPayload,
  FLEET_SUBSCRIPTIONS,
  HeartbeatPayload,
  type PlayRecord,
  PlaysPayload,
  parsePayload,
  parseTopic,
  plausibleVersion,
  StatusPayload,
  topics,
} from "@gatecast/playlists";
import type { Context, Feature, MessageHandler } from "../context.ts";
import { heldBack, LogSampler } from "../logSampler.ts";
import type { StoredPlay } from "../store/plays.ts";
import { fatalIfStoreDamaged } from "./storeHealth.ts";

/** How often the retained messages on screen topics are looked through for strays. */
const SWEEP_EVERY_MS = 3_600_000;

import { judgePlay, type PlayJudgement, PlayRate, type RefusalReason, type SentVersion } from "./playCheck.ts";

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

  /**
   * Each screen's clock minus the controller's, from the `at` of its last status or heartbeat: the
   * first guess, until the clock feature's delivery-corrected estimate (`ScreenClocks`) is stored.
   */
  private readonly skew = new Map<string, number>();
  private readonly rate = new PlayRate();

  private skewOf(screenId: string): number | null {
    const estimate = this.ctx.store.fleet.state(screenId)?.clockOffsetMs ?? null;
    if (estimate !== null) return estimate;
    const known = this.skew.get(screenId);
    if (known !== undefined) return known;
    const stored = this.ctx.store.fleet.state(screenId)?.clockSkewMs ?? null;
    if (stored !== null) this.skew.set(screenId, stored);
    return stored;
  }
  /** Item lists of the manifest history, parsed once (they never change). */
  private readonly itemSets = new Map<number, ReadonlySet<string>>();

  /**
   * Proof-of-play: records over the screen's rate are left unacknowledged (sent again later); the rest
   * are judged against what the screen was sent (`judgePlay`). Stored and refused ones are acknowledged,
   * deferred ones not.
   */
  private ingestPlays(screenId: string, records: readonly PlayRecord[], now: number): void {
    const granted = this.rate.take(screenId, records.length, now);
    const judged = records.slice(0, granted);
    const sent = new Map<number, SentVersion>();
    const releaseOf = new Map<number, number>();
    for (const h of this.ctx.store.published.history(screenId)) {
      releaseOf.set(h.version, h.releaseId);
      let items = this.itemSets.get(h.itemSet);
      if (!items) {
        items = new Set(JSON.parse(h.items) as string[]);
        if (this.itemSets.size >= 10_000) this.itemSets.clear();
        this.itemSets.set(h.itemSet, items);
      }
      sent.set(h.version, { version: h.version, items, issuedAt: h.issuedAt });
    }
    const judgement: PlayJudgement = {
      sent,
      reserved: this.ctx.store.published.version(screenId) ?? 0,
      receivedAt: now,
      skewMs: this.skewOf(screenId),
    };
    const keep: StoredPlay[] = [];
    const ack: string[] = [];
    const refused: Partial<Record<RefusalReason, number>> = {};
    let deferred = 0;
    for (const play of judged) {
      const verdict = judgePlay(play, judgement);
      if (verdict.kind === "defer") {
        deferred += 1;
        continue;
      }
      ack.push(play.id);
      if (verdict.kind === "store")
        keep.push({
          id: play.id,
          item: play.item,
          startedAt: Date.parse(play.startedAt),
          durationMs: play.durationMs,
          releaseId: releaseOf.get(verdict.version) ?? 0,
        });
      else refused[verdict.reason] = (refused[verdict.reason] ?? 0) + 1;
    }
    if (keep.length < judged.length) this.ctx.log.debug({ screenId, refused, deferred }, "plays refused or deferred");
    const before = this.ctx.store.plays.playsIngested;
    const gate = this.ctx.store.draft.get("screens", screenId)?.gate ?? "?";
    this.ctx.store.plays.store(screenId, gate, keep, now);
    this.ctx.bus.emit("plays-stored", { screenId, count: this.ctx.store.plays.playsIngested - before });
    this.ctx.bus.emit("plays-judged", {
      screenId,
      received: records.length,
      overRate: records.length - granted,
      deferred,
      acknowledged: ack.length,
      refused,
    });
    if (ack.length === 0) return;
    void this.ctx
      .publish(topics.ack(screenId), JSON.stringify({ type: "plays-stored", ids: ack }), { qos: 1 })
      .catch((err: unknown) => this.ctx.log.warn({ err, screenId }, "plays ack not sent"));
  }

  /**
   * A screen holding a version above what the store issued it (the store came back from a backup, or
   * was made again next to the key) would refuse every manifest until the counter climbed past it.
   */
  private checkHeld(screenId: string, held: number, now: number): void {
    if (held === 0) return;
    const issued = this.ctx.store.published.version(screenId) ?? 0;
    if (held <= issued) return;
    if (!plausibleVersion(held, now)) {
      this.ctx.log.warn({ screenId, held }, "screen reports an implausible manifest version: ignored");
      return;
    }
    this.ctx.bus.emit("manifest-behind", { screenId, heldVersion: held });
  }

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
        const changed = this.ctx.store.fleet.setOnline(screenId, r.value.state === "online", now, r.value.appVersion);
        if (r.value.state === "online") {
          const skew = r.value.at ? Date.parse(r.value.at) - now : null;
          if (skew !== null) this.skew.set(screenId, skew);
          if (skew !== null || r.value.features)
            this.ctx.store.fleet.setStatusDetails(screenId, skew, r.value.features);
        }
        if (changed) this.ctx.bus.emit("screen-state", { screenId });
        return;
      }
      case "heartbeat": {
        const r = parsePayload(HeartbeatPayload, payload);
        if (!r.ok) {
          this.drop(topic, r.error, screenId);
          return;
        }
        this.skew.set(screenId, Date.parse(r.value.at) - now);
        this.ctx.store.fleet.recordHeartbeat(screenId, r.value, now);
        if (r.value.manifestVersion !== null)
          this.ctx.bus.emit("manifest-applied", { screenId, version: r.value.manifestVersion, at: now });
        this.checkHeld(screenId, Math.max(r.value.manifestVersion ?? 0, r.value.pendingVersion ?? 0), now);
        this.ctx.bus.emit("screen-state", { screenId });
        this.ctx.bus.emit("screen-heartbeat", { screenId, at: Date.parse(r.value.at), receivedAt: now });
        return;
      }
      case "plays": {
        const r = parsePayload(PlaysPayload, payload);
        if (!r.ok) {
          this.drop(topic, r.error, screenId);
          return;
        }
        this.ingestPlays(screenId, r.value.records, now);
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
