import { type Jwks, SignedEnvelope, TimeBeaconPayload, topics, verifyEnvelope } from "@gatecast/playlists";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SmtpSink, startSmtpSink } from "../../../harness/smtp.ts";
import { startWebhookSink, type WebhookSink } from "../../../harness/webhook.ts";
import { buildHeartbeat } from "../../../kiosk/src/sync/heartbeat.ts";
import { startTestController, TestClock, type TestController, waitFor } from "../testing/harness.ts";

const SCREEN = "huu-nghi-arrivals-1";
const SECRET = "incident-webhook-secret-123";
const MIN = 60_000;

describe("incidents: rules on the controller's clock, notified by e-mail and webhook", () => {
  let smtp: SmtpSink;
  let hook: WebhookSink;
  let t: TestController;
  let clock: TestClock;
  let creds: { username: string; password: string };
  let client: MqttClient | null = null;
  let jwks: Jwks;
  let env: Record<string, string>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    hook = await startWebhookSink(SECRET);
    clock = new TestClock(Date.parse("2026-11-23T08:00:00+07:00"));
    env = {
      NOTIFY_SMTP_URL: smtp.url(),
      NOTIFY_EMAIL_FROM: "gatecast@langson.example",
      NOTIFY_EMAIL_TO: "kythuat@langson.example, truc@langson.example",
      NOTIFY_WEBHOOK_URL: hook.url,
      NOTIFY_WEBHOOK_SECRET: SECRET,
      INCIDENT_HOLD_DOWN_S: "60",
    };
    t = await startTestController({ clock, env });
    creds = t.controller.ctx.pairings.issueCredentials(SCREEN);
    jwks = t.controller.ctx.keys.jwks;
  });
  afterAll(async () => {
    await client?.endAsync(true);
    await t?.stop();
    await smtp?.stop();
    await hook?.stop();
  });

  const connect = async () => {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.controller.mqttPort}`, {
      ...creds,
      clientId: `screen.${SCREEN}.test`,
      reconnectPeriod: 0,
      will: { topic: topics.status(SCREEN), payload: Buffer.from('{"state":"offline"}'), qos: 1, retain: true },
    });
    await c.subscribeAsync(topics.ack(SCREEN), { qos: 1 });
    await c.publishAsync(topics.status(SCREEN), JSON.stringify({ state: "online" }), { qos: 1, retain: true });
    return c;
  };
  const heartbeat = (c: MqttClient, screenClock: number) => {
    const hb = buildHeartbeat({
      now: screenClock,
      appVersion: "test",
      uptimeMs: 1000,
      manifestVersion: null,
      pendingVersion: null,
      nowPlaying: null,
      lastFrameAt: screenClock,
      media: { ready: 0, total: 0 },
      storage: null,
      usedJsHeapBytes: null,
      errors: [],
      everyMs: 30_000,
    });
    return c.publishAsync(topics.heartbeat(SCREEN), JSON.stringify(hb), { qos: 0 }).then(() => hb);
  };
  const incidents = () => t.controller.ctx.incidents;
  const store = () => t.controller.ctx.store;

  it("a screen's clock 45 s ahead: the controller flags it and answers with a signed time beacon", async () => {
    const c = await connect();
    client = c;
    const beacons: Buffer[] = [];
    c.on("message", (topic, payload) => {
      if (topic === topics.ack(SCREEN) && payload.toString().includes('"time"')) beacons.push(payload);
    });
    const hb = await heartbeat(c, clock.now() + 45_000);
    const raw = await waitFor(() => beacons[0], 5_000, "a time beacon");
    const env = SignedEnvelope.parse(JSON.parse(raw.toString()).beacon);
    const verdict = await verifyEnvelope(env, jwks);
    expect(verdict.ok).toBe(true);
    const beacon = TimeBeaconPayload.parse(env.payload);
    expect(beacon).toMatchObject({ screenId: SCREEN, echo: hb.at, now: new Date(clock.now()).toISOString() });
    await waitFor(
      () => (store().fleet.state(SCREEN)?.clockOffsetMs === 45_000 ? true : undefined),
      5_000,
      "offset stored",
    );
    const j = t.controller.ctx.health.one(SCREEN);
    expect(j?.health.presence).toBe("online");
    expect(j?.health.problems.map((p) => `${p.kind}: ${p.detail}`)).toEqual(["clock-skewed: 45 s ahead"]);
    // a correct clock clears it (the estimate is the best of the last few heartbeats)
    for (let i = 0; i < 6; i++) await heartbeat(c, clock.now());
    await waitFor(() => (store().fleet.state(SCREEN)?.clockOffsetMs === 0 ? true : undefined), 5_000, "offset cleared");
  });

  it("offline for 10 minutes: one incident, one e-mail to each address and one signed webhook", async () => {
    // the box loses power: no clean disconnect, the broker publishes its last will
    client?.stream.destroy();
    client = null;
    await waitFor(() => (store().fleet.state(SCREEN)?.online === false ? true : undefined), 5_000, "offline");
    const wentAt = clock.now();
    clock.advance(9 * MIN);
    expect(
      incidents()
        .check()
        .filter((x) => x.kind === "open"),
    ).toEqual([]);
    clock.advance(MIN);
    const opened = incidents()
      .check()
      .filter((x) => x.kind === "open");
    expect(opened.map((x) => x.incident.subject)).toEqual([`screen:${SCREEN}`]);
    await waitFor(
      () => (smtp.mails.length >= 1 && hook.received.length >= 1 ? true : undefined),
      10_000,
      "notifications",
    );
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]?.to).toEqual(["kythuat@langson.example", "truc@langson.example"]);
    expect(smtp.mails[0]?.subject).toContain("Sự cố mới: Màn hình mất kết nối");
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]).toMatchObject({
      verified: true,
      body: { event: "incident.opened", incident: { rule: "screen-offline", subject: `screen:${SCREEN}` } },
    });
    const [row] = store().incidents.list({ status: "open" });
    expect(row).toMatchObject({ rule: "screen-offline", since: wentAt, resolvedAt: null });
    await waitFor(
      () =>
        store()
          .incidents.events(row?.id ?? 0)
          .filter((e) => e.kind === "notified").length === 2
          ? true
          : undefined,
      5_000,
      "history of both deliveries",
    );
  });

  it("a restart neither forgets the incident nor announces it again", async () => {
    await t.controller.stop();
    t = await startTestController({ clock, env, dataDir: t.dataDir });
    clock.advance(30_000);
    incidents().check();
    expect(store().incidents.list({ status: "open" })).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1_500)); // the notifier's own tick: nothing to send
    expect(smtp.mails).toHaveLength(1);
    expect(hook.received).toHaveLength(1);
  });

  it("acknowledged by a technician, then back: resolved after the hold-down, announced once, with a webhook retried", async () => {
    const [row] = store().incidents.list({ status: "open" });
    incidents().acknowledge(row?.id ?? 0, "kythuat1");
    client = await connect();
    await waitFor(() => (store().fleet.state(SCREEN)?.online ? true : undefined), 5_000, "online");
    incidents().check();
    clock.advance(30_000);
    expect(
      incidents()
        .check()
        .filter((x) => x.kind === "resolve"),
    ).toEqual([]);
    hook.failNext(1, 500);
    clock.advance(31_000);
    expect(
      incidents()
        .check()
        .filter((x) => x.kind === "resolve"),
    ).toHaveLength(1);
    await waitFor(() => (smtp.mails.length >= 2 ? true : undefined), 10_000, "the resolved e-mail");
    expect(smtp.mails[1]?.subject).toContain("Đã khắc phục");
    expect(smtp.mails[1]?.text).toContain("Đã nhận xử lý: kythuat1.");
    // the receiver was down: the failure is in the incident's history, then the retry gets through
    await waitFor(
      () =>
        store()
          .incidents.events(row?.id ?? 0)
          .some((e) => e.kind === "notify-retry")
          ? true
          : undefined,
      10_000,
      "a retry noted",
    );
    const retry = store()
      .incidents.events(row?.id ?? 0)
      .find((e) => e.kind === "notify-retry");
    expect(retry?.detail).toMatch(
      /resolved: webhook http:\/\/127\.0\.0\.1:\d+ answered HTTP 500: receiver is down; trying again in 10 s/,
    );
    clock.advance(10_000);
    t.controller.ctx.notifier.kick();
    await waitFor(() => (hook.received.length >= 2 ? true : undefined), 10_000, "the resolved webhook");
    expect(hook.received[1]).toMatchObject({ verified: true, body: { event: "incident.resolved" } });
    const done = store().incidents.get(row?.id ?? 0);
    expect(done).toMatchObject({ ackedBy: "kythuat1" });
    expect(done?.resolvedAt).not.toBeNull();
    const kinds = store()
      .incidents.events(row?.id ?? 0)
      .map((e) => e.kind);
    expect(kinds.slice(0, 5)).toEqual(["opened", "notified", "notified", "acknowledged", "resolved"]);
    // e-mail and webhook go side by side: their order is not fixed
    expect(kinds.slice(5).sort()).toEqual(["notified", "notified", "notify-retry"]);
  });
});
