import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { MessageHandler, Publish, Subscribe } from "./context.ts";

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
export async function connectExternal(url: string, opts: IClientOptions): Promise<ExternalLink> {
  const client = mqtt.connect(url, { ...opts, manualConnect: true });
  const handlers = new Set<{ patterns: readonly string[]; handler: MessageHandler }>();
  let held: [string, Buffer][] | null = [];
  const dispatch = (topic: string, payload: Buffer) => {
    for (const h of handlers) if (h.patterns.some((p) => topicMatches(p, topic))) h.handler(topic, payload);
  };
  client.on("message", (topic, payload) => {
    if (held) held.push([topic, payload]);
    else dispatch(topic, payload);
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      client.off("connect", onConnect);
      client.end(true);
      reject(err);
    };
    const onConnect = () => {
      client.off("error", onError);
      resolve();
    };
    client.once("connect", onConnect);
    client.once("error", onError);
    client.connect();
  });
  return {
    client,
    publish: async (topic, payload, o) => {
      await client.publishAsync(topic, payload, { qos: o.qos, retain: o.retain ?? false });
    },
    subscribe: async (patterns, handler) => {
      const entry = { patterns, handler };
      handlers.add(entry);
      await client.subscribeAsync([...patterns], { qos: 1 });
      // The broker keeps the subscription in the session (that is what queues messages while the
      // controller is away); only the handler goes.
      return async () => {
        handlers.delete(entry);
      };
    },
    releaseHeld() {
      const messages = held ?? [];
      held = null;
      for (const [topic, payload] of messages) dispatch(topic, payload);
    },
  };
}
