import { type AdminCreated, bootstrap } from "./bootstrap.ts";
import { type Clock, systemClock, testClock } from "./clock.ts";
import { type Config, checkServeSettings } from "./config.ts";
import type { Context, Feature } from "./context.ts";
import { EventBus } from "./events.ts";
import { ScreenClocks } from "./features/clocks.ts";
import { FleetMonitor } from "./features/fleet.ts";
import { FleetHealth } from "./features/fleetHealth.ts";
import { Incidents } from "./features/incidents.ts";
import { Metrics } from "./features/metrics.ts";
import { MqttLink } from "./features/mqtt.ts";
import { Pairings } from "./features/pairing.ts";
import { PlayRollup } from "./features/playRollup.ts";
import { Publisher } from "./features/publisher.ts";
import { RetainedCleaner } from "./features/retainedClears.ts";
import { StoreHealth } from "./features/storeHealth.ts";
import { HttpServer } from "./http/server.ts";
import { loadOrCreateKeyRing } from "./keys.ts";
import { createLogger, type Logger } from "./log.ts";
import { Notifier } from "./notify/notifier.ts";
import { SiteBuilder } from "./site/feature.ts";
import { takeStore } from "./store/take.ts";

/** The features, in start order (stopped in reverse). */
export interface Features {
  storeHealth: StoreHealth;
  mqtt: MqttLink;
  metrics: Metrics;
  pairings: Pairings;
  publisher: Publisher;
  fleet: FleetMonitor;
  playRollup: PlayRollup;
  retainedClears: RetainedCleaner;
  health: FleetHealth;
  clocks: ScreenClocks;
  notifier: Notifier;
  incidents: Incidents;
  site: SiteBuilder;
  http: HttpServer;
}

export interface Controller {
  ctx: Context;
  features: Features;
  /** Bound ports (useful when 0 was asked for). */
  httpPort: number;
  mqttPort: number | null;
  baseUrl: string;
  /** Set on a first start without GATECAST_ADMIN_PASSWORD: shown once, never logged. */
  generatedAdminPassword: string | null;
  /** Set on a first start: the `admin` account was made, with a password from the environment or generated. */
  adminCreated: AdminCreated | null;
  /** Settles when the controller can no longer do its work (see `Context.fatal`): stop it and exit non-zero. */
  failed: Promise<Error>;
  stop(): Promise<void>;
}

export interface ControllerOptions {
  clock?: Clock;
  log?: Logger;
  /** Begin an empty store even beside an existing signing key (`gatecast start --new-store`). */
  allowNewStore?: boolean;
  /** How often the store's integrity is checked in the background (default daily). */
  storeCheckEveryMs?: number;
}

const loopback = (host: string) => (host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host);

/**
 * Starts the controller: DATA_DIR locked and its store checked and opened, the signing key, the
 * first-start content, then each feature in order (store health, MQTT, metrics, pairings, publisher,
 * fleet monitor, retained clears, HTTP). Stops in reverse. One place to read to see how it all fits.
 */
export async function startController(config: Config, opts: ControllerOptions = {}): Promise<Controller> {
  checkServeSettings(config);
  const log = opts.log ?? createLogger(config.logLevel);
  // GATECAST_TEST_CLOCK (with GATECAST_TEST_HOOKS=1): tests run controller and kiosks on one clock
  const clock = opts.clock ?? (config.testClock ? testClock(config.testClock) : systemClock);
  let failWith: (e: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => {
    failWith = resolve;
  });
  let failure: Error | null = null;
  const fatal = (message: string, err?: unknown) => {
    if (failure) return;
    failure = new Error(message);
    log.fatal(err === undefined ? {} : { err }, message);
    failWith(failure);
  };
  const { store, lock, check } = await takeStore(config.dataDir, {
    allowNewStore: opts.allowNewStore ?? false,
    now: clock.now(),
  });
  log.info({ result: check.result, ms: check.ms }, "store quick_check");
  const stack: { name: string; stop: () => Promise<void> | void }[] = [
    { name: "lock", stop: () => lock.release() },
    { name: "store", stop: () => store.close() },
  ];
  const stopAll = async () => {
    for (const s of stack.reverse()) {
      try {
        await s.stop();
      } catch (err) {
        log.error({ err, feature: s.name }, "stop failed");
      }
    }
    stack.length = 0;
  };

  try {
    const partials = await store.media.clearPartials();
    if (partials > 0) log.warn({ files: partials }, "partial uploads left by a stop removed from media/tmp");
    const keys = await loadOrCreateKeyRing(config.dataDir);
    const bus = new EventBus(log);
    const mqtt = new MqttLink({ config, store, log, bus, fatal });
    const late: { health?: FleetHealth; notifier?: Notifier; incidents?: Incidents } = {};
    const metrics = new Metrics({
      bus,
      store,
      connectedScreens: () => mqtt.connectedScreens(),
      lastPublish: () => features.publisher.lastRun,
      judge: () => late.health?.all() ?? [],
    });
    const pairings = new Pairings({ clock, store, bus, keys }, (origin) => ({
      url: config.mqtt?.url ?? `mqtt://${new URL(origin).hostname}:${mqtt.port ?? config.mqttPort}`,
      wsUrl: config.mqtt?.wsUrl ?? `${origin.replace(/^http/, "ws")}/mqtt`,
    }));
    const storeHealth = new StoreHealth({ config, log, clock, fatal }, check, opts.storeCheckEveryMs);
    // fleet health, the notifier and the incident rules are read by routes too: the context names them
    const must = <T>(x: T | undefined, name: string): T => {
      if (!x) throw new Error(`${name} is not set up yet`);
      return x;
    };
    const ctx: Context = {
      config,
      store,
      bus,
      log,
      clock,
      keys,
      publish: mqtt.publish,
      subscribe: mqtt.subscribe,
      mqttConnected: () => mqtt.connected(),
      fatal,
      metrics,
      pairings,
      storeHealth,
      get health() {
        return must(late.health, "fleet health");
      },
      get notifier() {
        return must(late.notifier, "notifier");
      },
      get incidents() {
        return must(late.incidents, "incidents");
      },
    };
    late.health = new FleetHealth(ctx);
    late.notifier = new Notifier(ctx, (i) => ctx.incidents.describe(i));
    late.incidents = new Incidents(ctx, late.health, late.notifier);
    const first = await bootstrap(ctx);

    const features: Features = {
      storeHealth,
      mqtt,
      metrics,
      pairings,
      publisher: new Publisher(ctx),
      fleet: new FleetMonitor(ctx),
      playRollup: new PlayRollup(ctx),
      retainedClears: new RetainedCleaner(ctx),
      health: late.health,
      clocks: new ScreenClocks(ctx),
      notifier: late.notifier,
      incidents: late.incidents,
      site: new SiteBuilder(ctx),
      http: new HttpServer(ctx, mqtt.upgrade),
    };
    const list: Feature[] = Object.values(features);
    for (const f of list) {
      await f.start();
      stack.push({ name: f.name, stop: () => f.stop() });
    }
    for (const f of list) f.started?.();

    const httpPort = features.http.port;
    const baseUrl = config.publicUrl ?? `http://${loopback(config.host)}:${httpPort}`;
    return {
      ctx,
      features,
      httpPort,
      mqttPort: mqtt.port,
      baseUrl,
      generatedAdminPassword: first.generatedAdminPassword,
      adminCreated: first.adminCreated,
      failed,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
