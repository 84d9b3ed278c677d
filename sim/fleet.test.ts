import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, startTestController, type TestController } from "../controller/src/testing/harness.ts";
import { ControllerApi, mapLimit, provisionScreens, simScreenId } from "./api.ts";
import { makePng, setupGate } from "./content.ts";
import { type Fleet, formatStats, startFleet, waitFor } from "./fleet.ts";
import { MediaPool, pooledMediaStore } from "./media.ts";
import { Limiter } from "./screen.ts";

describe("media pool", () => {
  it("keeps each file once however many screens hold it, and frees it with the last", async () => {
    const pool = new MediaPool();
    const a = pooledMediaStore(pool);
    const b = pooledMediaStore(pool);
    const body = new Uint8Array([1, 2, 3]).buffer;
    const m = { sha256: "ab".repeat(32), bytes: 3, mime: "image/png", url: "http://x/media/1" };
    await a.put(m, body);
    await b.put(m, body.slice(0));
    expect(pool.size).toEqual({ files: 1, bytes: 3 });
    expect(await a.copy(m.url, { ...m, url: "http://x/media/2" })).toBe(true);
    expect(a.usageBytes()).toBe(6);
    await a.clear();
    expect(pool.size.files).toBe(1);
    await b.delete([m.url]);
    expect(pool.size).toEqual({ files: 0, bytes: 0 });
  });
});

describe("limits", () => {
  it("runs at most N tasks at once", async () => {
    const limiter = new Limiter(2);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        limiter.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(await mapLimit([3, 1, 2], 2, async (n) => n * 2)).toEqual([6, 2, 4]);
  });
});

describe("a fleet of simulated screens against a controller", () => {
  let t: TestController;
  let api: ControllerApi;
  let fleet: Fleet | null = null;
  const GATE = "sim-unit";
  beforeAll(async () => {
    t = await startTestController();
    api = await ControllerApi.connect(t.url, { user: "admin", password: ADMIN_PASSWORD });
  });
  afterAll(async () => {
    await fleet?.stop();
    await t?.stop();
  });

  it("syncs, downloads and verifies media, plays, acknowledges alerts and stops", { timeout: 30_000 }, async () => {
    const png = await api.upload("unit.png", makePng(40, 30, 7), "image/png");
    await setupGate(api, {
      gate: GATE,
      items: [
        { kind: "notice", seconds: 1 },
        { kind: "image", seconds: 1, media: png.sha256 },
      ],
    });
    const creds = await provisionScreens(api, { count: 3, gates: [GATE] });
    expect(creds.map((c) => c.screenId)).toEqual([1, 2, 3].map((n) => simScreenId(GATE, n)));
    // again: the screens exist, only new credentials are issued
    const again = await provisionScreens(api, { count: 3, gates: [GATE] });
    fleet = startFleet({ controllerUrl: t.url, credentials: again, keepPlayIds: true, heartbeatMs: 1_000 });
    const f = fleet;
    await waitFor(
      () => (f.screens.every((s) => s.connected && s.inSync && s.mediaReady) ? true : undefined),
      15_000,
      () => formatStats(f.stats()),
    );
    expect(f.stats().mediaBytes).toBe(3 * png.bytes);
    expect(f.pool.size).toEqual({ files: 1, bytes: png.bytes });

    await waitFor(
      () => (f.stats().playsAcked >= 6 ? true : undefined),
      15_000,
      () => formatStats(f.stats()),
    );
    const stored = t.controller.ctx.store.plays.playIds();
    const ids = new Set(f.screens.flatMap((s) => s.playIds));
    expect(stored.filter((id) => ids.has(id)).length).toBeGreaterThanOrEqual(6);
    // the heartbeats tell the controller what each screen shows
    await waitFor(
      () => {
        const states = f.screens.map((s) => t.controller.ctx.store.fleet.state(s.id));
        return states.every((st, i) => st?.appliedVersion === f.screens[i]?.currentVersion) ? true : undefined;
      },
      10_000,
      "heartbeats with the applied version",
    );

    const now = Date.now();
    await api.must("POST", "/api/v1/alerts", {
      id: "sim-unit-alert",
      severity: "warning",
      message: { vi: "Thử nghiệm", zh: "测试" },
      targets: { gates: [GATE] },
      startsAt: new Date(now - 1_000).toISOString(),
      expiresAt: new Date(now + 600_000).toISOString(),
    });
    await waitFor(
      () => (t.controller.ctx.store.alerts.acks("sim-unit-alert").length === 3 ? true : undefined),
      10_000,
      "alert acknowledgements",
    );
    expect(f.stats().alertsAcked).toBe(3);
    expect(f.stats().errors).toBe(0);

    await f.stop();
    fleet = null;
    expect(f.screens.every((s) => !s.connected)).toBe(true);
  });
});
