import { describe, expect, it } from "vitest";
import { Connection, type MqttTransport, type TransportHandlers } from "./connection.ts";

function fakeTransport() {
  let handlers: TransportHandlers | null = null;
  const calls: string[] = [];
  const transport: MqttTransport = {
    on: (h) => {
      handlers = h;
    },
    publish: async (topic) => void calls.push(`publish ${topic}`),
    subscribe: async (t) => void calls.push(`subscribe ${t.join(",")}`),
    unsubscribe: async (t) => void calls.push(`unsubscribe ${t.join(",")}`),
    reconnect: () => void calls.push("reconnect"),
    end: async () => void calls.push("end"),
  };
  const h = () => {
    if (!handlers) throw new Error("not started");
    return handlers;
  };
  return { transport, calls, h };
}

function setup() {
  const fake = fakeTransport();
  const timers: { fn: () => void; ms: number }[] = [];
  const events: string[] = [];
  const conn = new Connection({
    url: "ws://127.0.0.1:8080/mqtt",
    username: "screen:s1",
    password: "pw",
    clientId: "c1",
    will: { topic: "t", payload: "{}", qos: 1, retain: true },
    factory: () => fake.transport,
    random: () => 0.5,
    onConnect: () => events.push("connect"),
    onClose: () => events.push("close"),
    onMessage: (topic) => events.push(`message ${topic}`),
    setTimer: (fn, ms) => {
      timers.push({ fn, ms });
      return timers.length;
    },
    clearTimer: () => undefined,
  });
  conn.start();
  return { ...fake, conn, timers, events };
}

describe("Connection", () => {
  it("reconnects on its own timer with doubling delays, reset by a successful connection", () => {
    const { conn, timers, calls, h, events } = setup();
    h().close(); // first connect failed
    h().close(); // a second close before the timer fired schedules nothing more
    expect(timers.map((t) => t.ms)).toEqual([1000]);
    timers.shift()?.fn();
    expect(calls).toEqual(["reconnect"]);
    h().close();
    h().close();
    expect(timers.map((t) => t.ms)).toEqual([2000]);
    timers.shift()?.fn();
    h().close();
    expect(timers.map((t) => t.ms)).toEqual([4000]);
    timers.shift()?.fn();
    h().connect();
    expect(conn.connected).toBe(true);
    h().close();
    expect(events).toEqual(["connect", "close"]);
    expect(timers.map((t) => t.ms)).toEqual([1000]);
  });

  it("refuses to publish while disconnected", async () => {
    const { conn, h } = setup();
    await expect(conn.publish("x", "y", { qos: 1 })).rejects.toThrow(/not connected/);
    h().connect();
    await expect(conn.publish("x", "y", { qos: 1 })).resolves.toBeUndefined();
  });

  it("does not reconnect after stop", async () => {
    const { conn, h, timers, calls } = setup();
    h().connect();
    await conn.stop();
    h().close();
    expect(timers).toEqual([]);
    expect(calls).toEqual(["end"]);
  });

  it("retries at once when asked", () => {
    const { conn, h, calls } = setup();
    h().close();
    conn.retryNow();
    expect(calls).toEqual(["reconnect"]);
  });

  it("retries when the client cannot even be created", () => {
    const fake = fakeTransport();
    const timers: { fn: () => void; ms: number }[] = [];
    const errors: string[] = [];
    let calls = 0;
    const conn = new Connection({
      url: "not a url",
      username: "u",
      password: "p",
      clientId: "c",
      will: { topic: "t", payload: "{}", qos: 1, retain: true },
      factory: () => {
        calls++;
        if (calls === 1) throw new Error("invalid URL");
        return fake.transport;
      },
      random: () => 0.5,
      onConnect: () => undefined,
      onClose: () => undefined,
      onMessage: () => undefined,
      onError: (m) => errors.push(m),
      setTimer: (fn, ms) => {
        timers.push({ fn, ms });
        return timers.length;
      },
      clearTimer: () => undefined,
    });
    conn.start();
    expect(errors).toEqual(["invalid URL"]);
    expect(timers.map((t) => t.ms)).toEqual([1000]);
    timers.shift()?.fn();
    expect(calls).toBe(2);
    fake.h().connect();
    expect(conn.connected).toBe(true);
  });

  it("spreads the first retry after a dropped connection over 0–2 s", () => {
    const delays = [0, 0.25, 0.999].map((r) => {
      const fake = fakeTransport();
      const timers: number[] = [];
      const conn = new Connection({
        url: "ws://127.0.0.1:8080/mqtt",
        username: "screen:s1",
        password: "pw",
        clientId: "c1",
        will: { topic: "t", payload: "{}", qos: 1, retain: true },
        factory: () => fake.transport,
        random: () => r,
        onConnect: () => undefined,
        onClose: () => undefined,
        onMessage: () => undefined,
        setTimer: (_fn, ms) => timers.push(ms),
        clearTimer: () => undefined,
      });
      conn.start();
      fake.h().connect();
      fake.h().close();
      return timers;
    });
    expect(delays).toEqual([[0], [500], [1998]]);
  });
});
