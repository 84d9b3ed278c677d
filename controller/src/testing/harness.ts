import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SessionInfo } from "@gatecast/playlists/api";
import { pino } from "pino";
import { type Controller, startController } from "../app.ts";
import type { Clock } from "../clock.ts";
import { loadConfig } from "../config.ts";
import type { Logger } from "../log.ts";

export const ROOT = resolve(import.meta.dirname, "../../..");
export const SAMPLE_CONTENT = join(ROOT, "playlists/content");
export const ADMIN_PASSWORD = "test-admin-password-123";

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(public t = Date.parse("2026-11-23T03:00:00Z")) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TestController {
  controller: Controller;
  url: string;
  dataDir: string;
  /** Stops the controller; keeps the data folder unless `removeData`. */
  stop(opts?: { removeData?: boolean }): Promise<void>;
}

/**
 * A whole controller on 127.0.0.1 with free ports, a temp data folder and the sample content.
 * Pass `dataDir` to restart on the same store; `env` to override settings (e.g. MQTT_URL).
 */
export async function startTestController(
  opts: { clock?: Clock; env?: Record<string, string>; dataDir?: string; log?: Logger } = {},
): Promise<TestController> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), "gatecast-test-")));
  const config = loadConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    MQTT_PORT: "0",
    DATA_DIR: dataDir,
    GATECAST_CONTENT: SAMPLE_CONTENT,
    GATECAST_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: "silent",
    GATECAST_CHECK_RESPONSES: "1",
    // the gate site costs every controller an image resize at start: on in the tests that are about it
    SITE_SERVE: "0",
    // releases skip the readability check (seconds of Chromium each) unless a test turns it on
    READABILITY_CHECK: "off",
    ...opts.env,
  });
  const log = opts.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const controller = await startController(config, { log, ...(opts.clock ? { clock: opts.clock } : {}) });
  return {
    controller,
    url: controller.baseUrl,
    dataDir,
    async stop({ removeData = true } = {}) {
      await controller.stop();
      if (removeData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A logger that keeps every line it writes, parsed, for tests that check what was logged. */
export function capturingLogger(level = "info"): { log: Logger; lines: Record<string, unknown>[]; bytes(): number } {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level },
    {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { log, lines, bytes: () => raw.reduce((n, l) => n + Buffer.byteLength(l), 0) };
}

/** A browser-like API client: keeps the session cookie and sends the CSRF token on writes. */
export class ApiClient {
  private cookie: string | null = null;
  csrfToken: string | null = null;
  bearer: string | null = null;

  constructor(readonly baseUrl: string) {}

  async login(username = "admin", password = ADMIN_PASSWORD): Promise<Response> {
    const res = await fetch(`${this.baseUrl}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    if (res.ok) {
      this.cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? null;
      this.csrfToken = SessionInfo.parse(await res.clone().json()).csrfToken;
    }
    return res;
  }

  /** The headers a logged-in browser would send with this method. */
  authHeaders(method: string): Record<string, string> {
    const h: Record<string, string> = {};
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrfToken && method !== "GET") h["x-csrf-token"] = this.csrfToken;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    return h;
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const h: Record<string, string> = { ...headers, ...this.authHeaders(method) };
    if (body !== undefined) h["content-type"] = "application/json";
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async json<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await this.request(method, path, body);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
