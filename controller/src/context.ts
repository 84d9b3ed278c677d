import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { EventBus } from "./events.ts";
import type { FleetHealth } from "./features/fleetHealth.ts";
import type { Incidents } from "./features/incidents.ts";
import type { Metrics } from "./features/metrics.ts";
import type { Pairings } from "./features/pairing.ts";
import type { StoreHealth } from "./features/storeHealth.ts";
import type { KeyRing } from "./keys.ts";
import type { Logger } from "./log.ts";
import type { Notifier } from "./notify/notifier.ts";
import type { Store } from "./store/index.ts";

/**
 * What every feature and use case gets: one object, so nothing grows a long argument list. The
 * features it names (MQTT through `publish`/`subscribe`, metrics, pairings) are started and stopped in
 * the controller's one loop.
 */
export interface Context {
  config: Config;
  store: Store;
  bus: EventBus;
  log: Logger;
  clock: Clock;
  keys: KeyRing;
  /** Publishes as the controller: straight into the embedded broker, or through its client to MQTT_URL. */
  publish: Publish;
  /** The controller's subscriptions, the same two ways. */
  subscribe: Subscribe;
  /** Whether the controller can reach its broker now (always, when it is embedded). */
  mqttConnected(): boolean;
  metrics: Metrics;
  /** Open pairings (in memory) and screen credentials. */
  pairings: Pairings;
  /** The store's last integrity check, for `/healthz`. */
  storeHealth: StoreHealth;
  /**
   * The controller cannot go on (its store is corrupt, its broker gone too long): logs `message` as one
   * fatal line and ends the process non-zero, so the service manager restarts it. Only the first counts.
   */
  fatal(message: string, err?: unknown): void;
  /** What is true of each screen now: online, dark by schedule, frozen, … */
  readonly health: FleetHealth;
  /** Notification channels and sending. */
  readonly notifier: Notifier;
  /** The incident rules, their settings and acknowledgements. */
  readonly incidents: Incidents;
}

export type Publish = (
  topic: string,
  payload: string | Uint8Array,
  opts: { qos: 0 | 1; retain?: boolean },
) => Promise<void>;

/** A payload as a Buffer, without copying bytes that are bytes already. */
export const payloadBuffer = (payload: string | Uint8Array): Buffer =>
  typeof payload === "string"
    ? Buffer.from(payload)
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);

/** `retained`: the broker kept this message and replays it on (re)subscribing; it may be old. */
export type MessageHandler = (topic: string, payload: Buffer, retained: boolean) => void;

/**
 * Subscribes to topic patterns (`+`, `#`); resolves, once subscribed, to what removes the handler. On
 * an external broker the subscription itself stays in the controller's lasting session. Subscribing
 * the same handler again registers it once; on an external broker it makes the broker replay the
 * retained messages.
 */
export type Subscribe = (patterns: readonly string[], handler: MessageHandler) => Promise<() => Promise<void>>;

/** A unit of the controller, started in order and stopped in reverse. */
export interface Feature {
  readonly name: string;
  start(): Promise<void> | void;
  /** Called once every feature has started. */
  started?(): void;
  stop(): Promise<void> | void;
}
