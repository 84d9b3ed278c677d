import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  generateKeyPair,
  importSigningKey,
  type ManifestPayload,
  PrivateJwk,
  signPayload,
  topics,
} from "@gatecast/playlists";
import { expect, test } from "@playwright/test";
import mqtt, { type MqttClient } from "mqtt";
import { randomSecret } from "../../controller/src/auth/passwords.ts";
import { mosquittoFiles, screenAccessFrom } from "../../controller/src/broker/mosquittoConfig.ts";
import { Store } from "../../controller/src/store/index.ts";
import { adminApi, type ControllerProcess, startControllerProcess } from "../../harness/controllerProcess.ts";
import { type Mosquitto, startMosquitto } from "../../harness/mosquitto.ts";
import { manifestVersionOnScreen, pairKiosk, visibleItem, watchCsp } from "./kioskHelpers.ts";

const SCREEN = "tan-thanh-arrivals-1";

/**
 * The kiosk behind Debian's Mosquitto, as in a scaled-out deployment. Whoever can publish on the
 * broker (here: anyone holding the controller's broker password) still cannot put content on screen
 * without the controller's signing key, cannot roll a screen back, and cannot swap a media file.
 */
test.describe("kiosk trust model through an external Mosquitto", () => {
  let mosquitto: Mosquitto;
  let c: ControllerProcess;
  let intruder: MqttClient;
  const controllerPassword = randomSecret(24);

  test.beforeAll(async () => {
    mosquitto = await startMosquitto(mosquittoFiles([], controllerPassword));
    c = await startControllerProcess({
      env: {
        MQTT_URL: `mqtt://127.0.0.1:${mosquitto.port}`,
        MQTT_USERNAME: "gatecast-controller",
        MQTT_PASSWORD: controllerPassword,
        MQTT_WS_URL: `ws://127.0.0.1:${mosquitto.wsPort}`,
      },
    });
    intruder = await mqtt.connectAsync(`mqtt://127.0.0.1:${mosquitto.port}`, {
      username: "gatecast-controller",
      password: controllerPassword,
      reconnectPeriod: 0,
    });
  });
  test.afterAll(async () => {
    await intruder?.endAsync(true);
    await c?.cleanup();
    await mosquitto?.stop();
  });

  /** What `gatecast broker-config` writes, applied to the running Mosquitto. */
  async function syncBrokerFiles(): Promise<void> {
    const store = await Store.open(c.dataDir);
    try {
      await mosquitto.reload(mosquittoFiles(screenAccessFrom(store), controllerPassword));
    } finally {
      store.close();
    }
  }

  async function storedEnvelope(): Promise<{ payload: ManifestPayload; text: string }> {
    const store = await Store.open(c.dataDir);
    try {
      const text = store.published.screen(SCREEN)?.envelope ?? "";
      return { payload: JSON.parse(text).payload as ManifestPayload, text };
    } finally {
      store.close();
    }
  }

  async function errorsReported(kind: string): Promise<string[]> {
    const api = await adminApi(c.url);
    const r = await api<{ errors: { kind: string; message: string }[] }>("GET", `/api/v1/screens/${SCREEN}`);
    return r.body.errors.filter((e) => e.kind === kind).map((e) => e.message);
  }

  test("forged, replayed and tampered manifests are refused, reported, and never shown", async ({ page }) => {
    test.setTimeout(120_000);
    // the kiosk's CSP lets it reach Mosquitto's WebSocket (MQTT_WS_URL) and refuses nothing it needs
    const cspViolations = await watchCsp(page);
    await page.setViewportSize({ width: 1366, height: 768 });
    // pair; the broker learns the new credentials as broker-config would write them
    const pairing = pairKiosk(page, c.url, SCREEN);
    await expect
      .poll(
        async () =>
          await Store.open(c.dataDir).then((s) => {
            const has = s.fleet.credentials(SCREEN) !== undefined;
            s.close();
            return has;
          }),
        { timeout: 20_000 },
      )
      .toBe(true);
    await syncBrokerFiles();
    const first = await pairing;
    await visibleItem(page);
    expect(cspViolations).toEqual([]);
    const genuineOld = await storedEnvelope();
    expect(genuineOld.payload.version).toBe(first);

    // 1. a newer version signed with a key the screen never pinned
    const foreign = await importSigningKey(await generateKeyPair());
    const forged = await signPayload({ ...genuineOld.payload, version: first + 10 }, foreign);
    await intruder.publishAsync(topics.manifest(SCREEN), JSON.stringify(forged), { qos: 1 });
    await expect.poll(() => errorsReported("manifest-rejected"), { timeout: 15_000 }).not.toHaveLength(0);
    expect(await manifestVersionOnScreen(page)).toBe(first);

    // 2. a genuine release moves the screen on; then the older genuine manifest is replayed
    const api = await adminApi(c.url);
    const item = await api<{ duration: number }>("GET", "/api/v1/items/notice-border-pass");
    await api("PUT", "/api/v1/items/notice-border-pass", { ...item.body, duration: item.body.duration + 2 });
    expect((await api("POST", "/api/v1/releases", { note: "trust e2e" })).status).toBe(201);
    // versions come from the clock (DESIGN.md, "Versions never go back"): above, not necessarily next
    await expect.poll(() => manifestVersionOnScreen(page), { timeout: 10_000 }).toBeGreaterThan(first);
    const second = await manifestVersionOnScreen(page);
    const rejectedBefore = (await errorsReported("manifest-rejected")).length;
    await intruder.publishAsync(topics.manifest(SCREEN), genuineOld.text, { qos: 1 });
    await expect
      .poll(async () => (await errorsReported("manifest-rejected")).length, { timeout: 15_000 })
      .toBeGreaterThan(rejectedBefore);
    expect(await manifestVersionOnScreen(page)).toBe(second);

    // 3. correctly signed (a stolen key) but one media file's bytes do not match its hash
    const key = await importSigningKey(
      PrivateJwk.parse(JSON.parse(await readFile(join(c.dataDir, "signing-key.json"), "utf8"))),
    );
    const current = (await storedEnvelope()).payload;
    const image = current.items.find((i) => i.kind === "image");
    const served = current.media[0];
    if (image?.kind !== "image" || !served) throw new Error("the screen's manifest needs an image");
    // a hash the screen has never seen, served by a URL whose bytes are something else
    const fake = "f".repeat(64);
    const tampered = await signPayload(
      {
        ...current,
        version: second + 1,
        items: current.items.map((i) => (i.id === image.id ? { ...image, media: fake } : i)),
        media: [...current.media, { sha256: fake, bytes: served.bytes, mime: served.mime, url: served.url }],
      },
      key,
    );
    await intruder.publishAsync(topics.manifest(SCREEN), JSON.stringify(tampered), { qos: 1 });
    await expect.poll(() => errorsReported("hash-mismatch"), { timeout: 30_000 }).not.toHaveLength(0);
    // the screen never switched to it: a genuine manifest stays on screen (the last good one, or the one
    // the controller signs above the version the screen reported downloading: DESIGN.md, "Versions")
    const shown = await manifestVersionOnScreen(page);
    expect(shown).not.toBe(second + 1);
    expect([second, (await storedEnvelope()).payload.version]).toContain(shown);
    await visibleItem(page);
  });
});
