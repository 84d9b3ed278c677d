import { topics } from "@gatecast/playlists";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  capturingLogger,
  startTestController,
  TestClock,
  type TestController,
  waitFor,
} from "../../controller/src/testing/harness.ts";

/**
 * A kiosk with a bug (or a hostile one) sends garbage as fast as it can. Each bad message is counted
 * and dropped; the log gets one line per screen and minute, saying how many it held back, instead of
 * one line each (10,000 messages once wrote 1.7 MB).
 */
describe("a flood of malformed MQTT messages", () => {
  const clock = new TestClock();
  const capture = capturingLogger("warn");
  let t: TestController;
  const clients: MqttClient[] = [];
  beforeAll(async () => {
    t = await startTestController({ clock, log: capture.log });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await t.stop();
  });

  const connect = async (screenId: string) => {
    const creds = t.controller.ctx.pairings.issueCredentials(screenId);
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.controller.mqttPort}`, {
      username: creds.username,
      password: creds.password,
      clientId: `screen.${screenId}.flood`,
      reconnectPeriod: 0,
    });
    clients.push(c);
    return c;
  };
  const dropped = () => capture.lines.filter((l) => l.msg === "dropped screen message");
  const malformed = () => t.controller.ctx.metrics.malformedMessages;

  it("10,000 bad heartbeats from one screen: every one counted, one log line", { timeout: 60_000 }, async () => {
    const c = await connect("huu-nghi-arrivals-1");
    const topic = topics.heartbeat("huu-nghi-arrivals-1");
    for (let i = 0; i < 9_999; i++) c.publish(topic, `not json ${i} {`, { qos: 0 });
    await c.publishAsync(topic, "not json, the last {", { qos: 1 });
    await waitFor(() => (malformed() >= 10_000 ? true : undefined), 30_000, "10,000 drops counted");
    expect(malformed()).toBe(10_000);
    expect(dropped()).toHaveLength(1);
    expect(capture.bytes()).toBeLessThan(2_000);

    // another screen's first bad message is its own line
    const other = await connect("tan-thanh-lorry-1");
    await other.publishAsync(topics.plays("tan-thanh-lorry-1"), JSON.stringify({ records: [{ id: 1 }] }), { qos: 1 });
    await waitFor(() => (dropped().length === 2 ? true : undefined), 5_000, "the second screen's line");
    expect(dropped()[1]).toMatchObject({ topic: topics.plays("tan-thanh-lorry-1") });

    // a minute later the first screen gets a line again, with what was held back
    clock.advance(61_000);
    await c.publishAsync(topic, "still not json", { qos: 1 });
    await waitFor(() => (dropped().length === 3 ? true : undefined), 5_000, "the next minute's line");
    expect(dropped()[2]).toMatchObject({ topic, heldBack: 9_999 });
    await c.publishAsync(topic, "and again", { qos: 1 });
    await waitFor(() => (malformed() === 10_003 ? true : undefined), 5_000, "the last drop counted");
    expect(dropped()).toHaveLength(3);
  });

  it("a screen reconnecting in a loop to publish where it may not: one refusal line", async () => {
    const creds = t.controller.ctx.pairings.issueCredentials("huu-nghi-lorry-1");
    const before = capture.lines.filter((l) => l.msg === "mqtt publish refused").length;
    for (let i = 0; i < 50; i++) {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.controller.mqttPort}`, {
        username: creds.username,
        password: creds.password,
        clientId: `screen.huu-nghi-lorry-1.loop-${i}`,
        reconnectPeriod: 0,
      });
      c.on("error", () => undefined);
      const closed = new Promise<void>((resolve) => c.once("close", () => resolve()));
      c.publish(topics.status("huu-nghi-arrivals-1"), JSON.stringify({ state: "offline" }), { qos: 0 });
      await closed; // the embedded broker closes a client that publishes where it may not
    }
    expect(capture.lines.filter((l) => l.msg === "mqtt publish refused").length - before).toBe(1);
  });
});
