import { type Backoff, nextDelay } from "@gatecast/playlists";
import mqtt, { type IClientOptions, type ISubscriptionMap, type MqttClient } from "mqtt";
import { type MessageHandler, type Publish, payloadBuffer, type Subscribe } from "./context.ts";

/** Whether an MQTT topic matches a subscription pattern with `+` and `#` wildcards. */
export function topicMatches(pattern: string, topic: string): boolean {
  const p = pattern.split("/");
  const t = topic.split("/");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === "#") return true; // the parent level too: `a/#` matches `a`
    if (i >= t.length || (p[i] !== "+" && p[i] !== t[i])) return false;
  }
  return p.length === t.length;
}

/** The external broker could not be reached, or refused the controller, at start. */
export class BrokerUnavailableError extends Error {}

/** The controller retrying its broker: from 1 s, doubling to 15 s (one client: no herd to spread). */
export const BROKER_BACKOFF: Backoff = { baseMs: 1_000, maxMs: 15_000, jitter: 0.3 };

/**
 * Calls `giveUp` once the link has been down for `limitMs` without a break, and not again until it
 * has come back and gone down again. Returns what stops watching.
 */
export function watchDisconnected(client: MqttClient, limitMs: number, giveUp: (downMs: number) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const down = () => {
    if (timer || client.connected) return;
    const since = Date.now();
    timer = setTimeout(() => giveUp(Date.now() - since), limitMs);
  };
  const up = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  client.on("close", down);
  client.on("offline", down);
  client.on("connect", up);
  if (!client.connected) down();
  return () => {
    up();
    client.off("close", down);
    client.off("offline", down);
    client.off("connect", up);
  };
}

export interface ExternalLink {
  client: MqttClient;
  publish: Publish;
  subscribe: Subscribe;
  /** Hands what arrived before anyone subscribed to the subscriptions there are now, in order. Once. */
  releaseHeld(): void;
}

/**
 * The controller's client to an external broker. A lasting session (clean: false) makes the broker
 * deliver what it queued meanwhile (plays, acks) right after the connection is accepted, before the
 * fleet monitor has subscribed: those messages are held and handed over by `releaseHeld`, never
 * acknowledged and then dropped for want of a handler.
 */
export async function connectExternal(
  url: string,
  opts: IClientOptions,
  limits: { giveUpMs?: number; random?: () => number } = {},
): Promise<ExternalLink> {
  const random = limits.random ?? Math.random;
  // Every refusal is retried too (a broker that restarts may refuse logins until its password file is
  // read), with back-off: mqtt.js waits `reconnectPeriod` before each retry, so it grows per attempt.
  const client = mqtt.connect(url, {
    ...opts,
    reconnectOnConnackError: true,
    reconnectPeriod: nextDelay(0, random(), BROKER_BACKOFF),
    manualConnect: true,
  });
  let attempt = 0;
  client.on("reconnect", () => {
    attempt += 1;
    client.options.reconnectPeriod = nextDelay(attempt, random(), BROKER_BACKOFF);
  });
  client.on("connect", () => {
    attempt = 0;
    client.options.reconnectPeriod = nextDelay(0, random(), BROKER_BACKOFF);
  });
  const handlers = new Map<MessageHandler, readonly string[]>();
  let held: [string, Buffer, boolean][] | null = [];
  const dispatch = (topic: string, payload: Buffer, retained: boolean) => {
    for (const [handler, patterns] of handlers)
      if (patterns.some((p) => topicMatches(p, topic))) handler(topic, payload, retained);
  };
  client.on("message", (topic, payload, packet) => {
    if (held) held.push([topic, payload, packet.retain]);
    else dispatch(topic, payload, packet.retain);
  });
  // At start a refused login fails at once (a wrong password is for a person to fix); a broker that
  // does not answer is waited for, up to `giveUpMs`.
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => {
      clearTimeout(timer);
      client.off("connect", onConnect);
      client.off("error", fail);
      client.end(true);
      reject(new BrokerUnavailableError(`MQTT broker ${url}: ${err.message}`));
    };
    const onConnect = () => {
      clearTimeout(timer);
      client.off("error", fail);
      resolve();
    };
    const timer = limits.giveUpMs
      ? setTimeout(
          () => fail(new Error(`no answer for ${Math.round((limits.giveUpMs ?? 0) / 1000)} s`)),
          limits.giveUpMs,
        )
      : undefined;
    client.once("connect", onConnect);
    client.once("error", fail);
    client.connect();
  });
  return {
    client,
    publish: async (topic, payload, o) => {
      await client.publishAsync(topic, payloadBuffer(payload), { qos: o.qos, retain: o.retain ?? false });
    },
    subscribe: async (patterns, handler) => {
      handlers.set(handler, patterns);
      // Always sent, even when the session has it: the broker then replaces the subscription and sends
      // the retained messages again (how the fleet monitor finds stray ones).
      const map: ISubscriptionMap = Object.fromEntries(patterns.map((p) => [p, { qos: 1 }]));
      map.resubscribe = true;
      await client.subscribeAsync(map);
      // The broker keeps the subscription in the session (that is what queues messages while the
      // controller is away); only the handler goes.
      return async () => {
        handlers.delete(handler);
      };
    },
    releaseHeld() {
      const messages = held ?? [];
      held = null;
      for (const [topic, payload, retained] of messages) dispatch(topic, payload, retained);
    },
  };
}
