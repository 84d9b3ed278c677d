import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";

export const MOSQUITTO_BIN = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"].find((p) => existsSync(p)) ?? "mosquitto";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Mosquitto {
  port: number;
  wsPort: number;
  dir: string;
  /** The running process's id (null while it is stopped). */
  pid(): number | null;
  /**
   * Rewrites the password and ACL files and makes Mosquitto read them again (SIGHUP); with `probe`,
   * returns once those credentials are accepted.
   */
  reload(files: { passwd: string; acl: string }, probe?: { username: string; password: string }): Promise<void>;
  stop(): Promise<void>;
  /** Kills and starts it again on the same ports (retained messages are not persisted). */
  restart(): Promise<void>;
  /** Stops the process but keeps its files, ports and configuration: `start()` brings it back. */
  halt(): Promise<void>;
  /** Starts it again after `halt()`; resolves once it listens. */
  start(): Promise<void>;
}

export interface MosquittoOptions {
  /**
   * Extra lines at the end of mosquitto.conf, e.g. a bridge (`connection …`, `address …`, `topic …`).
   * A function receives the ports this broker listens on and its folder (e.g. for `persistence_location`).
   */
  config?: readonly string[] | ((at: { port: number; wsPort: number; dir: string }) => readonly string[]);
  /** Ports to listen on (default: free ones). */
  port?: number;
  wsPort?: number;
}

/** Debian's Mosquitto on loopback with authentication and an ACL, as in production (without TLS). */
export async function startMosquitto(
  files: { passwd: string; acl: string },
  opts: MosquittoOptions = {},
): Promise<Mosquitto> {
  const dir = await mkdtemp(join(tmpdir(), "gatecast-mosquitto-"));
  const port = opts.port ?? (await freePort());
  const wsPort = opts.wsPort ?? (await freePort());
  const extra = typeof opts.config === "function" ? opts.config({ port, wsPort, dir }) : (opts.config ?? []);
  const write = async (f: { passwd: string; acl: string }) => {
    await writeFile(join(dir, "passwd"), f.passwd, { mode: 0o600 });
    await writeFile(join(dir, "acl"), f.acl, { mode: 0o600 });
  };
  await write(files);
  await writeFile(
    join(dir, "mosquitto.conf"),
    [
      "user root",
      "per_listener_settings false",
      "allow_anonymous false",
      `password_file ${join(dir, "passwd")}`,
      `acl_file ${join(dir, "acl")}`,
      "persistence false",
      "message_size_limit 262144",
      // as deploy/broker/mosquitto.conf: the controller takes 1000 screens' acks in one burst
      "max_inflight_messages 100",
      "max_queued_messages 10000",
      "log_dest stderr",
      "log_type error",
      "log_type warning",
      `listener ${port} 127.0.0.1`,
      `listener ${wsPort} 127.0.0.1`,
      "protocol websockets",
      // as deploy/broker: on the kiosks' listener a screen's client id is its username, so one screen
      // cannot take over another's session (Mosquitto's ACL cannot bind client ids)
      "use_username_as_clientid true",
      ...extra,
      "",
    ].join("\n"),
  );

  let proc: ChildProcess;
  let stderr = "";
  const launch = async () => {
    proc = spawn(MOSQUITTO_BIN, ["-c", join(dir, "mosquitto.conf")], { stdio: ["ignore", "ignore", "pipe"] });
    proc.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    await waitForPort(port, () => stderr);
  };
  await launch();

  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill("SIGTERM");
    await exited;
  };

  return {
    port,
    wsPort,
    dir,
    pid: () => (proc.exitCode === null && proc.signalCode === null ? (proc.pid ?? null) : null),
    async reload(f, probe) {
      await write(f);
      proc.kill("SIGHUP");
      if (!probe) return;
      const deadline = Date.now() + 10_000;
      for (;;) {
        const ok = await mqtt
          .connectAsync(`mqtt://127.0.0.1:${port}`, { ...probe, reconnectPeriod: 0, connectTimeout: 2_000 })
          .then(
            (c) => c.endAsync().then(() => true),
            () => false,
          );
        if (ok) return;
        if (Date.now() > deadline)
          throw new Error(`mosquitto did not accept ${probe.username} after reload: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      await stop();
      await launch();
    },
    halt: stop,
    async start() {
      if (proc.exitCode === null && proc.signalCode === null) return;
      await launch();
    },
  };
}

async function waitForPort(port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port}: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const EDGE_CONF = join(import.meta.dirname, "../deploy/broker/edge/mosquitto-edge.conf");

/**
 * The bridge section of deploy/broker/edge/mosquitto-edge.conf made to run on loopback: the same
 * `connection`, topics and queueing, for `gateId` instead of huu-nghi, to the centre at `centrePort`
 * without TLS, with the bridge's real password. `restartTimeout` replaces the deploy value (seconds
 * before the edge retries the centre) so a test does not wait the production 2–30 s.
 */
export function edgeBridgeConfig(
  conf: string,
  opts: { gateId: string; centrePort: number; password: string; restartTimeout?: string },
): string[] {
  const lines = conf.split("\n").map((l) => l.replace(/\s+#.*$/, "").trimEnd());
  const from = lines.findIndex((l) => l.startsWith("connection "));
  if (from < 0) throw new Error("no bridge (`connection …`) in the edge configuration");
  const queued = lines.filter((l) => l.startsWith("max_queued_messages "));
  return [
    ...queued,
    ...lines
      .slice(from)
      .filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("bridge_cafile"))
      .map((l) => {
        if (l.startsWith("address ")) return `address 127.0.0.1:${opts.centrePort}`;
        if (l.startsWith("remote_password ")) return `remote_password ${opts.password}`;
        if (l.startsWith("restart_timeout ") && opts.restartTimeout) return `restart_timeout ${opts.restartTimeout}`;
        return l.replaceAll("huu-nghi", opts.gateId);
      }),
  ];
}
