import { topics } from "@gatecast/playlists";
import { ControllerApi, type Fleet, provisionScreens, type SimScreen, startFleet, waitFor } from "@gatecast/sim";
import mqtt from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { randomSecret } from "../../controller/src/auth/passwords.ts";
import { CONTROLLER_USERNAME } from "../../controller/src/broker/acl.ts";
import { mosquittoFiles, screenAccessFrom } from "../../controller/src/broker/mosquittoConfig.ts";
import { ADMIN_PASSWORD, startTestController, type TestController } from "../../controller/src/testing/harness.ts";
import { type Mosquitto, startMosquitto } from "../../harness/mosquitto.ts";

const GATE = "huu-nghi";
const alertIds = (s: SimScreen) => s.snapshot.gateAlerts?.alerts.map((a) => a.id) ?? [];

/**
 * Issue 11 item 6: an unsigned empty retained message on a gate's alert topic (anyone with write access
 * there: the controller's login, a gate edge's bridge, a man in the middle) used to take a live critical
 * alert off every kiosk, and the genuine alert was then refused as not newer. Now an empty message is
 * ignored by screens and the controller puts its signed alerts back; an operator's clearing is signed.
 */
describe.each(["embedded", "mosquitto"] as const)("gate alert topic overwritten, %s broker", (kind) => {
  let t: TestController | null = null;
  let mosquitto: Mosquitto | null = null;
  let fleet: Fleet | null = null;
  afterEach(async () => {
    await fleet?.stop();
    await t?.stop();
    await mosquitto?.stop();
    fleet = null;
    t = null;
    mosquitto = null;
  });

  it("an empty retained message does not remove a live critical alert; a signed clearing does", {
    timeout: 60_000,
  }, async () => {
    const controllerPassword = randomSecret(24);
    if (kind === "mosquitto") mosquitto = await startMosquitto(mosquittoFiles([], controllerPassword));
    const m = mosquitto;
    t = await startTestController({
      env: m
        ? {
            MQTT_URL: `mqtt://127.0.0.1:${m.port}`,
            MQTT_USERNAME: CONTROLLER_USERNAME,
            MQTT_PASSWORD: controllerPassword,
            MQTT_WS_URL: `ws://127.0.0.1:${m.wsPort}`,
          }
        : {},
    });
    const { ctx } = t.controller;
    const brokerUrl = m ? `mqtt://127.0.0.1:${m.port}` : `mqtt://127.0.0.1:${t.controller.mqttPort}`;
    const api = await ControllerApi.connect(t.url, { user: "admin", password: ADMIN_PASSWORD });
    const creds = await provisionScreens(api, { count: 3, gates: [GATE] });
    const last = creds.at(-1);
    if (m && last)
      await m.reload(mosquittoFiles(screenAccessFrom(ctx.store), controllerPassword), {
        username: last.mqtt.username,
        password: last.mqtt.password,
      });
    // two screens now; the third connects after the attack, as a screen rebooting at the gate would
    const f = startFleet({
      controllerUrl: t.url,
      credentials: creds.slice(0, 2),
      brokerUrl,
      rampPerSecond: Number.POSITIVE_INFINITY,
    });
    fleet = f;
    await waitFor(() => (f.screens.every((s) => s.inSync) ? true : undefined), 20_000, "the screens' manifests");

    const now = Date.now();
    const id = `fog-${now}`;
    await api.must("POST", "/api/v1/alerts", {
      id,
      severity: "critical",
      message: { vi: "Tạm dừng thông quan do sương mù", zh: "因大雾暂停通关" },
      targets: { gates: [GATE] },
      startsAt: new Date(now - 1_000).toISOString(),
      expiresAt: new Date(now + 3_600_000).toISOString(),
    });
    await waitFor(
      () => (f.screens.every((s) => alertIds(s).includes(id)) ? true : undefined),
      10_000,
      "the alert on every screen",
    );

    // the attack: an empty retained message on the gate's topic, from a login that may write there
    const arrivals = f.screens.map((s) => s.stats.lastAlertMessageAt);
    const attacker = m
      ? await mqtt.connectAsync(brokerUrl, {
          username: CONTROLLER_USERNAME,
          password: controllerPassword,
          clientId: `intruder-${now}`,
          reconnectPeriod: 0,
        })
      : null;
    if (attacker) {
      await attacker.publishAsync(topics.alert(GATE), "", { qos: 1, retain: true });
      await attacker.endAsync();
    } else await ctx.publish(topics.alert(GATE), "", { qos: 1, retain: true });
    await waitFor(
      () => (f.screens.every((s, i) => s.stats.lastAlertMessageAt !== arrivals[i]) ? true : undefined),
      10_000,
      "the empty message reaching the screens",
    );

    // the screens that saw it keep the alert, and a screen connecting afterwards gets it too
    const late = startFleet({
      controllerUrl: t.url,
      credentials: creds.slice(2),
      brokerUrl,
      rampPerSecond: Number.POSITIVE_INFINITY,
    });
    try {
      const newcomer = late.screens[0] as SimScreen;
      await waitFor(
        () => (newcomer.inSync && alertIds(newcomer).includes(id) ? true : undefined),
        15_000,
        "the alert on a screen that connected after the empty message",
      );
      for (const s of f.screens) expect(alertIds(s), s.id).toContain(id);
      expect(f.stats().errors).toBe(0);

      // the operator's cancel reaches every screen as a signed, newer, empty list
      await api.must("POST", `/api/v1/alerts/${id}/cancel`);
      const all = [...f.screens, newcomer];
      await waitFor(
        () => (all.every((s) => !alertIds(s).includes(id)) ? true : undefined),
        10_000,
        "the cancelled alert gone from every screen",
      );
      for (const s of all) expect(s.snapshot.gateAlerts?.envelope, s.id).not.toBeNull();
    } finally {
      await late.stop();
    }
  });
});
