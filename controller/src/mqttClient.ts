import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from "mqtt";

export interface ControllerMqtt {
  client: MqttClient;
  /** Hands what arrived before anyone listened to the listeners there are now, in order. Once. */
  releaseHeld(): void;
}

/**
 * Connects the controller's own client. A lasting session (clean: false) makes the broker deliver
 * what it queued meanwhile (plays, acks) right after the connection is accepted, before the fleet
 * monitor has started: those messages are held and handed over when `releaseHeld` is called, never
 * acknowledged and then dropped for want of a listener.
 */
export async function connectControllerMqtt(url: string, opts: IClientOptions): Promise<ControllerMqtt> {
  const client = mqtt.connect(url, { ...opts, manualConnect: true });
  let held: [string, Buffer, IPublishPacket][] | null = [];
  const hold = (topic: string, payload: Buffer, packet: IPublishPacket) => held?.push([topic, payload, packet]);
  client.on("message", hold);
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
    releaseHeld() {
      client.off("message", hold);
      const messages = held ?? [];
      held = null;
      for (const [topic, payload, packet] of messages) client.emit("message", topic, payload, packet);
    },
  };
}
