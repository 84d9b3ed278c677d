/**
 * Figures measured with a fleet of simulated screens (the kiosk's own sync code) connected to one
 * installation: urgent notice → acked, broker restart → everyone back and in sync, and the controller's
 * resources with the fleet playing.
 */

import { type ControllerApi, waitFor } from "@gatecast/sim";
import { z } from "zod";
import { type Installation, metric, readProc } from "../harness/installation.ts";
import type { FleetProcesses as Fleet, ScreenView } from "./fleetProcesses.ts";
import { percentiles } from "./machine.ts";

export type Percentiles = ReturnType<typeof percentiles>;

/** Every screen of the fleet connected, holding the newest manifest it got, with its media. */
export async function fleetSettled(fleet: Fleet): Promise<boolean> {
  return (await fleet.settled()) === fleet.size();
}

export async function waitSettled(fleet: Fleet, timeoutMs: number, what: string): Promise<void> {
  let st: Awaited<ReturnType<Fleet["stats"]>> | null = null;
  await waitFor(
    async () => {
      if (await fleetSettled(fleet)) return true;
      st = await fleet.stats();
      return undefined;
    },
    timeoutMs,
    () =>
      st
        ? `${what} (connected ${st.connected}, in sync ${st.inSync}, media ready ${st.mediaReady} of ${st.screens}; last error: ${st.lastError})`
        : what,
    250,
  );
}

const AlertView = z.object({ acks: z.array(z.object({ screenId: z.string(), at: z.number() })) });

export interface AlertRow {
  screens: number;
  acked: number;
  /** ms from `POST /api/v1/alerts` to the controller storing each screen's `alert-shown` (as measured). */
  latency: Percentiles;
  /** ms from the POST to the signed gate alert being read off each screen's socket. */
  arrival: Percentiles;
  /**
   * ms from the alert's arrival to the screen sending `alert-shown`: verification, putting it up (at
   * once, as the kiosk does), and the simulator's own queue (every simulated screen shares one CPU).
   */
  onScreen: Percentiles;
  /** ms from a screen sending `alert-shown` to the controller storing it (broker + controller). */
  ingest: Percentiles;
  /** ms to verify the signed gate alert, measured alone (what one screen's CPU spends on it). */
  verifyAloneMs: number;
  /**
   * Per screen: arrival + verification alone + ingest, i.e. the measured figure without the time the
   * simulator's shared CPU queued that screen's own work, as if each screen had its own CPU.
   */
  ownCpuEstimate: Percentiles;
  /** ms the controller took to answer the POST. */
  postMs: number;
}

/** Urgent notice (gate-wide, critical) → every simulated screen of the gate acknowledged it. */
export async function benchAlert(api: ControllerApi, fleet: Fleet, gate: string, timeoutMs = 60_000) {
  const ids = new Set((await fleet.screens()).map((s) => s.id));
  const id = `bench-alert-${Date.now().toString(36)}`;
  const now = Date.now();
  const t0 = Date.now();
  await api.must("POST", "/api/v1/alerts", {
    id,
    severity: "critical",
    message: { vi: "Thông báo khẩn: kiểm tra hệ thống", zh: "紧急通知：系统测试" },
    targets: { gates: [gate] },
    startsAt: new Date(now - 1_000).toISOString(),
    expiresAt: new Date(now + 30 * 60_000).toISOString(),
  });
  const postMs = Date.now() - t0;
  const acks = await waitFor(
    async () => {
      const v = await api.must("GET", `/api/v1/alerts/${id}`, undefined, AlertView);
      const mine = v.acks.filter((a) => ids.has(a.screenId));
      return mine.length >= ids.size ? mine : undefined;
    },
    timeoutMs,
    `every screen acknowledging alert ${id}`,
    100,
  );
  const byId = new Map((await fleet.screens()).map((s) => [s.id, s]));
  const verifyAloneMs = (await fleet.verifyAlertMs()) ?? Number.NaN;
  const parts = acks.flatMap((a) => {
    const st = byId.get(a.screenId);
    if (!st || st.lastAlertMessageAt === null || st.lastAlertAckAt === null) return [];
    return [{ stored: a.at, arrived: st.lastAlertMessageAt, sent: st.lastAlertAckAt }];
  });
  const row: AlertRow = {
    screens: ids.size,
    acked: acks.length,
    latency: percentiles(acks.map((a) => a.at - t0)),
    arrival: percentiles(parts.map((p) => p.arrived - t0)),
    onScreen: percentiles(parts.map((p) => p.sent - p.arrived)),
    ingest: percentiles(parts.map((p) => p.stored - p.sent)),
    verifyAloneMs,
    ownCpuEstimate: percentiles(
      parts.map((p) => p.arrived - t0 + (Number.isNaN(verifyAloneMs) ? 0 : verifyAloneMs) + (p.stored - p.sent)),
    ),
    postMs,
  };
  await api.must("POST", `/api/v1/alerts/${id}/cancel`);
  return row;
}

export interface RestartRow {
  screens: number;
  /** ms the broker was unreachable (stop → accepting again). */
  downMs: number;
  /** ms from the broker going down until every screen was connected again. */
  allBackMs: number;
  /** ms from the broker going down until every screen showed the release made right after the restart. */
  allInSyncMs: number;
  /** Reconnection times (from the broker going down) of the screens. */
  reconnect: Percentiles;
  /** Times (from the broker going down) each screen was back on the new release with its media. */
  inSync: Percentiles;
  /** Distinct whole seconds screens reconnected in, and the first → last spread in ms. */
  distinctSeconds: number;
  spreadMs: number;
  /** Screens reconnecting in each second after the broker went down: `{ second: count }`. */
  histogram: Record<string, number>;
  /** What the screens' connection attempts ran into meanwhile (message → count). */
  connectErrors: Record<string, number>;
}

async function changeAndRelease(api: ControllerApi, itemId: string, note: string): Promise<void> {
  const item = await api.must("GET", `/api/v1/items/${itemId}`, undefined, z.looseObject({ duration: z.number() }));
  await api.must("PUT", `/api/v1/items/${itemId}`, { ...item, duration: item.duration >= 30 ? 10 : item.duration + 1 });
  await api.must("POST", "/api/v1/releases", { note });
}

const ScreenRows = z.array(z.object({ id: z.string(), manifest: z.object({ published: z.number().nullable() }) }));

/** The version the controller has published to each screen, once each one is above `above`. */
async function publishedAbove(api: ControllerApi, above: Map<string, number>, timeoutMs: number) {
  return waitFor(
    async () => {
      const rows = await api.must("GET", "/api/v1/screens", undefined, ScreenRows);
      const out = new Map<string, number>();
      for (const r of rows) {
        const min = above.get(r.id);
        if (min === undefined) continue;
        if (r.manifest.published === null || r.manifest.published <= min) return undefined;
        out.set(r.id, r.manifest.published);
      }
      return out.size === above.size ? out : undefined;
    },
    timeoutMs,
    "the controller publishing the new release to every screen",
    200,
  );
}

/**
 * Broker restart with the fleet connected: the broker goes down and comes back (`env.restartBroker`), a
 * release is made as soon as it is back, and each screen's reconnection and switch to the new manifest
 * is timed. `item` is an item every screen plays (its duration is changed).
 */
export async function benchRestart(env: Installation, fleet: Fleet, item: string, timeoutMs = 180_000) {
  await waitSettled(fleet, timeoutMs, "the fleet before the restart");
  const before = new Map((await fleet.screens()).map((s) => [s.id, s.currentVersion ?? 0]));
  const messagesBefore = await fleet.messages();
  const { downAt, upAt } = await env.restartBroker();
  await changeAndRelease(env.api, item, "bench: release right after a broker restart");
  const targets = await publishedAbove(env.api, before, timeoutMs);
  const synced = new Map<string, number>();
  const back = new Map<string, number>();
  let views: ScreenView[] = [];
  await waitFor(
    async () => {
      views = await fleet.screens();
      const now = Date.now();
      for (const s of views) {
        if (!back.has(s.id)) {
          const t = s.connects.find((c) => c > downAt);
          if (t !== undefined && s.connected) back.set(s.id, t);
        }
        if (
          !synced.has(s.id) &&
          (s.currentVersion ?? 0) >= (targets.get(s.id) ?? Number.POSITIVE_INFINITY) &&
          s.mediaReady
        )
          synced.set(s.id, now);
      }
      return back.size === views.length && synced.size === views.length ? true : undefined;
    },
    timeoutMs,
    () => `every screen back and in sync (${back.size} back, ${synced.size} in sync of ${views.length})`,
    200,
  );
  const times = [...back.values()].map((t) => t - downAt);
  const histogram: Record<string, number> = {};
  for (const t of times) {
    const sec = String(Math.floor(t / 1000));
    histogram[sec] = (histogram[sec] ?? 0) + 1;
  }
  const messagesAfter = await fleet.messages();
  const row: RestartRow = {
    screens: views.length,
    downMs: upAt - downAt,
    allBackMs: Math.max(...times),
    allInSyncMs: Math.max(...[...synced.values()].map((t) => t - downAt)),
    reconnect: percentiles(times),
    inSync: percentiles([...synced.values()].map((t) => t - downAt)),
    distinctSeconds: Object.keys(histogram).length,
    spreadMs: Math.max(...times) - Math.min(...times),
    histogram,
    connectErrors: Object.fromEntries(
      [...messagesAfter]
        .map(([m, n]) => [m, n - (messagesBefore.get(m) ?? 0)] as const)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8),
    ),
  };
  return row;
}

export interface ResourceRow {
  screens: number;
  seconds: number;
  controllerRssMB: number;
  controllerPeakRssMB: number;
  /** CPU time over the interval, in % of one core. */
  controllerCpuPct: number;
  brokerRssMB: number | null;
  brokerCpuPct: number | null;
  playsPerSecond: number;
  heartbeatsPerSecond: number;
}

async function peakRss(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN) * 1024;
}

/**
 * The controller (and Mosquitto) with the fleet connected and playing, read from /proc over `seconds`
 * of steady state; plays ingested from the controller's own counter.
 */
export async function benchResources(env: Installation, fleet: Fleet, seconds: number, heartbeatMs: number) {
  await waitSettled(fleet, 600_000, "the fleet before measuring resources");
  const { controller: pid, broker } = env.pids();
  if (pid === null) throw new Error("controller is not running");
  const c0 = await readProc(pid);
  const b0 = broker === null ? null : await readProc(broker);
  const p0 = await metric(env.controller.url, "gatecast_plays_ingested_total");
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const c1 = await readProc(pid);
  const b1 = broker === null ? null : await readProc(broker);
  const p1 = await metric(env.controller.url, "gatecast_plays_ingested_total");
  const dt = (c1.at - c0.at) / 1000;
  const mb = (n: number) => Math.round((n / 1_048_576) * 10) / 10;
  const row: ResourceRow = {
    screens: fleet.size(),
    seconds: Math.round(dt),
    controllerRssMB: mb(c1.rssBytes),
    controllerPeakRssMB: mb(await peakRss(pid)),
    controllerCpuPct: Math.round(((c1.cpuS - c0.cpuS) / dt) * 1000) / 10,
    brokerRssMB: b1 ? mb(b1.rssBytes) : null,
    brokerCpuPct: b0 && b1 ? Math.round(((b1.cpuS - b0.cpuS) / dt) * 1000) / 10 : null,
    playsPerSecond: Math.round(((p1 - p0) / dt) * 10) / 10,
    heartbeatsPerSecond: Math.round((fleet.size() / (heartbeatMs / 1000)) * 10) / 10,
  };
  return row;
}
