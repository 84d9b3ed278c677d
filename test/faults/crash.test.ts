import { createHash } from "node:crypto";
import { canonicalJson, SignedEnvelope, topics } from "@gatecast/playlists";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, describe, expect, it } from "vitest";
import { Store } from "../../controller/src/store/index.ts";
import { waitFor } from "../../controller/src/testing/harness.ts";
import { adminApi, type ControllerProcess, startControllerProcess } from "../../harness/controllerProcess.ts";

const SCREENS = [
  "huu-nghi-arrivals-1",
  "huu-nghi-departures-1",
  "huu-nghi-lorry-1",
  "tan-thanh-arrivals-1",
  "tan-thanh-lorry-1",
];

interface Seen {
  version: number;
  contentHash: string;
}

/**
 * SIGKILL the controller while a release is being published, several times at different moments, and
 * check what the screens saw against what the store says after each restart.
 */
describe("controller killed with SIGKILL during a release", () => {
  let c: ControllerProcess;
  const clients: MqttClient[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((cl) => cl.endAsync(true)));
    await c?.cleanup();
  });

  it("keeps versions monotonic, never publishes two contents under one version, and no screen holds an unknown manifest", async () => {
    c = await startControllerProcess();
    const seen = new Map<string, Seen[]>(SCREENS.map((s) => [s, []]));
    const api0 = await adminApi(c.url);
    for (const screenId of SCREENS) {
      const r = await api0<{ mqtt: { username: string; password: string } }>(
        "POST",
        `/api/v1/screens/${screenId}/credentials`,
      );
      const client = mqtt.connect(`mqtt://127.0.0.1:${c.mqttPort}`, {
        ...r.body.mqtt,
        clientId: `${r.body.mqtt.username}.crash`,
        reconnectPeriod: 100,
        connectTimeout: 2_000,
      });
      client.on("error", () => undefined);
      client.on("message", (_topic, payload) => {
        const env = SignedEnvelope.parse(JSON.parse(payload.toString()));
        const {
          issuedAt: _i,
          expiresAt: _e,
          version,
          ...content
        } = env.payload as Record<string, unknown> & { version: number };
        const contentHash = createHash("sha256").update(canonicalJson(content)).digest("hex");
        seen.get(screenId)?.push({ version, contentHash });
      });
      client.on(
        "connect",
        () => void client.subscribeAsync(topics.manifest(screenId), { qos: 1 }).catch(() => undefined),
      );
      clients.push(client);
    }
    await waitFor(
      () => (SCREENS.every((s) => (seen.get(s)?.length ?? 0) > 0) ? true : undefined),
      10_000,
      "first manifests",
    );

    for (const [round, killAfterMs] of [0, 3, 10, 25, 60].entries()) {
      const api = await adminApi(c.url);
      const item = await api<{ duration: number }>("GET", "/api/v1/items/notice-customs-declaration");
      await api("PUT", "/api/v1/items/notice-customs-declaration", { ...item.body, duration: 10 + round });
      const release = api("POST", "/api/v1/releases", { note: `crash round ${round}` }).catch(() => null);
      await new Promise((r) => setTimeout(r, killAfterMs));
      await c.stop("SIGKILL");
      await release;
      c = await c.restart();
      // after the restart every screen converges on what the store holds
      const store = await Store.open(c.dataDir);
      const stored = new Map(store.published.screens().map((r) => [r.screenId, r.version]));
      store.close();
      await waitFor(
        () => (SCREENS.every((s) => seen.get(s)?.at(-1)?.version === stored.get(s)) ? true : undefined),
        15_000,
        `screens converge after round ${round}`,
      );
    }

    const store = await Store.open(c.dataDir);
    try {
      for (const screenId of SCREENS) {
        const history = seen.get(screenId) ?? [];
        const stored = store.published.screen(screenId);
        const byVersion = new Map<number, string>();
        let last = 0;
        for (const s of history) {
          // one content per version, ever
          expect(byVersion.get(s.version) ?? s.contentHash).toBe(s.contentHash);
          byVersion.set(s.version, s.contentHash);
          // the store knows every version a screen saw
          expect(s.version).toBeLessThanOrEqual(stored?.version ?? 0);
          // a screen never receives an older version after a newer one, except the retained copy of the one it has
          expect(s.version).toBeGreaterThanOrEqual(last);
          last = s.version;
        }
      }
    } finally {
      store.close();
    }
  }, 120_000);
});
