import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { EventBus } from "./events.ts";
import type { KeyRing } from "./keys.ts";
import type { Logger } from "./log.ts";
import type { Store } from "./store/index.ts";

/** What every feature gets: one object, so a feature's constructor never grows a long argument list. */
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
}

export type Publish = (topic: string, payload: string, opts: { qos: 0 | 1; retain?: boolean }) => Promise<void>;

export type MessageHandler = (topic: string, payload: Buffer) => void;

/**
 * Subscribes to topic patterns (`+`, `#`); resolves, once subscribed, to what removes the handler. On
 * an external broker the subscription itself stays in the controller's lasting session.
 */
export type Subscribe = (patterns: readonly string[], handler: MessageHandler) => Promise<() => Promise<void>>;

/** A unit of the controller, started in order and stopped in reverse. */
export interface Feature {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}
