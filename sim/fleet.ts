/**
 * A fleet of simulated screens in one Node process: `startFleet({controllerUrl, credentials})` starts one
 * `SimScreen` per set of credentials (ramped, so a thousand screens do not all dial in the same
 * millisecond), drives their players from one timer, and sums their counters.
 */

import { type Clock, resolveWsUrl, systemClock } from "@gatecast/kiosk/sync";
import type { ScreenCredentials } from "@gatecast/playlists";
import { MediaPool } from "./media.ts";
import { Limiter, SimScreen, type SimScreenOptions } from "./screen.ts";

export interface FleetOptions {
  /** The controller's origin: media and screenshots go there. */
  controllerUrl: string;
  credentials: readonly ScreenCredentials[];
  /** Overrides the broker in the credentials (their `url`, else their `wsUrl`). */
  brokerUrl?: string;
  clock?: Clock;
  random?: () => number;
  /** Heartbeat period of each screen (the kiosk's 30 s by default). */
  heartbeatMs?: number;
  /** Player resolution period (the kiosk's 250 ms by default). */
  tickMs?: number;
  /** Screens started per second (default 200; Infinity: all at once). */
  rampPerSecond?: number;
  /** Media downloads in flight for the whole fleet (default 32). */
  downloadConcurrency?: number;
  keepPlayIds?: boolean;
  log?: (screenId: string, message: string) => void;
  transport?: SimScreenOptions["transport"];
}

export interface FleetStats {
  /** Wall clock of the reading. */
  at: number;
  screens: number;
  started: number;
  connected: number;
  /** Screens holding a manifest. */
  withManifest: number;
  /** Screens showing the newest manifest they have received (nothing pending). */
  inSync: number;
  /** Screens with every media file of what they show downloaded and verified. */
  mediaReady: number;
  playsRecorded: number;
  playsSent: number;
  playsAcked: number;
  playsBuffered: number;
  alertsAcked: number;
  /** Connections after a screen's first one. */
  reconnects: number;
  errors: number;
  manifestBytes: number;
  mediaBytes: number;
  lastError: string | null;
}

export interface Fleet {
  screens: SimScreen[];
  pool: MediaPool;
  stats(): FleetStats;
  /** Resolves once every screen has been started (the ramp is over). */
  started: Promise<void>;
  /** How often each (normalised) log message of the screens came: connection errors, rejections. */
  messages: Map<string, number>;
  /** Adds screens to the running fleet; resolves once they have been started. */
  add(credentials: readonly ScreenCredentials[]): Promise<void>;
  stop(): Promise<void>;
}

/** The broker a screen dials: `brokerUrl`, else the TCP `url` the controller handed out, else its `wsUrl`. */
export function brokerUrlFor(creds: ScreenCredentials, controllerUrl: string, override?: string): string {
  if (override) return override;
  if (creds.mqtt.url) return creds.mqtt.url;
  return resolveWsUrl(creds.mqtt.wsUrl, controllerUrl);
}

export function startFleet(opts: FleetOptions): Fleet {
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const origin = new URL(opts.controllerUrl).origin;
  const pool = new MediaPool();
  const downloads = new Limiter(opts.downloadConcurrency ?? 32);
  const screens: SimScreen[] = [];
  const messages = new Map<string, number>();
  const tickMs = opts.tickMs ?? 250;
  const make = (credentials: ScreenCredentials) =>
    new SimScreen({
      credentials,
      brokerUrl: brokerUrlFor(credentials, origin, opts.brokerUrl),
      origin,
      clock,
      random,
      pool,
      downloads,
      ...(opts.heartbeatMs ? { heartbeatMs: opts.heartbeatMs } : {}),
      tickMs,
      ...(opts.keepPlayIds ? { keepPlayIds: true } : {}),
      log: (id, m) => {
        const key = m.replace(/\d+(\.\d+)*/g, "N").slice(0, 120);
        messages.set(key, (messages.get(key) ?? 0) + 1);
        opts.log?.(id, m);
      },
      ...(opts.transport ? { transport: opts.transport } : {}),
    });
  // each screen acts on its own grid of `tickMs` at its own phase; the fleet looks ten times as often
  const ticker = setInterval(
    () => {
      const now = clock.now();
      for (const s of screens) s.tick(now);
    },
    Math.max(5, tickMs / 10),
  );

  let stopping = false;
  const rate = opts.rampPerSecond ?? 200;
  let ramp: Promise<void> = Promise.resolve();
  /** Starts `list` at the ramp rate, after any ramp still going. */
  const launch = (list: SimScreen[]) => {
    ramp = ramp.then(async () => {
      const perStep = Number.isFinite(rate) ? Math.max(1, Math.round(rate / 10)) : list.length;
      for (let i = 0; i < list.length && !stopping; i += perStep) {
        for (const s of list.slice(i, i + perStep)) s.start();
        if (i + perStep < list.length && Number.isFinite(rate))
          await new Promise((r) => setTimeout(r, (perStep / rate) * 1000));
      }
    });
    return ramp;
  };
  const add = (credentials: readonly ScreenCredentials[]) => {
    const more = credentials.map(make);
    screens.push(...more);
    return launch(more);
  };
  const started = add(opts.credentials);

  return {
    screens,
    pool,
    started,
    add,
    messages,
    stats: () => fleetStats(screens),
    async stop() {
      stopping = true;
      clearInterval(ticker);
      await ramp;
      await Promise.all(screens.map((s) => s.stop().catch(() => undefined)));
    },
  };
}

export function fleetStats(screens: readonly SimScreen[]): FleetStats {
  const s: FleetStats = {
    at: Date.now(),
    screens: screens.length,
    started: 0,
    connected: 0,
    withManifest: 0,
    inSync: 0,
    mediaReady: 0,
    playsRecorded: 0,
    playsSent: 0,
    playsAcked: 0,
    playsBuffered: 0,
    alertsAcked: 0,
    reconnects: 0,
    errors: 0,
    manifestBytes: 0,
    mediaBytes: 0,
    lastError: null,
  };
  for (const x of screens) {
    const st = x.stats;
    if (st.connects.length > 0 || st.disconnects.length > 0 || x.connected) s.started++;
    if (x.connected) s.connected++;
    if (x.currentVersion !== null) s.withManifest++;
    if (x.inSync) s.inSync++;
    if (x.mediaReady) s.mediaReady++;
    s.playsRecorded += st.playsRecorded;
    s.playsSent += st.playsSent;
    s.playsAcked += st.playsAcked;
    s.playsBuffered += x.playsBuffered;
    s.alertsAcked += st.alertsAcked;
    s.reconnects += Math.max(0, st.connects.length - 1);
    s.errors += st.errors;
    s.manifestBytes += st.manifestBytes;
    s.mediaBytes += st.mediaBytes;
    if (st.lastError) s.lastError = `${x.id}: ${st.lastError}`;
  }
  return s;
}

const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;

/** The one-line live summary the `sim` command prints. */
export function formatStats(s: FleetStats, elapsedMs?: number): string {
  const t = elapsedMs === undefined ? "" : `${Math.round(elapsedMs / 1000)}s `;
  return (
    `${t}screens ${s.screens} · connected ${s.connected} · in sync ${s.inSync} · media ready ${s.mediaReady}` +
    ` · plays ${s.playsRecorded} sent ${s.playsSent} acked ${s.playsAcked} (buffered ${s.playsBuffered})` +
    ` · alerts acked ${s.alertsAcked} · reconnects ${s.reconnects} · errors ${s.errors}` +
    ` · downloaded ${mb(s.mediaBytes)} + manifests ${mb(s.manifestBytes)}`
  );
}

/** Polls `check` until it returns something other than undefined; throws after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string | (() => string),
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
