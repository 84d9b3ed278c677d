import type { IClientOptions, MqttClient } from "mqtt";
import type { MqttTransport, TransportFactory } from "./connection.ts";

type Connect = (url: string, opts: IClientOptions) => MqttClient;

/**
 * A TransportFactory over mqtt.js. `connect` is passed in (the browser imports mqtt lazily; the
 * simulator imports it in Node). The client never reconnects by itself: `Connection` does.
 */
export function mqttTransport(connect: Connect): TransportFactory {
  return (opts) => {
    const client = connect(opts.url, {
      clientId: opts.clientId,
      username: opts.username,
      password: opts.password,
      protocolVersion: 4,
      clean: true,
      // the broker drops a silent connection after 1.5 keep-alives and publishes the will: a cut
      // network shows as offline on the dashboard within 15 s (DESIGN.md, "Fleet states")
      keepalive: 10,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      will: { topic: opts.will.topic, payload: opts.will.payload, qos: opts.will.qos, retain: opts.will.retain },
    });
    const transport: MqttTransport = {
      on(h) {
        client.on("connect", () => h.connect());
        client.on("close", () => h.close());
        // mqtt.js puts a refused CONNACK's return code on the error as `code`
        client.on("error", (e) => {
          const code = (e as { code?: unknown }).code;
          h.error(typeof code === "number" ? Object.assign(new Error(e.message), { reasonCode: code }) : e);
        });
        client.on("message", (topic, payload) => h.message(topic, payload));
      },
      async publish(topic, payload, o) {
        await client.publishAsync(topic, payload, { qos: o.qos, retain: o.retain });
      },
      async subscribe(topics) {
        await client.subscribeAsync([...topics], { qos: 1 });
      },
      async unsubscribe(topics) {
        await client.unsubscribeAsync([...topics]);
      },
      reconnect() {
        client.reconnect();
      },
      async end() {
        await client.endAsync(true);
      },
    };
    return transport;
  };
}
