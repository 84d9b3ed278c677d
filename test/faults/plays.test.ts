import { randomUUID } from "node:crypto";
import { type PlayRecord, screenClientId, topics } from "@gatecast/playlists";
import { waitFor } from "@gatecast/sim";
import mqtt, { type MqttClient } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { startTestController, TestClock, type TestController } from "../../controller/src/testing/harness.ts";
import { memoryPlayStore, PlayBuffer } from "../../kiosk/src/sync/plays.ts";

const SCREEN = "huu-nghi-arrivals-1";
const HOUR = 3_600_000;

interface Screen {
  client: MqttClient;
  /** Ids the controller acknowledged, in order. */
  acked: string[];
  /** Sends the status a kiosk sends on connecting: its clock. */
  online(at: number): Promise<void>;
}

async function connectScreen(t: TestController, onAck: (ids: string[]) => void = () => undefined): Promise<Screen> {
  const creds = t.controller.features.pairings.issueCredentials(SCREEN);
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.controller.mqttPort}`, {
    ...creds,
    clientId: screenClientId(SCREEN, "plays-test"),
    reconnectPeriod: 0,
  });
  const acked: string[] = [];
  client.on("message", (_topic, payload) => {
    const ack = JSON.parse(payload.toString()) as { type: string; ids?: string[] };
    if (ack.type !== "plays-stored") return;
    acked.push(...(ack.ids ?? []));
    onAck(ack.ids ?? []);
  });
  await client.subscribeAsync(topics.ack(SCREEN), { qos: 1 });
  return {
    client,
    acked,
    online: async (at) => {
      await client.publishAsync(
        topics.status(SCREEN),
        JSON.stringify({ state: "online", at: new Date(at).toISOString() }),
        { qos: 1, retain: true },
      );
    },
  };
}

const refused = (t: TestController) =>
  [...t.controller.features.metrics.playsRefused.values()].reduce((a, b) => a + b, 0);

/** Every play record the controller has finished with: stored, refused, deferred or over the rate. */
function judged(t: TestController): number {
  const m = t.controller.features.metrics;
  return m.playsIngested + refused(t) + m.playsDeferred + m.playsOverRate;
}

/** The screen's manifest version and the items it contained. */
function sentVersion(t: TestController): { version: number; items: string[] } {
  const h = t.controller.ctx.store.published.history(SCREEN).at(-1);
  if (!h) throw new Error("no manifest history for the screen");
  return { version: h.version, items: JSON.parse(h.items) as string[] };
}

/**
 * Issue 11 item 11: proof-of-play is checked against what the screen was sent and against the wall
 * clock; forged plays are acknowledged but not stored (and counted), plays over the screen's rate are not
 * acknowledged so the kiosk sends them again, and a kiosk back from days offline loses none.
 */
describe("proof-of-play a screen cannot forge or flood", () => {
  let t: TestController | null = null;
  let screen: Screen | null = null;
  afterEach(async () => {
    await screen?.client.endAsync(true);
    await t?.stop();
    screen = null;
    t = null;
  });

  it("forged plays are acknowledged, not stored, and counted in /metrics; a flood is held to the rate", {
    timeout: 60_000,
  }, async () => {
    const clock = new TestClock();
    t = await startTestController({ clock });
    const s = await connectScreen(t);
    screen = s;
    const { version, items } = sentVersion(t);
    clock.advance(HOUR);
    await s.online(clock.now());
    const start = clock.now() - 30 * 60_000;
    const at = (i: number) => new Date(start + i * 1_000).toISOString();
    const forged: PlayRecord[] = [
      // 400,000 seconds claimed within the last half hour
      { id: randomUUID(), item: items[0] as string, playlist: null, startedAt: at(0), durationMs: 400_000_000 },
      // an item this screen was never sent
      { id: randomUUID(), item: "notice-never-released", playlist: null, startedAt: at(1), durationMs: 5_000 },
      // a version never issued to it
      {
        id: randomUUID(),
        item: items[0] as string,
        playlist: null,
        startedAt: at(2),
        durationMs: 5_000,
        manifestVersion: version - 1,
      },
    ];
    const genuine: PlayRecord = {
      id: randomUUID(),
      item: items[1] as string,
      playlist: null,
      startedAt: at(3),
      durationMs: 10_000,
      manifestVersion: version,
    };
    await s.client.publishAsync(topics.plays(SCREEN), JSON.stringify({ records: [...forged, genuine] }), { qos: 1 });
    await waitFor(() => (s.acked.length >= 4 ? true : undefined), 5_000, "the acknowledgement");
    expect(new Set(s.acked)).toEqual(new Set([...forged, genuine].map((p) => p.id)));
    expect(t.controller.ctx.store.plays.playIds()).toEqual([genuine.id]);

    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/^gatecast_plays_refused_total\{reason="longer-than-wall-time"\} 1$/m);
    expect(metrics).toMatch(/^gatecast_plays_refused_total\{reason="item-not-sent"\} 1$/m);
    expect(metrics).toMatch(/^gatecast_plays_refused_total\{reason="unknown-version"\} 1$/m);
    expect(metrics).toMatch(/^gatecast_plays_ingested_total 1$/m);

    // a flood: 100,000 plays in no time. Only the screen's burst is taken; the rest is not acknowledged
    const before = judged(t);
    const acked = s.acked.length;
    const flood = Array.from({ length: 200 }, (_, b) =>
      Array.from({ length: 500 }, (_, i) => ({
        id: randomUUID(),
        item: items[0] as string,
        playlist: null,
        startedAt: at(4 + ((b * 500 + i) % 1_700)),
        durationMs: 1_000,
        manifestVersion: version,
      })),
    );
    for (const records of flood) await s.client.publishAsync(topics.plays(SCREEN), JSON.stringify({ records }));
    await waitFor(
      () => (judged(t as TestController) - before >= 100_000 ? true : undefined),
      30_000,
      "the flood judged",
    );
    const rate = t.controller.features.metrics;
    await waitFor(() => (s.acked.length - acked >= 1 ? true : undefined), 5_000, "acks of the flood");
    expect(s.acked.length - acked).toBeLessThanOrEqual(2_000);
    expect(rate.playsOverRate).toBeGreaterThanOrEqual(98_000);
    expect(await (await fetch(`${t.url}/metrics`)).text()).toMatch(/^gatecast_plays_over_rate_total \d{5,}$/m);
  });

  it("a kiosk back from three days offline delivers all of its ~26,000 plays, at the rate, losing none", {
    timeout: 120_000,
  }, async () => {
    const clock = new TestClock();
    t = await startTestController({ clock });
    const controller = t;
    const judgedUpTo = judged(controller);
    const { version, items } = sentVersion(controller);
    // three days offline, playing its manifest: one 9-second play every 10 seconds
    const offlineFrom = clock.now() + 60_000;
    const plays = memoryPlayStore();
    const count = 26_000;
    for (let i = 0; i < count; i++) {
      await plays.add({
        id: randomUUID(),
        item: items[i % items.length] as string,
        playlist: null,
        startedAt: new Date(offlineFrom + i * 10_000).toISOString(),
        durationMs: 9_000,
        manifestVersion: version,
      });
    }
    clock.advance(3 * 24 * HOUR + 5 * 60_000);

    // back: the kiosk's own delivery code (batches of 500, one in flight, resent when not acknowledged)
    let sent = 0;
    let buffer: PlayBuffer | null = null;
    let acking: Promise<void> = Promise.resolve();
    const s = await connectScreen(controller, (ids) => {
      acking = acking.then(() => buffer?.acknowledged(ids));
    });
    screen = s;
    const delivery = new PlayBuffer({
      store: plays,
      now: () => clock.now(),
      publish: async (records) => {
        sent += records.length;
        await s.client.publishAsync(topics.plays(SCREEN), JSON.stringify({ records }), { qos: 1 });
      },
    });
    buffer = delivery;
    const m = controller.controller.features.metrics;
    const answered0 = m.playsAcknowledged;
    await s.online(clock.now());
    await delivery.setConnected(true);

    let rounds = 0;
    let waits = 0;
    let lastSent = -1;
    for (;;) {
      // settle: everything sent so far judged, and each acknowledgement it brought handed to the kiosk
      // (which then sends its next batch at once)
      await waitFor(
        async () => {
          await acking;
          const answered = m.playsAcknowledged - answered0;
          return judged(controller) - judgedUpTo >= sent && s.acked.length >= answered ? true : undefined;
        },
        10_000,
        () =>
          `the controller judging what was sent (${sent} sent, ${judged(controller) - judgedUpTo} judged: ${m.playsIngested} stored, ${m.playsOverRate} over the rate, ${m.playsDeferred} deferred, ${refused(controller)} refused, ${m.malformedMessages} malformed)`,
      );
      await acking;
      if ((await plays.count()) === 0) break;
      if (++rounds > 2_000) throw new Error(`not delivered after ${rounds} rounds (${await plays.count()} left)`);
      if (sent === lastSent) {
        // nothing more went out: the batch in flight was partly over the rate, and the kiosk sends it
        // again after its resend delay, a minute on its clock
        clock.advance(60_000);
        waits++;
        await delivery.tick();
      }
      lastSent = sent;
    }
    const stored = controller.controller.ctx.store.plays.playIds();
    expect(stored).toHaveLength(count);
    expect(new Set(stored).size).toBe(count);
    expect([...m.playsRefused.values()].reduce((a, b) => a + b, 0)).toBe(0);
    // it was held to the rate (and sent again), not taken in one go
    expect(m.playsOverRate).toBeGreaterThan(0);
    console.info(
      `kiosk back from 3 days offline: ${count} plays delivered in ${rounds} rounds, ${waits} resend waits (${waits} min of kiosk time), ${sent} records sent`,
    );
  });
});
