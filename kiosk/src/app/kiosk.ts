import { type ClockState, INITIAL_CLOCK, observeBeacon, type PlayRecord, screenClientId } from "@gatecast/playlists";
import { effect } from "@preact/signals";
import { iso, type KioskClock, testHooksOn } from "../clock.ts";
import { openStoreOrMemory } from "../store/idb.ts";
import { Agent } from "../sync/agent.ts";
import { nextDelay, sleep } from "../sync/backoff.ts";
import { DisplayHook, displayHookUrl } from "../sync/display-hook.ts";
import type { ErrorKind } from "../sync/heartbeat.ts";
import { restoreGateAlerts, restoreManifest, storedGateAlerts } from "../sync/manifests.ts";
import { cacheStorageMediaStore, sha256Hex } from "../sync/media-cache.ts";
import { browserFetchBytes } from "../sync/media-sync.ts";
import { mqttTransport } from "../sync/mqtt-transport.ts";
import { type Credentials, pairingApi, resolveWsUrl, runPairing } from "../sync/pairing.ts";
import { RepairPolicy } from "../sync/repair.ts";
import { APP_VERSION } from "../version.ts";
import { preloadFonts } from "./fonts.ts";
import { lastFrameAt, startFrames } from "./frames.ts";
import { Player } from "./player.ts";
import { captureScreen, uploadScreenshot } from "./screenshot.ts";
import { services } from "./services.ts";
import { alerts, display, identify, now, paging, phase, program, slot, sync } from "./state.ts";
import { setupUpdates } from "./updates.ts";

const IDENTIFY_MS = 10_000;

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

type MqttConnect = typeof import("mqtt").connect;

/**
 * mqtt.js is the biggest dependency: it loads after the first paint (it is precached all the same).
 * Its browser ES build has only a default export (the CommonJS module object).
 */
async function importMqtt(): Promise<MqttConnect> {
  for (let attempt = 0; ; attempt++) {
    try {
      const mod = (await import("mqtt")) as Partial<typeof import("mqtt")> & { default?: { connect?: MqttConnect } };
      const connect = mod.connect ?? mod.default?.connect;
      if (typeof connect !== "function") throw new Error("mqtt.js has no connect()");
      return connect;
    } catch {
      await sleep(nextDelay(attempt, Math.random()));
    }
  }
}

/**
 * Start-up: pair if needed, restore the verified manifest and alerts, start the player at once (it needs
 * no network), then connect.
 */
export async function startKiosk(clock: KioskClock): Promise<void> {
  services.clock = clock;
  const early: [ErrorKind, string][] = [];
  let agent: Agent | null = null;
  const report = (kind: ErrorKind, message: string) => {
    if (agent) agent.reportError(kind, message);
    else if (early.length < 50) early.push([kind, message]);
  };
  services.report = report;
  window.addEventListener("error", (e) => report("uncaught", `${e.message} (${e.filename}:${e.lineno})`));
  window.addEventListener("unhandledrejection", (e) =>
    report("uncaught", `unhandled rejection: ${describe(e.reason)}`),
  );

  now.value = clock.now();
  setInterval(() => {
    now.value = clock.now();
  }, 250);
  startFrames(clock);
  const updates = setupUpdates((m) => report("uncaught", m));
  void navigator.storage?.persist?.().catch(() => false);

  const store = await openStoreOrMemory((m) => report("storage", m));
  const hookUrl = displayHookUrl(location.search);
  const hook = hookUrl
    ? new DisplayHook({
        url: hookUrl,
        fetch: (input, init) => fetch(input, init),
        now: () => performance.now(),
        onError: (m) => report("playback", m),
      })
    : null;

  // 1. who am I
  const loaded = await store
    .loadCredentials()
    .catch((e: unknown) => ({ state: "corrupt" as const, reason: describe(e) }));
  let credentials: Credentials;
  if (loaded.state === "ok") credentials = loaded.value;
  else {
    if (loaded.state === "corrupt")
      report("storage", `stored credentials unreadable (${loaded.reason}): pairing again`);
    phase.value = { kind: "pairing", view: { kind: "requesting", offline: false } };
    credentials = await runPairing({
      api: pairingApi(location.origin, (input, init) => fetch(input, init)),
      now: () => clock.now(),
      load: () => store.loadPairing(),
      save: (p) => store.savePairing(p),
      onView: (view) => {
        phase.value = { kind: "pairing", view };
      },
    });
    await store
      .saveCredentials(credentials)
      .catch((e: unknown) => report("storage", `saving credentials: ${describe(e)}`));
  }
  const screenId = credentials.screenId;
  phase.value = { kind: "paired", screenId };

  // 2. what I was playing (verified again: a kiosk shows nothing it could not verify)
  const rawManifest = await store.loadManifest().catch(() => undefined);
  const current = rawManifest === undefined ? null : await restoreManifest(rawManifest, credentials.jwks, screenId);
  if (rawManifest !== undefined && !current) {
    report("storage", "stored manifest failed verification: waiting for a new one");
    await store.clearKey("manifest").catch(() => undefined);
  }
  const rawAlerts = await store.loadGateAlerts().catch(() => undefined);
  const gateAlerts = rawAlerts === undefined ? null : await restoreGateAlerts(rawAlerts, credentials.jwks);
  sync.value = { connected: false, current, pending: null, media: { ready: 0, total: 0 }, gateAlerts };

  // 3. play
  let reloadRequested = false;
  const recordPlay = (r: PlayRecord): Promise<void> =>
    agent ? agent.recordPlay(r) : store.plays.add(r).catch((e: unknown) => report("storage", describe(e)));
  const reload = async (why: string) => {
    const open = player.close();
    if (open) await Promise.race([recordPlay(open), sleep(1_000)]);
    console.info(`gatecast: reloading (${why})`);
    location.reload();
  };
  const player = new Player({
    clock,
    program: () => program.peek(),
    covered: () => {
      const i = identify.peek();
      return i !== null && clock.now() < i.until;
    },
    newId: () => crypto.randomUUID(),
    onSlot: (s) => {
      slot.value = s;
    },
    onAlerts: (a) => {
      alerts.value = a;
    },
    onPlay: (r) => void recordPlay(r),
    onBoundary: ({ criticalAlert }) => {
      if (reloadRequested) void reload("reload command");
      else if (updates.waiting && !criticalAlert) updates.apply();
    },
    onStuck: () => {
      report("playback", "watchdog: no item change for 3× the longest item; reloading");
      void reload("watchdog");
    },
    onDisplay: (d) => {
      display.value = d;
      void hook?.want(d === "on" ? "on" : "off");
    },
  });
  const safeTick = () => {
    try {
      player.tick();
    } catch (e) {
      report("playback", `player: ${describe(e)}`);
    }
  };
  // A new manifest or gate alert acts at once, not at the next 250 ms tick: an urgent notice is up as
  // soon as it is verified.
  effect(() => {
    program.value;
    safeTick();
  });
  setInterval(safeTick, 250);
  // after a restart the panel may still be asleep from the night before (or awake at night)
  void hook?.want(player.display === "on" ? "on" : "off");
  let clockState: ClockState = INITIAL_CLOCK;
  setInterval(() => {
    player.watchdog();
    // nothing playing, so no item boundary will come: act now
    if (slot.peek() === null) {
      if (reloadRequested) void reload("reload command");
      else if (updates.waiting && !alerts.peek().some((a) => a.severity === "critical")) updates.apply();
    }
  }, 5_000);
  window.addEventListener("pagehide", () => {
    const open = player.close();
    if (open) void recordPlay(open);
  });

  // 4. connect
  const connect = await importMqtt();
  const repair = new RepairPolicy();
  agent = new Agent(
    {
      credentials,
      wsUrl: resolveWsUrl(credentials.mqtt.wsUrl, location.origin),
      clientId: screenClientId(screenId, crypto.randomUUID().slice(0, 8)),
      origin: location.origin,
      clock,
      appVersion: APP_VERSION,
      heartbeatMs: heartbeatInterval(testHooksOn() ? location.search : ""),
      random: Math.random,
      transport: mqttTransport(connect),
      storage: {
        saveManifest: (envelope) => store.saveManifest(envelope),
        saveGateAlerts: (held) => store.saveGateAlerts(held ? storedGateAlerts(held) : null),
      },
      plays: store.plays,
      media: cacheStorageMediaStore(caches),
      fetchBytes: browserFetchBytes((input, init) => fetch(input, init)),
      digest: sha256Hex,
      probe: {
        nowPlaying: () => player.nowPlaying,
        lastFrameAt,
        storage: async () => {
          const s = navigator.storage;
          if (!s?.estimate) return null;
          const est = await s.estimate();
          const persisted = (await s.persisted?.().catch(() => false)) ?? false;
          return { usageBytes: est.usage ?? 0, quotaBytes: est.quota ?? 0, persisted };
        },
        usedJsHeapBytes: () =>
          (performance as Performance & { memory?: { usedJSHeapSize?: number } }).memory?.usedJSHeapSize ?? null,
        uptimeMs: () => performance.now(),
        display: () => player.display,
        panelPower: async () => (hook ? hook.refresh() : null),
        viewport: () => ({ width: window.innerWidth, height: window.innerHeight }),
        paging: () => paging.value,
        clock: () => ({
          source: clock.source,
          correctionMs: clock.correctionMs,
          beaconAt: clockState.beaconAt === null ? null : iso(clockState.beaconAt),
          rttMs: clockState.rttMs,
        }),
      },
      onTimeBeacon: (b) => {
        if (clock.source === "test") return;
        const d = observeBeacon(clockState, {
          receivedWall: Date.now(),
          receivedMono: b.receivedMono,
          beaconNow: b.now,
          rttMs: b.rttMs,
          seq: b.seq,
        });
        clockState = d.state;
        if (d.kind === "applied") {
          clock.correct(d.state.correctionMs);
          if (Math.abs(d.stepMs) >= 1_000) console.info(`gatecast: clock corrected by ${-d.stepMs} ms`);
        }
      },
      commands: {
        reload: async () => {
          if (program.peek()) reloadRequested = true;
          else setTimeout(() => void reload("reload command"), 1_000);
        },
        identify: async () => {
          identify.value = { until: clock.now() + IDENTIFY_MS };
        },
        screenshot: async () => {
          const blob = await captureScreen();
          await uploadScreenshot(blob, {
            origin: location.origin,
            screenId,
            username: credentials.mqtt.username,
            password: credentials.mqtt.password,
            fetch: (input, init) => fetch(input, init),
          });
        },
      },
      beforeSwitch: preloadFonts,
      appUpdate: () => updates.fetch(),
      onChange: (snapshot) => {
        sync.value = snapshot;
      },
      onConnect: () => {
        repair.connected();
        updates.check();
      },
      // The controller may no longer know this screen: decided from the CONNACK code, never its text.
      onRefused: (code) => {
        if (repair.refused(code, !!sync.peek()?.current)) void store.forgetScreen().then(() => location.reload());
      },
      log: (m) => console.warn(`gatecast: ${m}`),
    },
    { current, gateAlerts },
  );
  for (const [kind, message] of early.splice(0)) agent.reportError(kind, message);
  services.alertShown = (id) => agent?.alertsShown([id]);
  agent.start();
  const a = agent;
  window.addEventListener("online", () => a.connection.retryNow());
}

/** 30 s, or `?heartbeat=<ms>` (at least 1 s; a test hook) so tests see changes sooner. */
export function heartbeatInterval(search: string): number {
  const asked = Number(new URLSearchParams(search).get("heartbeat"));
  return Number.isFinite(asked) && asked >= 1_000 ? asked : 30_000;
}
