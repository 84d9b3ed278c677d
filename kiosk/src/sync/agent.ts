import {
  AckPayload,
  type ClockReport,
  type DisplayState,
  MANIFEST_BATCH_FEATURE,
  type ManifestEnvelope,
  type ManifestPayload,
  type Paging,
  type PanelPower,
  type PlayRecord,
  parsePayload,
  parseTopic,
  type SignedEnvelope,
  type StatusPayload,
  TimeBeaconPayload,
  topics,
  type Viewport,
  verifyEnvelope,
} from "@gatecast/playlists";
import type { Clock } from "../clock.ts";
import { AlertAcks } from "./alerts.ts";
import { isAbort } from "./backoff.ts";
import { type CommandHandlers, CommandRunner } from "./commands.ts";
import { Connection, type TransportFactory } from "./connection.ts";
import { buildHeartbeat, type ErrorKind, ErrorLog } from "./heartbeat.ts";
import {
  acceptGateAlerts,
  acceptManifest,
  type HeldGateAlerts,
  type HeldManifest,
  type ManifestReader,
} from "./manifests.ts";
import type { MediaStore } from "./media-cache.ts";
import { evictable, resolveMedia } from "./media-plan.ts";
import { syncMedia } from "./media-sync.ts";
import type { Credentials } from "./pairing.ts";
import { PlayBuffer, type PlayStore } from "./plays.ts";

/** What the rest of the kiosk (the player, the screen) needs to know of the sync state. */
export interface AgentSnapshot {
  connected: boolean;
  /** The manifest on screen. */
  current: HeldManifest | null;
  /** A newer manifest whose media is still downloading. */
  pending: HeldManifest | null;
  /** Media of the pending manifest, or of the current one while it is being (re)completed. */
  media: { ready: number; total: number };
  gateAlerts: HeldGateAlerts | null;
}

/** Persistence of what the agent verified. */
export interface AgentStorage {
  saveManifest(envelope: ManifestEnvelope): Promise<void>;
  saveGateAlerts(held: HeldGateAlerts | null): Promise<void>;
}

/** Readings the heartbeat takes from the player and the device. */
export interface AgentProbe {
  nowPlaying(): { playlist: string | null; item: string | null; since: number } | null;
  lastFrameAt(): number | null;
  storage(): Promise<{ usageBytes: number; quotaBytes: number; persisted: boolean } | null>;
  usedJsHeapBytes(): number | null;
  /** A monotonic clock (ms): `performance.now()`. */
  uptimeMs(): number;
  display?(): DisplayState;
  /** Reads the panel's power through the display hook (null: no hook). */
  panelPower?(): Promise<PanelPower | null>;
  clock?(): ClockReport;
  /** The window's size in CSS pixels. */
  viewport?(): Viewport;
  /** The text shown in pages now, if any. */
  paging?(): Paging | null;
}

/** A verified time beacon answering one of this screen's heartbeats. */
export interface TimeBeacon {
  /** The controller's time in it. */
  now: number;
  seq: number;
  /** From sending the heartbeat it answers to receiving it, on the monotonic clock. */
  rttMs: number;
  /** The monotonic clock at receipt. */
  receivedMono: number;
}

export interface AgentDeps {
  credentials: Credentials;
  /** Absolute ws:// or wss:// URL of the broker. */
  wsUrl: string;
  clientId: string;
  /** Origin that relative media URLs are resolved against (the controller's). */
  origin: string;
  clock: Clock;
  appVersion: string;
  random: () => number;
  transport: TransportFactory;
  storage: AgentStorage;
  plays: PlayStore;
  media: MediaStore;
  fetchBytes: (url: string, signal: AbortSignal, attempt: number) => Promise<ArrayBuffer>;
  digest: (data: ArrayBuffer) => Promise<string>;
  probe: AgentProbe;
  /** `clear-cache` is the agent's own; the other commands act on the screen. */
  commands: Omit<CommandHandlers, "clear-cache">;
  /** Last preparation before a manifest goes on screen (e.g. load the fonts its texts need). */
  beforeSwitch?: (manifest: ManifestPayload, signal: AbortSignal) => Promise<void>;
  onChange: (snapshot: AgentSnapshot) => void;
  onConnect?: () => void;
  /**
   * Fetches the app's update when a verified manifest cannot be read by this code; true when a newer
   * app is on its way (the page will reload into it). Without one, such a manifest is a trust error.
   */
  appUpdate?: () => Promise<boolean>;
  /** The manifest formats this code reads (the app's own by default; tests stand in for other builds). */
  reader?: ManifestReader;
  /** The broker refused the login with this CONNACK code (see `repair.ts` for what the kiosk does). */
  onRefused?: (reasonCode: number) => void;
  log?: (message: string) => void;
  heartbeatMs?: number;
  /** How long `clear-cache` waits for the download again before acknowledging. */
  clearCacheWaitMs?: number;
  /** The controller answered a heartbeat with its signed time (see `clockSync` in the domain). */
  onTimeBeacon?: (beacon: TimeBeacon) => void;
}

/** Heartbeats remembered for matching the time beacons that answer them. */
const SENT_KEPT = 8;

interface MediaJob {
  abort: AbortController;
  done: Promise<boolean>;
}

const OUTBOX_MAX = 100;

/**
 * The kiosk's link to the controller, free of any DOM: MQTT session and subscriptions, manifest and
 * alert verification, media prefetch and the atomic switch, proof-of-play delivery, heartbeats, status
 * and remote commands. The browser app and the fleet simulator each wire it to their own storage,
 * network and screen.
 */
export class Agent {
  readonly errors: ErrorLog;
  private readonly plays: PlayBuffer;
  private readonly runner: CommandRunner;
  private readonly conn: Connection;
  private readonly acks = new AlertAcks();
  private readonly outbox: AckPayload[] = [];
  private current: HeldManifest | null;
  private pending: HeldManifest | null = null;
  private gateAlerts: HeldGateAlerts | null;
  private media = { ready: 0, total: 0 };
  private job: MediaJob | null = null;
  private queue: Promise<void> = Promise.resolve();
  private subscribedGate: string | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];
  private started = false;
  /** `at` of recent heartbeats → monotonic time they were sent. */
  private readonly sent = new Map<string, number>();
  /** Clock time of the last heartbeat: the period reported is measured on the screen's own clock. */
  private lastBeatAt: number | null = null;

  constructor(
    private readonly deps: AgentDeps,
    initial: { current: HeldManifest | null; gateAlerts: HeldGateAlerts | null },
  ) {
    this.current = initial.current;
    this.gateAlerts = initial.gateAlerts;
    if (this.current) this.media = { ready: 0, total: resolveMedia(this.current.manifest, deps.origin).length };
    const now = () => deps.clock.now();
    this.errors = new ErrorLog(now);
    const screenId = deps.credentials.screenId;
    this.plays = new PlayBuffer({
      store: deps.plays,
      now,
      publish: (records) => this.conn.publish(topics.plays(screenId), JSON.stringify({ records }), { qos: 1 }),
      onError: (m) => this.errors.push("storage", m),
    });
    this.runner = new CommandRunner({
      handlers: { ...deps.commands, "clear-cache": () => this.clearCache() },
      ack: (ack) => this.sendAck(ack),
      now,
      onInvalid: (m) => this.errors.push("command", m),
    });
    this.conn = new Connection({
      url: deps.wsUrl,
      username: deps.credentials.mqtt.username,
      password: deps.credentials.mqtt.password,
      clientId: deps.clientId,
      will: { topic: topics.status(screenId), payload: JSON.stringify({ state: "offline" }), qos: 1, retain: true },
      factory: deps.transport,
      random: deps.random,
      onConnect: () => this.onConnect(),
      onClose: () => this.onClose(),
      onMessage: (topic, payload) => this.onMessage(topic, payload),
      onError: (m) => deps.log?.(`mqtt: ${m}`),
      onRefused: (code) => deps.onRefused?.(code),
    });
  }

  get snapshot(): AgentSnapshot {
    return {
      connected: this.conn.connected,
      current: this.current,
      pending: this.pending,
      media: { ...this.media },
      gateAlerts: this.gateAlerts,
    };
  }

  get connection(): Connection {
    return this.conn;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.conn.start();
    this.timers.push(setInterval(() => void this.heartbeat(), this.deps.heartbeatMs ?? 30_000));
    this.timers.push(setInterval(() => void this.plays.tick(), 15_000));
    if (this.current) this.job = this.prepare(this.current, false);
    this.emit();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.job?.abort.abort();
    await this.conn.stop();
  }

  /** A play that ended on screen: stored now, delivered when the controller can be reached. */
  recordPlay(record: PlayRecord): Promise<void> {
    return this.plays.record(record).catch((e: unknown) => {
      this.errors.push("storage", `storing a play: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  reportError(kind: ErrorKind, message: string): void {
    this.errors.push(kind, message);
  }

  /** Alerts now on screen: each is acknowledged (`alert-shown`) once. */
  alertsShown(ids: readonly string[]): void {
    const at = new Date(this.deps.clock.now()).toISOString();
    for (const id of this.acks.take(ids)) this.sendAck({ type: "alert-shown", alert: id, at });
  }

  /** Sends a heartbeat now (it is also sent every 30 s while connected). */
  async heartbeat(): Promise<void> {
    if (!this.conn.connected) return;
    const p = this.deps.probe;
    const errors = this.errors.peek();
    const storage = await p.storage().catch(() => null);
    const panelPower = p.panelPower ? await p.panelPower().catch(() => null) : undefined;
    const now = this.deps.clock.now();
    // the period on this screen's clock (a test clock may run faster than the timers): what the
    // controller waits for before it calls the screen silent
    const every = this.deps.heartbeatMs ?? 30_000;
    const gap = this.lastBeatAt === null ? 0 : now - this.lastBeatAt;
    this.lastBeatAt = now;
    const payload = buildHeartbeat({
      now,
      appVersion: this.deps.appVersion,
      uptimeMs: p.uptimeMs(),
      manifestVersion: this.current?.manifest.version ?? null,
      pendingVersion: this.pending?.manifest.version ?? null,
      nowPlaying: p.nowPlaying(),
      lastFrameAt: p.lastFrameAt(),
      media: this.media,
      storage,
      usedJsHeapBytes: p.usedJsHeapBytes(),
      errors,
      everyMs: gap > every && gap < 3_600_000 ? gap : every,
      ...(p.display ? { display: p.display() } : {}),
      ...(panelPower !== undefined ? { panelPower } : {}),
      ...(p.clock ? { clock: p.clock() } : {}),
      ...(p.viewport ? { viewport: p.viewport() } : {}),
      ...(p.paging ? { paging: p.paging() } : {}),
    });
    try {
      this.sent.set(payload.at, p.uptimeMs());
      if (this.sent.size > SENT_KEPT) this.sent.delete(this.sent.keys().next().value as string);
      await this.conn.publish(topics.heartbeat(this.deps.credentials.screenId), JSON.stringify(payload), { qos: 0 });
      this.errors.commit(errors);
    } catch {
      // not connected any more: the errors go with the next heartbeat
    }
  }

  private emit(): void {
    this.deps.onChange(this.snapshot);
  }

  private newest(): HeldManifest | null {
    return this.pending ?? this.current;
  }

  private gate(): string | null {
    return this.current?.manifest.screen.gate ?? this.pending?.manifest.screen.gate ?? null;
  }

  private onConnect(): void {
    const id = this.deps.credentials.screenId;
    this.subscribedGate = null;
    void this.publishStatus();
    void this.conn
      .subscribe([topics.manifest(id), topics.cmd(id), topics.ack(id)])
      .catch((e: unknown) => this.deps.log?.(`subscribe: ${e instanceof Error ? e.message : String(e)}`));
    void this.updateSubscriptions();
    void this.plays.setConnected(true);
    const queued = this.outbox.splice(0);
    for (const ack of queued) this.sendAck(ack);
    void this.heartbeat();
    this.deps.onConnect?.();
    this.emit();
  }

  private onClose(): void {
    this.subscribedGate = null;
    void this.plays.setConnected(false);
    this.emit();
  }

  private onMessage(topic: string, payload: Uint8Array): void {
    const t = parseTopic(topic);
    if (!t) return;
    if (t.scope === "gate") {
      this.enqueue(() => this.handleAlerts(t.gateId, payload));
      return;
    }
    if (t.screenId !== this.deps.credentials.screenId) return;
    switch (t.kind) {
      case "manifest":
        this.enqueue(() => this.handleManifest(payload));
        break;
      case "cmd":
        void this.runner.handle(payload);
        break;
      case "ack": {
        const ack = parsePayload(AckPayload, payload);
        if (ack.ok && ack.value.type === "plays-stored") void this.plays.acknowledged(ack.value.ids);
        else if (ack.ok && ack.value.type === "time") void this.handleTime(ack.value.beacon);
        break;
      }
      default:
        break;
    }
  }

  /** Messages that change what is held are handled one at a time, in arrival order. */
  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((e: unknown) => {
      this.errors.push("uncaught", `sync: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  private async handleManifest(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return; // the retained manifest was deleted: keep playing what we have
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch {
      this.errors.push("manifest-rejected", "manifest is not UTF-8 JSON");
      return;
    }
    const decision = await acceptManifest(
      this.newest(),
      raw,
      this.deps.credentials.jwks,
      this.deps.clock.now(),
      this.deps.credentials.screenId,
      this.deps.reader,
    );
    if (decision.kind === "unreadable") {
      // the controller signed it, so a newer app can read it: fetch that first, report only if there is none
      const updating = await (this.deps.appUpdate?.() ?? Promise.resolve(false)).catch(() => false);
      if (updating) {
        this.deps.log?.(`manifest needs a newer app (${decision.reason}): updating`);
        return;
      }
      this.errors.push("manifest-rejected", `${decision.reason}, and no app update is available`);
      return;
    }
    if (decision.kind === "rejected") {
      this.errors.push("manifest-rejected", decision.reason);
      this.deps.log?.(`manifest rejected: ${decision.reason}`);
      return;
    }
    if (decision.kind === "ignored") return;
    this.job?.abort.abort();
    this.pending = decision.held;
    this.media = { ready: 0, total: resolveMedia(decision.held.manifest, this.deps.origin).length };
    this.job = this.prepare(decision.held, true);
    void this.updateSubscriptions();
    this.emit();
  }

  /**
   * Downloads and verifies a manifest's media; for a new manifest then switches to it atomically:
   * persist, put on screen, evict what no manifest in use needs. Resolves true when complete.
   */
  private prepare(held: HeldManifest, isNew: boolean): MediaJob {
    const abort = new AbortController();
    const signal = abort.signal;
    const needed = resolveMedia(held.manifest, this.deps.origin);
    const done = (async () => {
      try {
        await syncMedia(needed, {
          store: this.deps.media,
          fetchBytes: this.deps.fetchBytes,
          digest: this.deps.digest,
          random: this.deps.random,
          signal,
          onProgress: (ready, total) => {
            if (signal.aborted) return;
            this.media = { ready, total };
            this.emit();
          },
          onError: (kind, message) => this.errors.push(kind, `manifest ${held.manifest.version}: ${message}`),
        });
        if (isNew && this.deps.beforeSwitch) {
          await this.deps.beforeSwitch(held.manifest, signal).catch((e: unknown) => {
            if (isAbort(e)) throw e;
            this.deps.log?.(`before switch: ${e instanceof Error ? e.message : String(e)}`);
          });
        }
        signal.throwIfAborted();
        if (isNew) {
          try {
            await this.deps.storage.saveManifest(held.envelope);
          } catch (e) {
            this.errors.push("storage", `saving manifest: ${e instanceof Error ? e.message : String(e)}`);
          }
          signal.throwIfAborted();
          this.current = held;
          this.pending = null;
          this.job = null;
          this.emit();
          void this.publishStatus();
          void this.updateSubscriptions();
          // tell the controller at once, not at the next 30 s beat
          setTimeout(() => void this.heartbeat(), 1_500);
        } else if (this.job?.abort === abort) {
          this.job = null;
        }
        await this.evict();
        return true;
      } catch (e) {
        if (!isAbort(e)) this.errors.push("uncaught", `media: ${e instanceof Error ? e.message : String(e)}`);
        return false;
      }
    })();
    return { abort, done };
  }

  private async evict(): Promise<void> {
    try {
      const keep = [this.current, this.pending]
        .filter((h): h is HeldManifest => h !== null)
        .map((h) => resolveMedia(h.manifest, this.deps.origin));
      const cached = await this.deps.media.list();
      const urls = evictable(cached, keep);
      if (urls.length > 0) await this.deps.media.delete(urls);
    } catch (e) {
      this.errors.push("storage", `evicting media: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async clearCache(): Promise<void> {
    this.job?.abort.abort();
    await this.deps.media.clear();
    const target = this.pending ?? this.current;
    if (!target) return;
    this.media = { ready: 0, total: resolveMedia(target.manifest, this.deps.origin).length };
    this.emit();
    const job = this.prepare(target, target === this.pending);
    this.job = job;
    const waitMs = this.deps.clearCacheWaitMs ?? 120_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finished = await Promise.race([
      job.done,
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), waitMs);
      }),
    ]);
    clearTimeout(timer);
    if (!finished) {
      throw new Error(`media cache cleared; download again in progress (${this.media.ready}/${this.media.total})`);
    }
  }

  private async updateSubscriptions(): Promise<void> {
    const gate = this.gate();
    if (this.gateAlerts && gate && this.gateAlerts.gate !== gate) {
      this.gateAlerts = null;
      await this.deps.storage.saveGateAlerts(null).catch(() => undefined);
      this.emit();
    }
    if (!this.conn.connected || gate === this.subscribedGate) return;
    const previous = this.subscribedGate;
    this.subscribedGate = gate;
    try {
      if (previous) await this.conn.unsubscribe([topics.alert(previous)]);
      if (gate) await this.conn.subscribe([topics.alert(gate)]);
    } catch (e) {
      this.subscribedGate = null;
      this.deps.log?.(`alert subscription: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async handleAlerts(gateId: string, bytes: Uint8Array): Promise<void> {
    // an empty message only deletes the broker's retained copy: alerts end by a signed (empty) list
    if (gateId !== this.gate() || bytes.length === 0) return;
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch {
      this.errors.push("alert-rejected", "alert payload is not UTF-8 JSON");
      return;
    }
    const decision = await acceptGateAlerts(this.gateAlerts, raw, this.deps.credentials.jwks, gateId);
    if (decision.kind === "rejected") {
      this.errors.push("alert-rejected", decision.reason);
      return;
    }
    if (decision.kind === "ignored") return;
    this.gateAlerts = decision.held;
    this.emit();
    try {
      await this.deps.storage.saveGateAlerts(decision.held);
    } catch (e) {
      this.errors.push("storage", `saving alerts: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * A time beacon counts only if it is signed by the pinned key, names this screen and answers a
   * heartbeat it sent (so its round trip is known and a replayed copy matches nothing).
   */
  private async handleTime(beacon: SignedEnvelope): Promise<void> {
    const receivedMono = this.deps.probe.uptimeMs();
    if (!this.deps.onTimeBeacon) return;
    const verdict = await verifyEnvelope(beacon, this.deps.credentials.jwks);
    if (!verdict.ok) {
      this.deps.log?.(`time beacon refused: ${verdict.reason}`);
      return;
    }
    const r = TimeBeaconPayload.safeParse(verdict.payload);
    if (!r.success || r.data.screenId !== this.deps.credentials.screenId) return;
    const sentMono = this.sent.get(r.data.echo);
    if (sentMono === undefined) return;
    this.sent.delete(r.data.echo);
    this.deps.onTimeBeacon({
      now: Date.parse(r.data.now),
      seq: r.data.seq,
      rttMs: receivedMono - sentMono,
      receivedMono,
    });
  }

  private async publishStatus(): Promise<void> {
    const status: StatusPayload = {
      state: "online",
      at: new Date(this.deps.clock.now()).toISOString(),
      appVersion: this.deps.appVersion,
      manifestVersion: this.current?.manifest.version ?? null,
      features: [MANIFEST_BATCH_FEATURE],
    };
    await this.conn
      .publish(topics.status(this.deps.credentials.screenId), JSON.stringify(status), { qos: 1, retain: true })
      .catch(() => undefined);
  }

  private sendAck(ack: AckPayload): void {
    if (!this.conn.connected) {
      this.outbox.push(ack);
      if (this.outbox.length > OUTBOX_MAX) this.outbox.shift();
      return;
    }
    this.conn.publish(topics.ack(this.deps.credentials.screenId), JSON.stringify(ack), { qos: 1 }).catch(() => {
      this.outbox.push(ack);
      if (this.outbox.length > OUTBOX_MAX) this.outbox.shift();
    });
  }
}
