import { Jwks, ManifestPayload, SignedEnvelope, topics, verifyEnvelope } from "@gatecast/playlists";
import mqtt, { type MqttClient } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { randomSecret } from "../../controller/src/auth/passwords.ts";
import { mosquittoFiles, screenAccessFrom } from "../../controller/src/broker/mosquittoConfig.ts";
import {
  ApiClient,
  capturingLogger,
  startTestController,
  type TestController,
  waitFor,
} from "../../controller/src/testing/harness.ts";
import { type ControllerProcess, startControllerProcess } from "../../harness/controllerProcess.ts";
import { type Mosquitto, startMosquitto } from "../../harness/mosquitto.ts";

const SCREEN = "huu-nghi-arrivals-1";

/**
 * The controller on an external Mosquitto. A broker that comes back from a restart refusing the
 * controller's login for a while (its password file not yet in place) must not cut the controller
 * off for good: it retries every refusal with back-off, and releases reach screens once the broker
 * accepts it again. A broker that stays away ends the controller non-zero, so systemd restarts it.
 */
describe("external broker refusing, then accepting, the controller", () => {
  let mosquitto: Mosquitto | null = null;
  let t: TestController | null = null;
  let proc: ControllerProcess | null = null;
  let screen: MqttClient | null = null;
  afterEach(async () => {
    await screen?.endAsync(true);
    await t?.stop();
    await proc?.cleanup();
    await mosquitto?.stop();
    screen = null;
    t = null;
    proc = null;
    mosquitto = null;
  });

  it("retries every refused CONNACK with back-off, and a release made after reaches the screen", {
    timeout: 60_000,
  }, async () => {
    const password = randomSecret(24);
    const m = await startMosquitto(mosquittoFiles([], password));
    mosquitto = m;
    const capture = capturingLogger("warn");
    const c = await startTestController({
      log: capture.log,
      env: {
        MQTT_URL: `mqtt://127.0.0.1:${m.port}`,
        MQTT_USERNAME: "gatecast-controller",
        MQTT_PASSWORD: password,
        MQTT_WS_URL: `ws://127.0.0.1:${m.wsPort}`,
      },
    });
    t = c;
    const { store } = c.controller.ctx;
    const creds = c.controller.ctx.pairings.issueCredentials(SCREEN);
    const files = () => mosquittoFiles(screenAccessFrom(store), password);
    await m.reload(files(), { username: creds.username, password: creds.password });

    // the screen: reconnects by itself and keeps every manifest it is sent
    const manifests: ManifestPayload[] = [];
    const jwks = Jwks.parse(c.controller.ctx.keys.jwks);
    const s = mqtt.connect(`mqtt://127.0.0.1:${m.port}`, {
      username: creds.username,
      password: creds.password,
      clientId: `screen.${SCREEN}.fault`,
      reconnectPeriod: 200,
    });
    screen = s;
    s.on("error", () => undefined);
    s.on("connect", () => void s.subscribeAsync(topics.manifest(SCREEN), { qos: 1 }).catch(() => undefined));
    s.on("message", (_topic, payload) => {
      const envelope = SignedEnvelope.parse(JSON.parse(payload.toString()));
      void verifyEnvelope(envelope, jwks).then((v) => {
        if (v.ok) manifests.push(ManifestPayload.parse(envelope.payload));
      });
    });
    const first = await waitFor(() => manifests[0], 10_000, "the first manifest");

    // the broker comes back from a restart with a password file that refuses the controller
    await m.halt();
    await m.reload(mosquittoFiles(screenAccessFrom(store), randomSecret(24)));
    await m.start();
    const refusals = () =>
      capture.lines.filter((l) => l.msg === "controller mqtt error" && /not authori[sz]ed/i.test(String(l.err)));
    // a second refusal is the proof: before the fix the first one was the last attempt
    await waitFor(() => (refusals().length >= 2 ? true : undefined), 20_000, "the controller retrying after a refusal");
    expect(c.controller.ctx.mqttConnected()).toBe(false);
    expect((await fetch(`${c.url}/healthz`)).status).toBe(503);

    // the right password file is read again: the controller's next try is accepted
    await m.reload(files());
    await waitFor(() => (c.controller.ctx.mqttConnected() ? true : undefined), 30_000, "the controller reconnected");
    expect((await fetch(`${c.url}/healthz`)).status).toBe(200);

    const api = new ApiClient(c.url);
    await api.login();
    const item = await api.json<{ duration: number }>("GET", "/api/v1/items/notice-passport-visa");
    expect((await api.json("PUT", "/api/v1/items/notice-passport-visa", { ...item.body, duration: 17 })).status).toBe(
      200,
    );
    const release = await api.json<{ id: number }>("POST", "/api/v1/releases", { note: "after the broker refused" });
    expect(release.status).toBe(201);
    const got = await waitFor(
      () => manifests.find((x) => x.release === release.body.id),
      20_000,
      "the new release on the screen",
    );
    expect(got.version).toBeGreaterThan(first.version);
  });

  it("exits non-zero once the broker has been gone for MQTT_DISCONNECTED_EXIT_S", { timeout: 60_000 }, async () => {
    const password = randomSecret(24);
    const m = await startMosquitto(mosquittoFiles([], password));
    mosquitto = m;
    const p = await startControllerProcess({
      env: {
        MQTT_URL: `mqtt://127.0.0.1:${m.port}`,
        MQTT_USERNAME: "gatecast-controller",
        MQTT_PASSWORD: password,
        MQTT_DISCONNECTED_EXIT_S: "2",
      },
    });
    proc = p;
    const exited = new Promise<number | null>((resolve) => p.proc.once("exit", (code) => resolve(code)));
    const downAt = Date.now();
    await m.halt();
    const code = await Promise.race([
      exited,
      new Promise<string>((resolve) => setTimeout(() => resolve("still running after 20 s"), 20_000).unref()),
    ]);
    expect(code).toBe(1);
    expect(Date.now() - downAt).toBeGreaterThanOrEqual(2_000);
    expect(p.output()).toMatch(/no MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+ for 2 s/);
  });
});
