import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ControllerApi, type Fleet, provisionScreens, setupGate, startFleet, waitFor } from "@gatecast/sim";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { randomSecret } from "../../controller/src/auth/passwords.ts";
import { mosquittoFiles, screenAccessFrom } from "../../controller/src/broker/mosquittoConfig.ts";
import { Store } from "../../controller/src/store/index.ts";
import { ADMIN_PASSWORD, type ControllerProcess, startControllerProcess } from "../../harness/controllerProcess.ts";
import { EDGE_CONF, edgeBridgeConfig, type Mosquitto, startMosquitto } from "../../harness/mosquitto.ts";

const GATE = "sim-edge";
const SCREENS = 8;
const OUTAGE_MS = 8_000;

const notices = (text: string) => [
  { kind: "notice" as const, seconds: 2, text },
  { kind: "notice" as const, seconds: 2 },
];

/** Every play the controller stored for these screens (by the screen's play id), with how many rows each id has. */
function storedPlays(dataDir: string, screenIds: readonly string[]): Map<string, number> {
  const db = new Database(join(dataDir, "gatecast.db"), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT p.play_id AS id, COUNT(*) AS n FROM play_ids p JOIN report_names s ON s.kind = 'screen' AND s.id = p.screen
         WHERE s.name IN (${screenIds.map(() => "?").join(",")}) GROUP BY p.play_id`,
      )
      .all(...screenIds) as { id: string; n: number }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  } finally {
    db.close();
  }
}

/**
 * A gate's own Mosquitto bridged to the central one, configured like deploy/broker/edge: the controller
 * on the centre, the gate's screens (simulated, running the kiosk's sync code) on the edge. The centre
 * goes away: the screens stay connected to their edge, keep playing and keep their plays; a release is
 * made while the centre is down. The centre comes back: every play arrives exactly once and the release
 * reaches the screens.
 */
describe("gate edge broker bridged to the centre", () => {
  let centre: Mosquitto | null = null;
  let edge: Mosquitto | null = null;
  let c: ControllerProcess | null = null;
  let fleet: Fleet | null = null;
  afterAll(async () => {
    await fleet?.stop();
    await c?.cleanup();
    await edge?.stop();
    await centre?.stop();
  });

  it("keeps the gate playing through a centre outage; plays arrive once and the release made meanwhile arrives", {
    timeout: 120_000,
  }, async () => {
    const controllerPassword = randomSecret(24);
    const bridgePassword = randomSecret(24);
    // the centre keeps retained messages and sessions across a restart, as deploy/broker/mosquitto.conf does
    const ctr = await startMosquitto(
      mosquittoFiles([], controllerPassword, [{ gateId: GATE, password: bridgePassword }]),
      { config: ({ dir }) => ["persistence true", `persistence_location ${dir}/`] },
    );
    centre = ctr;
    const cp = await startControllerProcess({
      env: {
        MQTT_URL: `mqtt://127.0.0.1:${ctr.port}`,
        MQTT_USERNAME: "gatecast-controller",
        MQTT_PASSWORD: controllerPassword,
      },
    });
    c = cp;
    const api = await ControllerApi.connect(cp.url, { user: "admin", password: ADMIN_PASSWORD });
    await setupGate(api, { gate: GATE, items: notices("before the outage") });
    const creds = await provisionScreens(api, { count: SCREENS, gates: [GATE] });
    const ids = creds.map((cr) => cr.screenId);

    // what `gatecast broker-config` writes: the centre with the gate's bridge login, the edge with its screens
    const store = await Store.open(cp.dataDir);
    const screens = screenAccessFrom(store);
    store.close();
    await ctr.reload(mosquittoFiles(screens, controllerPassword, [{ gateId: GATE, password: bridgePassword }]));
    const conf = await readFile(EDGE_CONF, "utf8");
    const e = await startMosquitto(
      mosquittoFiles(
        screens.filter((s) => s.gateId === GATE),
        null,
      ),
      {
        config: edgeBridgeConfig(conf, {
          gateId: GATE,
          centrePort: ctr.port,
          password: bridgePassword,
          restartTimeout: "1 2",
        }),
      },
    );
    edge = e;

    const f = startFleet({
      controllerUrl: cp.url,
      credentials: creds,
      brokerUrl: `mqtt://127.0.0.1:${e.port}`,
      keepPlayIds: true,
      rampPerSecond: Number.POSITIVE_INFINITY,
    });
    fleet = f;
    await waitFor(
      () => (f.screens.every((s) => s.connected && s.inSync && s.stats.playsAcked > 0) ? true : undefined),
      40_000,
      () => `the gate playing through its edge with plays acknowledged (${JSON.stringify(f.stats())})`,
    );
    const before = new Map(
      f.screens.map((s) => [
        s.id,
        { version: s.currentVersion ?? 0, plays: s.stats.playsRecorded, disconnects: s.stats.disconnects.length },
      ]),
    );

    // the centre goes away; a release is made while it is gone
    await ctr.halt();
    const downAt = Date.now();
    await setupGate(api, { gate: GATE, items: notices("released while the centre was down") });
    await new Promise((r) => setTimeout(r, OUTAGE_MS)); // the outage itself: the gate must just keep going
    for (const s of f.screens) {
      const b = before.get(s.id);
      expect(s.connected, `${s.id} stays connected to its edge`).toBe(true);
      expect(s.stats.disconnects.length).toBe(b?.disconnects);
      expect(s.stats.playsRecorded, `${s.id} keeps playing`).toBeGreaterThanOrEqual((b?.plays ?? 0) + 2);
      expect(s.currentVersion, `${s.id} still shows what it had`).toBe(b?.version);
    }
    const buffered = f.stats().playsBuffered;
    expect(buffered, "plays wait on the screens while the centre is away").toBeGreaterThanOrEqual(SCREENS * 2);

    await ctr.start();
    const upAt = Date.now();
    // when the controller's own link to the centre is back (its health check says so)
    const controllerBack = waitFor(
      async () =>
        (await fetch(`${cp.url}/healthz`).then(
          (r) => r.ok,
          () => false,
        ))
          ? Date.now()
          : undefined,
      60_000,
      "the controller reconnecting to the centre",
    );
    await waitFor(
      () =>
        f.screens.every((s) => (s.currentVersion ?? 0) > (before.get(s.id)?.version ?? 0) && s.inSync)
          ? true
          : undefined,
      40_000,
      () => `the release made during the outage reaching the gate (${JSON.stringify(f.stats())})`,
    );
    const releasedAt = Date.now();
    // every play recorded up to now has been stored (and acknowledged)
    const recorded = f.screens.flatMap((s) => s.playIds);
    await waitFor(
      () => {
        const stored = storedPlays(cp.dataDir, ids);
        return recorded.every((id) => stored.has(id)) ? true : undefined;
      },
      // the centre kept the controller's session (MQTT_CLIENT_ID, clean: false) through its restart, so
      // what the edge's bridge hands over is queued for the controller, not lost before it resubscribes
      30_000,
      () =>
        `every play recorded before and during the outage stored (${storedPlays(cp.dataDir, ids).size}/${recorded.length})`,
    );
    const drainedAt = Date.now();
    const controllerBackAt = await controllerBack;
    await f.stop();
    fleet = null;

    const stored = storedPlays(cp.dataDir, ids);
    const all = new Set(f.screens.flatMap((s) => s.playIds));
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
    for (const id of stored.keys()) expect(all.has(id), `stored play ${id} was recorded by a screen`).toBe(true);
    const missing = [...all].filter((id) => !stored.has(id));
    // only plays recorded in the last moments (still waiting for their acknowledgement) may be missing
    const unacked = new Set(f.screens.flatMap((s) => s.unacknowledgedPlayIds()));
    expect(missing.filter((id) => !unacked.has(id))).toEqual([]);
    console.info(
      `gate edge: outage ${upAt - downAt} ms, ${buffered} plays buffered on ${SCREENS} screens; after the centre returned: controller reconnected in ${controllerBackAt - upAt} ms, release on every screen in ${releasedAt - upAt} ms, every play stored in ${drainedAt - upAt} ms; ${stored.size} plays stored once each`,
    );
  });
});
