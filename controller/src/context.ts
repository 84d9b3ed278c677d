import type { MqttClient } from "mqtt";
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
  /** The controller's own MQTT client (to the embedded broker or MQTT_URL): fleet subscriptions. */
  mqtt: MqttClient;
  /** Publishes as the controller: straight into the embedded broker, or through `mqtt` to an external one. */
  publish: Publish;
}

export type Publish = (topic: string, payload: string, opts: { qos: 0 | 1; retain?: boolean }) => Promise<void>;

/** A unit of the controller, started in order and stopped in reverse. */
export interface Feature {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}
