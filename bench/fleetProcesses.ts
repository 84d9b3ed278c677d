/**
 * A fleet of simulated screens (the kiosk's own sync code, `sim/`) spread over child processes: each
 * child runs `startFleet` for its slice of the screens, so that thousands of screens verify, play,
 * acknowledge and reconnect on both cores, and no process holds more connections than the open-files
 * limit allows. The parent reads the children's screens through `screens()` and `stats()`.
 *
 * `startFleetProcesses` forks the children; this same file is each child's entry point.
 */
import { type ChildProcess, fork } from "node:child_process";
import { type ScreenCredentials, verifyEnvelope } from "@gatecast/playlists";
import { type Fleet, type FleetOptions, type FleetStats, startFleet } from "@gatecast/sim";
import { percentiles } from "./machine.ts";

/** What the figures read of one simulated screen. */
export interface ScreenView {
  id: string;
  connected: boolean;
  currentVersion: number | null;
  inSync: boolean;
  mediaReady: boolean;
  connects: number[];
  lastAlertMessageAt: number | null;
  lastAlertAckAt: number | null;
}

type ChildOptions = Pick<FleetOptions, "controllerUrl" | "brokerUrl" | "rampPerSecond" | "heartbeatMs">;

type ToChild =
  | { type: "start"; opts: ChildOptions; credentials: ScreenCredentials[] }
  | { type: "add"; credentials: ScreenCredentials[] }
  | { type: "screens" }
  | { type: "stats" }
  | { type: "settled" }
  | { type: "messages" }
  | { type: "verify-alert"; times: number }
  | { type: "stop" };

type FromChild = { type: "ok"; value?: unknown } | { type: "error"; message: string };

function view(s: Fleet["screens"][number]): ScreenView {
  return {
    id: s.id,
    connected: s.connected,
    currentVersion: s.currentVersion,
    inSync: s.inSync,
    mediaReady: s.mediaReady,
    connects: s.stats.connects,
    lastAlertMessageAt: s.stats.lastAlertMessageAt,
    lastAlertAckAt: s.stats.lastAlertAckAt,
  };
}

function child(): void {
  let fleet: Fleet | null = null;
  const reply = (m: FromChild): void => {
    process.send?.(m);
  };
  const must = () => {
    if (!fleet) throw new Error("fleet not started");
    return fleet;
  };
  const handle = async (m: ToChild): Promise<unknown> => {
    switch (m.type) {
      case "start":
        fleet = startFleet({ ...m.opts, credentials: m.credentials });
        await fleet.started;
        return undefined;
      case "add":
        await must().add(m.credentials);
        return undefined;
      case "screens":
        return must().screens.map(view);
      case "stats":
        return must().stats();
      case "settled":
        return must().screens.filter((s) => s.connected && s.inSync && s.mediaReady).length;
      case "messages":
        return [...must().messages];
      case "verify-alert": {
        // what one screen's CPU spends verifying the gate's signed alert, measured alone
        const s = must().screens.find((x) => x.snapshot.gateAlerts?.envelope);
        const env = s?.snapshot.gateAlerts?.envelope;
        if (!s || !env) return null;
        const costs: number[] = [];
        for (let i = 0; i < m.times; i++) {
          const t0 = performance.now();
          await verifyEnvelope(env, s.jwks);
          costs.push(performance.now() - t0);
        }
        return percentiles(costs).p50;
      }
      case "stop":
        await fleet?.stop();
        setImmediate(() => process.exit(0));
        return undefined;
    }
  };
  let queue: Promise<void> = Promise.resolve();
  process.on("message", (m: ToChild) => {
    queue = queue.then(() =>
      handle(m).then(
        (value) => reply({ type: "ok", value }),
        (e: unknown) => reply({ type: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
      ),
    );
  });
  reply({ type: "ok" });
}

class Child {
  private readonly waiting: { resolve: (m: FromChild) => void; reject: (e: Error) => void }[] = [];
  readonly ready: Promise<FromChild>;
  constructor(readonly proc: ChildProcess) {
    proc.on("message", (m: FromChild) => this.waiting.shift()?.resolve(m));
    proc.on("exit", (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`fleet process exited with ${code}`));
    });
    this.ready = new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
  async ask<T>(m: ToChild): Promise<T> {
    const answer = new Promise<FromChild>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.proc.send(m);
    const r = await answer;
    if (r.type === "error") throw new Error(r.message);
    return r.value as T;
  }
}

export interface FleetProcesses {
  processes: number;
  size(): number;
  screens(): Promise<ScreenView[]>;
  stats(): Promise<FleetStats>;
  /** Screens connected, holding the newest manifest they got, with every media file. */
  settled(): Promise<number>;
  messages(): Promise<Map<string, number>>;
  /** ms to verify the gate's signed alert on one screen, alone (null: no screen holds one). */
  verifyAlertMs(): Promise<number | null>;
  add(credentials: readonly ScreenCredentials[]): Promise<void>;
  stop(): Promise<void>;
}

const sum = (stats: FleetStats[]): FleetStats => {
  const out = { ...(stats[0] as FleetStats) };
  for (const s of stats.slice(1)) {
    for (const k of Object.keys(s) as (keyof FleetStats)[]) {
      const v = s[k];
      const acc = out as unknown as Record<string, number>;
      if (typeof v === "number" && k !== "at") acc[k] = (acc[k] ?? 0) + v;
    }
    out.lastError = s.lastError ?? out.lastError;
  }
  return out;
};

/**
 * Starts `credentials` as simulated screens in `processes` children (default one per 1,500 screens,
 * at least two), each ramping its slice at its share of `rampPerSecond`.
 */
export async function startFleetProcesses(
  opts: ChildOptions & { credentials: readonly ScreenCredentials[]; processes?: number },
): Promise<FleetProcesses> {
  const n = Math.max(
    1,
    Math.min(opts.credentials.length, opts.processes ?? Math.max(2, Math.ceil(opts.credentials.length / 1_500))),
  );
  const children = Array.from(
    { length: n },
    () =>
      new Child(
        fork(import.meta.filename, ["--fleet"], {
          execArgv: ["--import", "tsx"],
          stdio: "inherit",
          serialization: "advanced",
        }),
      ),
  );
  await Promise.all(children.map((c) => c.ready));
  let size = 0;
  let next = 0;
  const split = (creds: readonly ScreenCredentials[]) => {
    const parts: ScreenCredentials[][] = children.map(() => []);
    for (const c of creds) (parts[next++ % n] as ScreenCredentials[]).push(c);
    size += creds.length;
    return parts;
  };
  const parts = split(opts.credentials);
  const { credentials: _c, processes: _p, ...rest } = opts;
  const childOpts: ChildOptions = {
    ...rest,
    ...(opts.rampPerSecond !== undefined ? { rampPerSecond: opts.rampPerSecond / n } : {}),
  };
  await Promise.all(children.map((c, i) => c.ask({ type: "start", opts: childOpts, credentials: parts[i] ?? [] })));
  const all = <T>(m: ToChild) => Promise.all(children.map((c) => c.ask<T>(m)));
  return {
    processes: n,
    size: () => size,
    screens: async () => (await all<ScreenView[]>({ type: "screens" })).flat(),
    stats: async () => sum(await all<FleetStats>({ type: "stats" })),
    settled: async () => (await all<number>({ type: "settled" })).reduce((a, b) => a + b, 0),
    async messages() {
      const out = new Map<string, number>();
      for (const list of await all<[string, number][]>({ type: "messages" }))
        for (const [k, v] of list) out.set(k, (out.get(k) ?? 0) + v);
      return out;
    },
    async verifyAlertMs() {
      return (await children[0]?.ask<number | null>({ type: "verify-alert", times: 20 })) ?? null;
    },
    async add(credentials) {
      const more = split(credentials);
      await Promise.all(children.map((c, i) => c.ask({ type: "add", credentials: more[i] ?? [] })));
    },
    async stop() {
      await Promise.all(
        children.map(async (c) => {
          if (c.proc.exitCode !== null) return;
          const exited = new Promise<void>((resolve) => c.proc.once("exit", () => resolve()));
          await c.ask({ type: "stop" }).catch(() => undefined);
          await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
          if (c.proc.exitCode === null) c.proc.kill();
        }),
      );
    },
  };
}

if (process.argv.includes("--fleet")) child();
