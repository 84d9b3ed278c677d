import { bootstrap } from "./bootstrap.ts";
import { Broker } from "./broker/embedded.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Context, Feature } from "./context.ts";
import { EventBus } from "./events.ts";
import { Commands } from "./features/commands.ts";
import { FleetMonitor } from "./features/fleet.ts";
import { Metrics } from "./features/metrics.ts";
import { Pairings } from "./features/pairing.ts";
import { Publisher } from "./features/publisher.ts";
import { createApp, type HttpServer, listen } from "./http/server.ts";
import { loadOrCreateKeyRing } from "./keys.ts";
import { createLogger, type Logger } from "./log.ts";
import { connectExternal, type ExternalLink } from "./mqttClient.ts";
import type { Services } from "./services.ts";
import { Store } from "./store/index.ts";

export interface Controller {
  ctx: Context;
  services: Services;
  /** Bound ports (useful when 0 was asked for). */
  httpPort: number;
  mqttPort: number | null;
  baseUrl: string;
  /** Set on a first start without GATECAST_ADMIN_PASSWORD: shown once, never logged. */
  generatedAdminPassword: string | null;
  stop(): Promise<void>;
}

export interface ControllerOptions {
  clock?: Clock;
  log?: Logger;
}

const loopback = (host: string) => (host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host);

/**
 * Starts the controller: store, signing key, broker (embedded unless MQTT_URL), the controller's MQTT
 * client, the features, then HTTP. Stops in reverse. One place to read to see how it all fits.
 */
export async function startController(config: Config, opts: ControllerOptions = {}): Promise<Controller> {
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  const store = await Store.open(config.dataDir);
  const stack: { name: string; stop: () => Promise<void> | void }[] = [{ name: "store", stop: () => store.close() }];
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
    const keys = await loadOrCreateKeyRing(config.dataDir);
    const bus = new EventBus();
    const first = await bootstrap({ config, store, log, clock });

    // Embedded: the controller publishes and subscribes inside the broker, no client of its own.
    // External: a lasting session (fixed id, clean: false), so the broker keeps the controller's
    // subscriptions and queues what screens send while it is away.
    let broker: Broker | null = null;
    let external: ExternalLink | null = null;
    let link: Pick<Context, "publish" | "subscribe">;
    if (config.mqtt) {
      const client = await connectExternal(config.mqtt.url, {
        clientId: config.mqtt.clientId,
        username: config.mqtt.username,
        password: config.mqtt.password,
        clean: false,
        reconnectPeriod: 1000,
        connectTimeout: 10_000,
      });
      external = client;
      link = client;
      client.client.on("error", (err) => log.warn({ err: err.message }, "controller mqtt error"));
      stack.push({ name: "mqtt", stop: () => client.client.endAsync() });
    } else {
      const b = new Broker(store, log);
      broker = b;
      link = b;
      await b.start(config.host, config.mqttPort);
      stack.push({ name: "broker", stop: () => b.stop() });
    }
    const ctx: Context = {
      config,
      store,
      bus,
      log,
      clock,
      keys,
      publish: link.publish,
      subscribe: link.subscribe,
      mqttConnected: () => external?.client.connected ?? true,
    };
    const metrics = new Metrics();
    let httpPort = config.port;
    const pairings = new Pairings(ctx, (origin) => ({
      url: config.mqtt?.url ?? `mqtt://${new URL(origin).hostname}:${broker?.port ?? config.mqttPort}`,
      wsUrl: config.mqtt?.wsUrl ?? `${origin.replace(/^http/, "ws")}/mqtt`,
    }));
    const services: Services = {
      publisher: new Publisher(ctx),
      pairings,
      commands: new Commands(ctx),
      metrics,
      broker,
    };

    if (broker) {
      const b = broker;
      bus.on("credentials-changed", (e) => b.disconnectScreen(e.screenId));
    } else {
      // A broker that comes back without our session lost its state (restarted without persistence):
      // put back the retained manifests and gate alerts screens need when they connect.
      external?.client.on("connect", (connack) => {
        if (connack.sessionPresent) return;
        log.warn("mqtt broker lost the controller's session: republishing retained manifests and alerts");
        void services.publisher.republishRetained().catch((err: unknown) => log.error({ err }, "republish failed"));
      });
    }
    const features: Feature[] = [services.publisher, new FleetMonitor(ctx, metrics)];
    for (const f of features) {
      await f.start();
      stack.push({ name: f.name, stop: () => f.stop() });
    }
    external?.releaseHeld();

    const { app } = createApp(ctx, services);
    const http: HttpServer = await listen(ctx, app, broker ? broker.handleUpgrade : null);
    httpPort = http.port;
    stack.push({ name: "http", stop: () => http.close() });

    const baseUrl = config.publicUrl ?? `http://${loopback(config.host)}:${httpPort}`;
    return {
      ctx,
      services,
      httpPort,
      mqttPort: broker?.port ?? null,
      baseUrl,
      generatedAdminPassword: first.generatedAdminPassword,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
