import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Broker } from "../broker/embedded.ts";
import type { Config } from "../config.ts";
import type { Context, Feature, MessageHandler, Publish, Subscribe } from "../context.ts";
import type { EventBus } from "../events.ts";
import type { Logger } from "../log.ts";
import { connectExternal, type ExternalLink, watchDisconnected } from "../mqttClient.ts";
import type { Store } from "../store/index.ts";

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

/**
 * The controller's MQTT: the embedded broker (the controller publishes and subscribes inside it, no
 * client of its own), or a lasting session on an external broker (fixed id, clean: false, so the
 * broker keeps the controller's subscriptions and queues what screens send while it is away).
 * Started first and stopped last of the features that use it.
 */
export class MqttLink implements Feature {
  readonly name = "mqtt";
  private broker: Broker | null = null;
  private external: ExternalLink | null = null;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly deps: { config: Config; store: Store; log: Logger; bus: EventBus; fatal: Context["fatal"] },
  ) {}

  async start(): Promise<void> {
    const { config, store, log, bus } = this.deps;
    if (config.mqtt) {
      const { url, disconnectedExitMs } = config.mqtt;
      const link = await connectExternal(
        url,
        {
          clientId: config.mqtt.clientId,
          username: config.mqtt.username,
          password: config.mqtt.password,
          clean: false,
          connectTimeout: 10_000,
        },
        { giveUpMs: disconnectedExitMs },
      );
      this.external = link;
      link.client.on("error", (err) => log.warn({ err: err.message }, "controller mqtt error"));
      // refusals and lost links are retried with back-off (connectExternal); a broker gone for too long
      // ends the controller, so the service manager restarts it and the journal says why
      if (disconnectedExitMs > 0) {
        this.offs.push(
          watchDisconnected(link.client, disconnectedExitMs, (downMs) =>
            this.deps.fatal(
              `no MQTT broker at ${url} for ${Math.round(downMs / 1000)} s (MQTT_DISCONNECTED_EXIT_S): exiting for the service manager to restart the controller`,
            ),
          ),
        );
      }
      // A broker that comes back without our session lost its state (restarted without persistence).
      link.client.on("connect", (connack) => {
        if (connack.sessionPresent) {
          bus.emit("mqtt-session-resumed", {});
          return;
        }
        log.warn("mqtt broker lost the controller's session: republishing retained manifests and alerts");
        bus.emit("mqtt-session-lost", {});
      });
    } else {
      const broker = new Broker(store, log);
      await broker.start(config.host, config.mqttPort);
      this.broker = broker;
      this.offs.push(
        bus.on("screen-access-changed", (e) => broker.disconnectScreen(e.screenId, { revoke: e.revoked ?? false })),
      );
    }
  }

  /** Messages an external broker delivered before the fleet monitor subscribed go to it now. */
  started(): void {
    this.external?.releaseHeld();
  }

  async stop(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    await this.external?.client.endAsync();
    await this.broker?.stop();
  }

  publish: Publish = (topic, payload, opts) => this.link().publish(topic, payload, opts);

  subscribe: Subscribe = (patterns: readonly string[], handler: MessageHandler) =>
    this.link().subscribe(patterns, handler);

  /** Whether the controller can reach its broker now (always, when it is embedded). */
  connected(): boolean {
    return this.external ? this.external.client.connected : this.broker !== null;
  }

  /** Screens connected to the embedded broker; null on an external broker, which does not say. */
  connectedScreens(): number | null {
    return this.broker?.connectedScreens() ?? null;
  }

  /** TCP port of the embedded broker; null when external. */
  get port(): number | null {
    return this.broker?.port ?? null;
  }

  /** `/mqtt` WebSocket upgrades of the HTTP server, for the embedded broker. */
  upgrade: UpgradeHandler = (req, socket, head) => this.broker?.handleUpgrade(req, socket, head) ?? false;

  private link(): Pick<Broker, "publish" | "subscribe"> {
    const l = this.broker ?? this.external;
    if (!l) throw new Error("mqtt is not started");
    return l;
  }
}
