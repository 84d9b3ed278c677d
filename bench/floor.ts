/**
 * The floor a release figure is compared with: the bare fan-out of the same broker on the same machine
 * in the same run. One publisher sends each screen one distinct retained QoS 1 message of a manifest's
 * size (the screen's own signed manifest, on its `cmd` topic), with no compiling, signing, store or
 * verification; the receivers parse each as a screen would. The publisher talks to the broker the way
 * the controller does: inside Aedes (a bare Aedes with the embedded broker's persistence and settings,
 * in its own process) or as one mqtt.js client of Mosquitto (the same Mosquitto the release used).
 *
 * `startFloorPublisher` forks the publisher; this same file is its entry point.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createServer, type Server } from "node:net";
import { topics } from "@gatecast/playlists";
import { Aedes } from "aedes";
import mqtt, { type MqttClient } from "mqtt";
import { retainedIndexedPersistence } from "../controller/src/broker/retainedIndex.ts";

export type FloorTarget =
  | { kind: "aedes" }
  | { kind: "client"; url: string; username: string; password: string; clientId: string };

type ToChild =
  | { type: "start"; target: FloorTarget; messages: { screenId: string; payload: string }[] }
  | { type: "go" }
  | { type: "clear" }
  | { type: "exit" };
type FromChild =
  | { type: "ok"; port?: number; startedAt?: number; ackedAt?: number }
  | { type: "error"; message: string };

const now = () => performance.timeOrigin + performance.now();

function child(): void {
  let aedes: Aedes | null = null;
  let server: Server | null = null;
  let client: MqttClient | null = null;
  let messages: { topic: string; payload: Buffer }[] = [];
  const reply = (m: FromChild): void => {
    process.send?.(m);
  };

  const publish = (topic: string, payload: Buffer): Promise<void> => {
    if (aedes) {
      const a = aedes;
      return new Promise((resolve, reject) =>
        a.publish({ cmd: "publish", topic, payload, qos: 1, retain: true, dup: false }, (err) =>
          err ? reject(err) : resolve(),
        ),
      );
    }
    if (!client) throw new Error("not started");
    return client.publishAsync(topic, payload, { qos: 1, retain: true }).then(() => undefined);
  };

  const handle = async (m: ToChild) => {
    switch (m.type) {
      case "start": {
        messages = m.messages.map((x) => ({ topic: topics.cmd(x.screenId), payload: Buffer.from(x.payload) }));
        if (m.target.kind === "aedes") {
          // as controller/src/broker/embedded.ts, without logins
          const a = await Aedes.createBroker({
            persistence: retainedIndexedPersistence(),
            heartbeatInterval: 60_000,
            connectTimeout: 30_000,
          });
          aedes = a;
          const s = createServer((socket) => a.handle(socket));
          server = s;
          await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", () => resolve()));
          const address = s.address();
          return reply({ type: "ok", port: typeof address === "object" && address ? address.port : 0 });
        }
        client = await mqtt.connectAsync(m.target.url, {
          username: m.target.username,
          password: m.target.password,
          clientId: m.target.clientId,
          reconnectPeriod: 0,
        });
        return reply({ type: "ok" });
      }
      case "go": {
        const startedAt = now();
        await Promise.all(messages.map((x) => publish(x.topic, x.payload)));
        return reply({ type: "ok", startedAt, ackedAt: now() });
      }
      case "clear":
        await Promise.all(messages.map((x) => publish(x.topic, Buffer.alloc(0))));
        return reply({ type: "ok" });
      case "exit":
        await client?.endAsync(true);
        if (aedes) {
          const a = aedes;
          await new Promise<void>((resolve) => a.close(() => resolve()));
        }
        server?.close();
        process.exit(0);
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

export interface FloorPublisher {
  /** The bare Aedes's port (kind `aedes`). */
  port: number | null;
  /** Sends every message; wall-clock instants of the first send and of the last broker acknowledgement. */
  go(): Promise<{ startedAt: number; ackedAt: number }>;
  /** Deletes the retained messages it sent (on a shared broker). */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFloorPublisher(
  target: FloorTarget,
  messages: { screenId: string; payload: string }[],
): Promise<FloorPublisher> {
  const proc: ChildProcess = fork(import.meta.filename, ["--floor"], {
    execArgv: ["--import", "tsx"],
    stdio: "inherit",
    serialization: "advanced",
  });
  const waiting: ((m: FromChild) => void)[] = [];
  proc.on("message", (m: FromChild) => waiting.shift()?.(m));
  const next = () => new Promise<FromChild>((resolve) => waiting.push(resolve));
  const ask = async (m: ToChild) => {
    const answer = next();
    proc.send(m);
    const r = await answer;
    if (r.type === "error") throw new Error(r.message);
    return r;
  };
  await next();
  const started = await ask({ type: "start", target, messages });
  return {
    port: started.port ?? null,
    async go() {
      const r = await ask({ type: "go" });
      return { startedAt: r.startedAt ?? Number.NaN, ackedAt: r.ackedAt ?? Number.NaN };
    },
    async clear() {
      await ask({ type: "clear" });
    },
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
      proc.send({ type: "exit" } satisfies ToChild);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (proc.exitCode === null) proc.kill();
    },
  };
}

if (process.argv.includes("--floor")) child();
