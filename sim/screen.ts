/**
 * One simulated screen: the kiosk's own sync `Agent` (MQTT session with its jittered reconnect backoff,
 * manifest and alert verification, media download with sha256 check, proof-of-play buffer with acks,
 * heartbeats, commands) over a Node mqtt.js transport, and the kiosk's own `Player` (the schedule
 * resolver on a clock, one play record per item shown). Only the screen itself is missing.
 */
import { createHash, randomUUID } from "node:crypto";
import {
  Agent,
  type AgentSnapshot,
  type Clock,
  memoryPlayStore,
  mergeAlerts,
  mqttTransport,
  type PlayedProgram,
  Player,
  type PlayStore,
  type TransportFactory,
} from "@gatecast/kiosk/sync";
import type { PlayRecord, ScreenCredentials } from "@gatecast/playlists";
import { topics } from "@gatecast/playlists";
import mqtt from "mqtt";
import { z } from "zod";
import type { MediaPool } from "./media.ts";
import { pooledMediaStore } from "./media.ts";

export const SIM_APP_VERSION = "gatecast-sim/0.1.0";

/** Counters of one screen since it started. */
export interface ScreenStats {
  /** Wall-clock instants (ms) of every successful MQTT connection. */
  connects: number[];
  /** Wall-clock instants (ms) the connection was lost. */
  disconnects: number[];
  manifestMessages: number;
  manifestBytes: number;
  /** Highest manifest version received on the screen's topic (accepted or not). */
  seenVersion: number | null;
  mediaFiles: number;
  mediaBytes: number;
  playsRecorded: number;
  /** Records published (a resend counts again). */
  playsSent: number;
  /** Records the controller confirmed (`plays-stored`) and the screen forgot. */
  playsAcked: number;
  alertsAcked: number;
  /** Wall-clock instant (ms) the last gate alert message arrived. */
  lastAlertMessageAt: number | null;
  /** Wall-clock instant (ms) the last `alert-shown` was handed to the MQTT client. */
  lastAlertAckAt: number | null;
  errors: number;
  lastError: string | null;
}

/** Runs at most `limit` tasks at once (downloads of the whole fleet share one). */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export interface SimScreenOptions {
  credentials: ScreenCredentials;
  /** mqtt://, mqtts://, ws:// or wss:// URL of the broker. */
  brokerUrl: string;
  /** Origin relative media URLs are fetched from (the controller's). */
  origin: string;
  clock: Clock;
  random: () => number;
  pool: MediaPool;
  downloads: Limiter;
  heartbeatMs?: number;
  /** The player's period (the kiosk's 250 ms). */
  tickMs?: number;
  /** Remember every play id recorded (for exactly-once checks). */
  keepPlayIds?: boolean;
  log?: (screenId: string, message: string) => void;
  /** For tests: the MQTT client factory. */
  transport?: TransportFactory;
}

/** A tiny valid JPEG for the `screenshot` command. */
const SCREENSHOT = Buffer.from(
  "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=",
  "base64",
);

const VersionOnly = z.object({ payload: z.object({ version: z.number() }) });
const PlaysOnly = z.object({ records: z.array(z.unknown()) });
const AckType = z.object({ type: z.string() });

/** Re-resolve at least this often, even when nothing changed (schedules, alert windows). */
const MAX_IDLE_MS = 2_000;

export class SimScreen {
  readonly id: string;
  readonly agent: Agent;
  readonly player: Player;
  readonly stats: ScreenStats = {
    connects: [],
    disconnects: [],
    manifestMessages: 0,
    manifestBytes: 0,
    seenVersion: null,
    mediaFiles: 0,
    mediaBytes: 0,
    playsRecorded: 0,
    playsSent: 0,
    playsAcked: 0,
    alertsAcked: 0,
    lastAlertMessageAt: null,
    lastAlertAckAt: null,
    errors: 0,
    lastError: null,
  };
  /** Every play id recorded, when `keepPlayIds`. */
  readonly playIds: string[] = [];
  private readonly playStore = memoryPlayStore();
  private readonly media: ReturnType<typeof pooledMediaStore>;
  private snap: AgentSnapshot;
  private program: PlayedProgram | null = null;
  private programOf: { current: unknown; alerts: unknown } = { current: null, alerts: null };
  private dirty = true;
  private nextDue = 0;
  private readonly creds: ScreenCredentials;
  private readonly startedAt = Date.now();
  private running = false;
  private readonly tickMs: number;
  private readonly phase: number;
  private lastGrid = Number.NaN;

  constructor(opts: SimScreenOptions) {
    const { credentials: creds, clock } = opts;
    this.id = creds.screenId;
    this.creds = creds;
    this.tickMs = opts.tickMs ?? 250;
    this.phase = opts.random() * this.tickMs;
    this.media = pooledMediaStore(opts.pool);
    const stats = this.stats;
    const manifestTopic = topics.manifest(this.id);
    const playsTopic = topics.plays(this.id);
    const ackTopic = topics.ack(this.id);
    const base = opts.transport ?? mqttTransport((url, o) => mqtt.connect(url, o));
    const transport: TransportFactory = (o) => {
      const t = base(o);
      return {
        on: (h) =>
          t.on({
            connect: () => {
              stats.connects.push(Date.now());
              h.connect();
            },
            close: () => {
              stats.disconnects.push(Date.now());
              h.close();
            },
            error: (e) => h.error(e),
            message: (topic, payload) => {
              if (topic.endsWith("/alert")) stats.lastAlertMessageAt = Date.now();
              else if (topic === manifestTopic && payload.length > 0) {
                stats.manifestMessages++;
                stats.manifestBytes += payload.length;
                const v = safeJson(VersionOnly, payload);
                if (v && (stats.seenVersion === null || v.payload.version > stats.seenVersion))
                  stats.seenVersion = v.payload.version;
              }
              h.message(topic, payload);
            },
          }),
        publish: async (topic, payload, p) => {
          const at = Date.now();
          await t.publish(topic, payload, p);
          if (topic === playsTopic) stats.playsSent += safeJson(PlaysOnly, payload)?.records.length ?? 0;
          else if (topic === ackTopic && safeJson(AckType, payload)?.type === "alert-shown") {
            stats.alertsAcked++;
            stats.lastAlertAckAt = at;
          }
        },
        subscribe: (list) => t.subscribe(list),
        unsubscribe: (list) => t.unsubscribe(list),
        reconnect: () => t.reconnect(),
        end: () => t.end(),
      };
    };
    const inner = this.playStore;
    const plays: PlayStore = {
      add: async (r) => {
        stats.playsRecorded++;
        if (opts.keepPlayIds) this.playIds.push(r.id);
        await inner.add(r);
      },
      oldest: (limit) => inner.oldest(limit),
      delete: async (ids) => {
        const before = inner.records.size;
        await inner.delete(ids);
        stats.playsAcked += before - inner.records.size;
      },
      count: () => inner.count(),
    };
    const log = (m: string) => {
      stats.lastError = m;
      opts.log?.(this.id, m);
    };
    this.agent = new Agent(
      {
        credentials: { ...creds, pairedAt: new Date(clock.now()).toISOString() },
        wsUrl: opts.brokerUrl,
        clientId: `screen.${this.id}.sim-${randomUUID().slice(0, 8)}`,
        origin: opts.origin,
        clock,
        appVersion: SIM_APP_VERSION,
        random: opts.random,
        transport,
        storage: { saveManifest: async () => undefined, saveGateAlerts: async () => undefined },
        plays,
        media: this.media,
        fetchBytes: (url, signal) =>
          opts.downloads.run(async () => {
            const res = await fetch(url, { signal });
            if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
            const body = await res.arrayBuffer();
            stats.mediaFiles++;
            stats.mediaBytes += body.byteLength;
            return body;
          }),
        digest: async (data) => sha256(data),
        probe: {
          nowPlaying: () => this.player.nowPlaying,
          lastFrameAt: () => clock.now(),
          storage: async () => ({ usageBytes: this.media.usageBytes(), quotaBytes: 2 ** 34, persisted: true }),
          usedJsHeapBytes: () => null,
          uptimeMs: () => Date.now() - this.startedAt,
        },
        commands: {
          reload: async () => undefined,
          identify: async () => undefined,
          screenshot: async () => {
            const auth = Buffer.from(`${creds.mqtt.username}:${creds.mqtt.password}`).toString("base64");
            const res = await fetch(`${opts.origin}/api/v1/screens/${this.id}/screenshot`, {
              method: "POST",
              headers: { authorization: `Basic ${auth}`, "content-type": "image/jpeg" },
              body: SCREENSHOT,
            });
            if (!res.ok) throw new Error(`screenshot upload: HTTP ${res.status}`);
          },
        },
        onChange: (s) => {
          const programChanged = s.current !== this.snap.current || s.gateAlerts !== this.snap.gateAlerts;
          this.snap = s;
          this.dirty = true;
          // as the kiosk does: a new manifest or gate alert acts at once, not at the next tick
          if (programChanged && this.running) {
            this.dirty = false;
            this.nextDue = clock.now() + MAX_IDLE_MS;
            this.player.tick();
          }
        },
        log,
        ...(opts.heartbeatMs ? { heartbeatMs: opts.heartbeatMs } : {}),
      },
      { current: null, gateAlerts: null },
    );
    const push = this.agent.errors.push.bind(this.agent.errors);
    this.agent.errors.push = (kind, message) => {
      stats.errors++;
      stats.lastError = `${kind}: ${message}`;
      push(kind, message);
    };
    this.snap = this.agent.snapshot;
    this.player = new Player({
      clock,
      program: () => this.currentProgram(),
      covered: () => false,
      newId: () => randomUUID(),
      onSlot: (slot) => {
        this.nextDue = Math.min(slot?.endsAt ?? Number.POSITIVE_INFINITY, clock.now() + MAX_IDLE_MS);
      },
      onAlerts: (alerts) => {
        if (alerts.length > 0) this.agent.alertsShown(alerts.map((a) => a.id));
      },
      onPlay: (record: PlayRecord) => void this.agent.recordPlay(record),
      onBoundary: () => undefined,
      onStuck: () => undefined,
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.agent.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.agent.stop();
  }

  /**
   * Called often by the fleet; acts on this screen's own 250 ms grid (the kiosk's player period, at a
   * random phase, as real screens are): when its item ends, when the sync state changed, or every 2 s.
   */
  tick(now: number): void {
    if (!this.running) return;
    const grid = Math.floor((now - this.phase) / this.tickMs);
    if (grid === this.lastGrid) return;
    this.lastGrid = grid;
    if (!this.dirty && now < this.nextDue) return;
    this.dirty = false;
    this.nextDue = now + MAX_IDLE_MS;
    this.player.tick();
  }

  private currentProgram(): PlayedProgram | null {
    const s = this.snap;
    if (s.current === this.programOf.current && s.gateAlerts === this.programOf.alerts) return this.program;
    this.programOf = { current: s.current, alerts: s.gateAlerts };
    const m = s.current?.manifest ?? null;
    if (!m) this.program = null;
    else {
      const live = s.gateAlerts && s.gateAlerts.gate === m.screen.gate ? s.gateAlerts.alerts : [];
      this.program = { ...m, alerts: mergeAlerts(m.alerts, live) };
    }
    return this.program;
  }

  get snapshot(): AgentSnapshot {
    return this.snap;
  }

  /** The keys this screen trusts (pinned at pairing). */
  get jwks(): ScreenCredentials["jwks"] {
    return this.creds.jwks;
  }

  get connected(): boolean {
    return this.agent.connection.connected;
  }

  get currentVersion(): number | null {
    return this.snap.current?.manifest.version ?? null;
  }

  /** Holds, on screen, the newest manifest it has received, with every media file verified. */
  get inSync(): boolean {
    const v = this.currentVersion;
    return v !== null && this.snap.pending === null && (this.stats.seenVersion === null || v >= this.stats.seenVersion);
  }

  get mediaReady(): boolean {
    return this.snap.current !== null && this.snap.pending === null && this.snap.media.ready >= this.snap.media.total;
  }

  /** Play records stored on the screen, not yet confirmed by the controller. */
  get playsBuffered(): number {
    return this.playStore.records.size;
  }

  /** Ids of the plays still waiting for the controller's acknowledgement. */
  unacknowledgedPlayIds(): string[] {
    return [...this.playStore.records.keys()];
  }

  get mediaUsageBytes(): number {
    return this.media.usageBytes();
  }
}

function sha256(data: ArrayBuffer): string {
  return createHash("sha256").update(new Uint8Array(data)).digest("hex");
}

function safeJson<T>(schema: z.ZodType<T>, payload: Uint8Array | string): T | null {
  try {
    const text = typeof payload === "string" ? payload : Buffer.from(payload).toString("utf8");
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
