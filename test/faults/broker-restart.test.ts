import { type Fleet, setupGate, startFleet, waitFor } from "@gatecast/sim";
import { afterEach, describe, expect, it } from "vitest";
import { type BrokerKind, type Installation, startInstallation } from "../../harness/installation.ts";

const SCREENS = 50;
const GATE = "fault-restart";

/** Two short notices: no media to download, so the fleet is ready in seconds. */
const notices = (text: string) => [
  { kind: "notice" as const, seconds: 2, text },
  { kind: "notice" as const, seconds: 2 },
];

interface ReconnectReport {
  downMs: number;
  spreadMs: number;
  seconds: Record<string, number>;
  convergedMs: number;
}

/**
 * 50 simulated screens (the kiosk's own sync code) through a broker restart: the embedded broker goes
 * down with the controller process and comes back with it on the same data and ports; Mosquitto is
 * restarted under the controller. Every screen must come back on its own, with jittered reconnects
 * (not all in the same second), and end on the release made around the restart.
 */
describe.each<BrokerKind>(["embedded", "mosquitto"])("broker restart with %s broker", (kind) => {
  let env: Installation | null = null;
  let fleet: Fleet | null = null;
  afterEach(async () => {
    await fleet?.stop();
    await env?.stop();
    fleet = null;
    env = null;
  });

  it("every screen reconnects with jitter and converges on the newest release", { timeout: 120_000 }, async () => {
    const e = await startInstallation(kind);
    env = e;
    await setupGate(e.api, { gate: GATE, items: notices("before the restart") });
    const creds = await e.provision({ count: SCREENS, gates: [GATE] });
    const f = startFleet({
      controllerUrl: e.controller.url,
      credentials: creds,
      rampPerSecond: Number.POSITIVE_INFINITY,
    });
    fleet = f;
    await waitFor(
      () => (f.screens.every((s) => s.connected && s.inSync) ? true : undefined),
      30_000,
      () => `the fleet's first manifest (${JSON.stringify(f.stats())})`,
    );
    const before = new Map(f.screens.map((s) => [s.id, s.currentVersion ?? 0]));

    // embedded: the release can only be made once the controller (the broker) is back; Mosquitto: it is
    // made while the broker is down, and the controller must deliver it when its link returns
    const release = async () => {
      await setupGate(e.api, { gate: GATE, items: notices(`released around a ${kind} restart`) });
    };
    const { downAt, upAt } = await e.restartBroker(kind === "mosquitto" ? release : undefined);
    if (kind === "embedded") await release();

    const back = new Map<string, number>();
    await waitFor(
      () => {
        for (const s of f.screens) {
          const t = s.stats.connects.find((c) => c > downAt);
          if (t !== undefined && !back.has(s.id)) back.set(s.id, t);
        }
        return back.size === SCREENS && f.screens.every((s) => s.connected) ? true : undefined;
      },
      60_000,
      () => `every screen reconnecting (${back.size}/${SCREENS})`,
    );
    await waitFor(
      () => (f.screens.every((s) => (s.currentVersion ?? 0) > (before.get(s.id) ?? 0) && s.inSync) ? true : undefined),
      60_000,
      () =>
        `every screen on the new release (${f.screens.filter((s) => (s.currentVersion ?? 0) > (before.get(s.id) ?? 0)).length}/${SCREENS})`,
    );
    const convergedAt = Date.now();

    const times = [...back.values()].map((t) => t - downAt);
    const seconds: Record<string, number> = {};
    for (const t of times) seconds[Math.floor(t / 1000)] = (seconds[Math.floor(t / 1000)] ?? 0) + 1;
    const report: ReconnectReport = {
      downMs: upAt - downAt,
      spreadMs: Math.max(...times) - Math.min(...times),
      seconds,
      convergedMs: convergedAt - downAt,
    };
    console.info(`broker restart (${kind}, ${SCREENS} screens): ${JSON.stringify(report)}`);

    // jitter: a fleet that reconnects in one burst would all land in the same second
    expect(report.spreadMs >= 1_000 || Object.keys(seconds).length >= 3, JSON.stringify(report)).toBe(true);
    expect(f.stats().errors).toBe(0);
    // what the controller published is what every screen shows
    const published = await e.api.must<{ id: string; manifest: { published: number | null } }[]>(
      "GET",
      "/api/v1/screens",
    );
    for (const s of f.screens) expect(s.currentVersion).toBe(published.find((p) => p.id === s.id)?.manifest.published);
  });
});
