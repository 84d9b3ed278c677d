/**
 * Screens that only receive, spread over child processes so that the measuring tool is not the
 * bottleneck and no process holds more connections than the open-files limit allows: each child holds
 * its slice of MQTT connections. A screen records when each message reached it; afterwards each
 * message is checked alone, as that screen would check it (a manifest with the kiosk's own
 * `acceptManifest`: signature, schema, screen, version, expiry; a bare message parsed as a manifest),
 * and the check's own time is added to the arrival: what a screen with its own CPU would see, without
 * the queue of a thousand screens sharing this machine's two cores.
 *
 * `startReceivers` forks the children; this same file is each child's entry point.
 */
import { type ChildProcess, fork } from "node:child_process";
import { acceptManifest, type HeldManifest } from "@gatecast/kiosk/sync";
import { Jwks, ManifestPayload, SignedEnvelope, topics } from "@gatecast/playlists";
import mqtt, { type MqttClient } from "mqtt";

export interface ReceiverScreen {
  id: string;
  username: string;
  password: string;
}

/** What is timed: `manifest`, a new manifest on the screen's own topic; `bare`, any message on `cmd`. */
export type Phase = "manifest" | "bare";

export interface Arrival {
  id: string;
  /** Wall clock (ms, sub-ms precision) the message reached the screen's socket handler. */
  arrivedAt: number;
  /** ms the screen's own check of it took, measured alone. */
  checkMs: number;
}

type ToChild =
  | {
      type: "connect";
      set: string;
      url: string;
      screens: ReceiverScreen[];
      jwks: Jwks;
      subscribe: Phase[];
      /** Announced in each screen's status, as a kiosk does on connecting (null: no status sent). */
      features: string[] | null;
    }
  | { type: "arm"; set: string; phase: Phase }
  | { type: "count"; set: string }
  | { type: "collect"; set: string }
  | { type: "close"; set: string }
  | { type: "exit" };

type FromChild =
  | { type: "ok"; n?: number; arrivals?: Arrival[]; versions?: Record<string, number> }
  | { type: "error"; message: string };

const now = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------- child

interface Held {
  screen: ReceiverScreen;
  client: MqttClient;
  held: HeldManifest | null;
  /** The raw message being timed, once it came. */
  got: { at: number; payload: Buffer } | null;
}

function child(): void {
  const sets = new Map<string, { held: Held[]; jwks: Jwks; phase: Phase | null }>();
  const reply = (m: FromChild): void => {
    process.send?.(m);
  };

  const connect = async (m: Extract<ToChild, { type: "connect" }>) => {
    const set = { held: [] as Held[], jwks: Jwks.parse(m.jwks), phase: null as Phase | null };
    sets.set(m.set, set);
    // 50 connections at a time: a broker takes a thundering herd badly, and it is not what is timed
    for (let i = 0; i < m.screens.length; i += 50) {
      await Promise.all(
        m.screens.slice(i, i + 50).map(async (screen) => {
          const client = await mqtt.connectAsync(m.url, {
            username: screen.username,
            password: screen.password,
            clientId: `screen.${screen.id}.bench-${process.pid}`,
            reconnectPeriod: 0,
            keepalive: 300,
            connectTimeout: 60_000,
          });
          const h: Held = { screen, client, held: null, got: null };
          set.held.push(h);
          const manifestTopic = topics.manifest(screen.id);
          client.on("message", (topic, payload) => {
            const at = now();
            if (payload.length === 0) return;
            if (topic === manifestTopic && set.phase !== "bare") {
              if (set.phase === "manifest") {
                if (!h.got && newer(payload, h.held)) h.got = { at, payload };
              } else void hold(h, payload, set.jwks);
            } else if (topic !== manifestTopic && set.phase === "bare" && !h.got) h.got = { at, payload };
          });
          if (m.features) {
            const status = { state: "online", at: new Date().toISOString(), features: m.features };
            await client.publishAsync(topics.status(screen.id), JSON.stringify(status), { qos: 1, retain: true });
          }
          const subs = m.subscribe.map((p) => (p === "manifest" ? manifestTopic : topics.cmd(screen.id)));
          await client.subscribeAsync(subs, { qos: 1 });
        }),
      );
    }
    reply({ type: "ok", n: set.held.length });
  };

  const handle = async (m: ToChild) => {
    if (m.type === "connect") return connect(m);
    if (m.type === "exit") process.exit(0);
    const set = sets.get(m.set);
    if (!set) throw new Error(`no connection set ${m.set}`);
    switch (m.type) {
      case "arm":
        for (const h of set.held) h.got = null;
        set.phase = m.phase;
        return reply({ type: "ok" });
      case "count": {
        const versions: Record<string, number> = {};
        for (const h of set.held) if (h.held) versions[h.screen.id] = h.held.manifest.version;
        const n = set.held.filter((h) => (set.phase === null ? h.held !== null : h.got !== null)).length;
        return reply({ type: "ok", n, versions });
      }
      case "collect": {
        const arrivals: Arrival[] = [];
        for (const h of set.held) {
          if (!h.got) continue;
          const t0 = now();
          await check(h, set.phase ?? "bare", set.jwks);
          arrivals.push({ id: h.screen.id, arrivedAt: h.got.at, checkMs: now() - t0 });
        }
        set.phase = null;
        return reply({ type: "ok", arrivals });
      }
      case "close":
        await Promise.all(set.held.map((h) => h.client.endAsync(true)));
        sets.delete(m.set);
        return reply({ type: "ok" });
    }
  };

  let queue: Promise<void> = Promise.resolve();
  process.on("message", (m: ToChild) => {
    queue = queue.then(() =>
      handle(m).catch((e: unknown) =>
        reply({ type: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
      ),
    );
  });
  process.send?.({ type: "ok" });
}

/** The manifest's version, read without parsing it (only the top level has a "version" key). */
function versionOf(payload: Buffer): number {
  const text = payload.toString("utf8");
  const at = text.lastIndexOf('"version":');
  return Number(/^"version":(\d+)/.exec(text.slice(at))?.[1] ?? Number.NaN);
}

const newer = (payload: Buffer, held: HeldManifest | null) => versionOf(payload) > (held?.manifest.version ?? 0);

async function hold(h: Held, payload: Buffer, jwks: Jwks): Promise<void> {
  const d = await acceptManifest(h.held, JSON.parse(payload.toString("utf8")), jwks, Date.now(), h.screen.id);
  if (d.kind === "accepted") h.held = d.held;
}

/** What the screen does with the message: verify and take a manifest, or parse a bare one. */
async function check(h: Held, phase: Phase, jwks: Jwks): Promise<void> {
  const got = h.got;
  if (!got) return;
  const raw: unknown = JSON.parse(got.payload.toString("utf8"));
  if (phase === "bare") {
    const env = SignedEnvelope.parse(raw);
    ManifestPayload.parse(env.payload);
    return;
  }
  const d = await acceptManifest(h.held, raw, jwks, Date.now(), h.screen.id);
  if (d.kind !== "accepted") throw new Error(`screen ${h.screen.id} refused its manifest: ${JSON.stringify(d)}`);
  h.held = d.held;
}

// --------------------------------------------------------------------------------------------- parent

class Child {
  private waiting: { resolve: (m: FromChild) => void; reject: (e: Error) => void }[] = [];
  readonly ready: Promise<FromChild>;

  constructor(readonly proc: ChildProcess) {
    proc.on("message", (m: FromChild) => this.waiting.shift()?.resolve(m));
    proc.on("exit", (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`receiver process exited with ${code}`));
    });
    this.ready = new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async ask(m: ToChild): Promise<Extract<FromChild, { type: "ok" }>> {
    const answer = new Promise<FromChild>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.proc.send(m);
    const r = await answer;
    if (r.type === "error") throw new Error(r.message);
    return r;
  }
}

export interface Receivers {
  processes: number;
  screens: number;
  /**
   * Connects every screen to `url` as connection set `set`, subscribed to the phases' topics; with
   * `features`, each says in its status what it understands (as a kiosk does).
   */
  connect(set: string, url: string, jwks: Jwks, subscribe: Phase[], features?: string[]): Promise<void>;
  /** Resolves once every screen of `set` holds a first verified manifest; its versions by screen. */
  baseline(set: string, timeoutMs: number): Promise<Map<string, number>>;
  /** From now on, time the next message of `phase` on every screen of `set`. */
  arm(set: string, phase: Phase): Promise<void>;
  /** Screens of `set` that got their timed message. */
  arrived(set: string): Promise<number>;
  /** Checks each timed message alone; the arrivals with each check's own cost. */
  collect(set: string): Promise<Arrival[]>;
  close(set: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Forks `processes` receiver children (default: one per 2,500 screens, at least two) and splits
 * `screens` between them.
 */
export async function startReceivers(screens: readonly ReceiverScreen[], processes?: number): Promise<Receivers> {
  const n = Math.max(1, Math.min(screens.length, processes ?? Math.max(2, Math.ceil(screens.length / 2_500))));
  const children = Array.from(
    { length: n },
    () => new Child(fork(import.meta.filename, ["--receiver"], { execArgv: ["--import", "tsx"], stdio: "inherit" })),
  );
  await Promise.all(children.map((c) => c.ready));
  const slices = children.map((_, i) => screens.filter((_, j) => j % n === i));
  const all = async (m: (i: number) => ToChild) => Promise.all(children.map((c, i) => c.ask(m(i))));
  const poll = async <T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: () => string) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    processes: n,
    screens: screens.length,
    async connect(set, url, jwks, subscribe, features) {
      await all((i) => ({
        type: "connect",
        set,
        url,
        screens: slices[i] ?? [],
        jwks,
        subscribe,
        features: features ?? null,
      }));
    },
    async baseline(set, timeoutMs) {
      let have = 0;
      return poll(
        async () => {
          const rs = await all(() => ({ type: "count", set }));
          have = rs.reduce((a, r) => a + (r.n ?? 0), 0);
          if (have < screens.length) return undefined;
          return new Map(rs.flatMap((r) => Object.entries(r.versions ?? {})));
        },
        timeoutMs,
        () => `every screen's first manifest (${have}/${screens.length})`,
      );
    },
    async arm(set, phase) {
      await all(() => ({ type: "arm", set, phase }));
    },
    async arrived(set) {
      const rs = await all(() => ({ type: "count", set }));
      return rs.reduce((a, r) => a + (r.n ?? 0), 0);
    },
    async collect(set) {
      const rs = await all(() => ({ type: "collect", set }));
      return rs.flatMap((r) => r.arrivals ?? []);
    },
    async close(set) {
      await all(() => ({ type: "close", set }));
    },
    async stop() {
      await Promise.all(
        children.map(async (c) => {
          if (c.proc.exitCode !== null) return;
          const exited = new Promise<void>((resolve) => c.proc.once("exit", () => resolve()));
          c.proc.send({ type: "exit" } satisfies ToChild);
          await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
          if (c.proc.exitCode === null) c.proc.kill();
        }),
      );
    },
  };
}

if (process.argv.includes("--receiver")) child();
