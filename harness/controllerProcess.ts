import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SessionInfo } from "@gatecast/playlists/api";
import { freePort } from "./mosquitto.ts";

export const ROOT = resolve(import.meta.dirname, "..");
export const ADMIN_PASSWORD = "e2e-admin-password-123";
/** What `npm start` and the systemd unit run: the compiled controller. */
export const CONTROLLER_BUNDLE = join(ROOT, "controller/dist/gatecast.mjs");

let built: Promise<void> | null = null;
/** Compiles the controller once per test process (a fraction of a second), so no run tests stale code. */
export function ensureBuilt(): Promise<void> {
  built ??= new Promise((resolve, reject) =>
    execFile(process.execPath, [join(ROOT, "controller/build.mjs")], (err, _out, stderr) =>
      err ? reject(new Error(`controller build failed: ${stderr || err.message}`)) : resolve(),
    ),
  );
  return built;
}

export interface ControllerProcess {
  url: string;
  port: number;
  mqttPort: number;
  dataDir: string;
  proc: ChildProcess;
  output(): string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Starts a new process on the same ports and data. */
  restart(): Promise<ControllerProcess>;
  cleanup(): Promise<void>;
}

/** `gatecast start` as a real process, exactly as `npm start` runs it, on free loopback ports. */
export async function startControllerProcess(
  opts: { env?: Record<string, string>; dataDir?: string; port?: number; mqttPort?: number } = {},
): Promise<ControllerProcess> {
  await ensureBuilt();
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), "gatecast-e2e-")));
  const port = opts.port ?? (await freePort());
  const mqttPort = opts.mqttPort ?? (await freePort());
  let out = "";
  // GATECAST_CPU_PROFILE_DIR=/tmp/p npm run bench …: a V8 CPU profile of each controller started (for
  // finding where a figure's time goes; NODE_OPTIONS may not carry --cpu-prof)
  const profileDir = process.env.GATECAST_CPU_PROFILE_DIR;
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const proc = spawn(process.execPath, [...profile, CONTROLLER_BUNDLE, "start"], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      MQTT_PORT: String(mqttPort),
      DATA_DIR: dataDir,
      GATECAST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
      // every answer is checked against its contract: a mismatch is a 500 and fails the test that met it
      GATECAST_CHECK_RESPONSES: "1",
      // the kiosk's test hooks (?clock=, window.__gatecastClock, ?heartbeat=) work only with this
      GATECAST_TEST_HOOKS: "1",
      // releases skip the readability check (seconds of Chromium each) unless a test turns it on
      READABILITY_CHECK: "off",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`controller exited with ${proc.exitCode}:\n${out}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`controller did not become healthy:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const self: ControllerProcess = {
    url,
    port,
    mqttPort,
    dataDir,
    proc,
    output: () => out,
    async stop(signal = "SIGTERM") {
      if (proc.exitCode !== null) return proc.exitCode;
      const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
      proc.kill(signal);
      return exited;
    },
    restart: () => startControllerProcess({ ...opts, dataDir, port, mqttPort }),
    cleanup: async () => {
      await self.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}

/** Logs in through the API and returns the cookie and CSRF token a browser would hold. */
export async function adminSession(url: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { csrfToken } = SessionInfo.parse(await res.json());
  return { cookie, csrf: csrfToken ?? "" };
}

export async function adminApi(url: string) {
  const session = await adminSession(url);
  return async <T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        cookie: session.cookie,
        "x-csrf-token": session.csrf,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
}
