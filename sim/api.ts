/**
 * The few controller API calls the simulator makes: log in (admin session + CSRF, or a bearer API token),
 * create `sim-<gate>-<n>` screens that are missing, and issue each one MQTT credentials. Every response
 * the simulator relies on is parsed with zod.
 */
import { Gate, ScreenCredentials } from "@gatecast/playlists";
import { MediaEntry, ScreenView, SessionInfo } from "@gatecast/playlists/api";
import { z } from "zod";

export type ApiAuth = { token: string } | { user: string; password: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiResponse<T> {
  status: number;
  body: T;
}

/** A logged-in client of one controller. */
export class ControllerApi {
  private constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string>,
  ) {}

  static async connect(baseUrl: string, auth: ApiAuth): Promise<ControllerApi> {
    const base = baseUrl.replace(/\/+$/, "");
    if ("token" in auth) {
      const api = new ControllerApi(base, { authorization: `Bearer ${auth.token}` });
      const me = await api.request("GET", "/api/v1/auth/me");
      if (me.status !== 200) throw new ApiError(me.status, `the API token was refused (HTTP ${me.status})`);
      return api;
    }
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: auth.user, password: auth.password }),
    });
    if (!res.ok) throw new ApiError(res.status, `login as ${auth.user} failed: HTTP ${res.status} ${await res.text()}`);
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const { csrfToken } = SessionInfo.parse(await res.json());
    if (!csrfToken) throw new ApiError(res.status, `login as ${auth.user} returned no CSRF token`);
    return new ControllerApi(base, { cookie, "x-csrf-token": csrfToken });
  }

  /**
   * One JSON request; the body is parsed with `schema` when given and the status is 2xx. A request that
   * never got an answer (a busy controller closing a kept-alive connection) is sent again, twice at most:
   * a create that did go through then answers 409, which callers treat as done.
   */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    schema?: z.ZodType<T>,
  ): Promise<ApiResponse<T>> {
    let res: Response;
    for (let attempt = 0; ; attempt++) {
      try {
        res = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: { ...this.headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        break;
      } catch (e) {
        if (attempt >= 2 || !(e instanceof TypeError)) throw e;
        await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
      }
    }
    const text = await res.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (schema && res.ok) return { status: res.status, body: schema.parse(parsed) };
    return { status: res.status, body: parsed as T };
  }

  /** Like `request`, but anything other than the expected statuses throws with the body. */
  async must<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    schema?: z.ZodType<T>,
    ok: readonly number[] = [200, 201, 204],
  ): Promise<T> {
    const r = await this.request(method, path, body, schema);
    if (!ok.includes(r.status))
      throw new ApiError(r.status, `${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Multipart upload of one file (`POST /api/v1/media`). */
  async upload(name: string, bytes: Uint8Array, mime: string): Promise<MediaEntry> {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(bytes)], { type: mime }), name);
    const { "content-type": _ignored, ...headers } = this.headers;
    const res = await fetch(`${this.baseUrl}/api/v1/media`, { method: "POST", headers, body: form });
    const text = await res.text();
    if (res.status !== 201) throw new ApiError(res.status, `upload ${name}: HTTP ${res.status} ${text}`);
    return MediaEntry.parse(JSON.parse(text));
  }

  gates(): Promise<Gate[]> {
    return this.must("GET", "/api/v1/gates", undefined, z.array(Gate));
  }
}

/** Runs `fn` over `items` with at most `limit` at once, keeping the order of the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T, i);
  });
  await Promise.all(workers);
  return out;
}

export const simScreenId = (gate: string, n: number) => `sim-${gate}-${n}`;

export interface ProvisionOptions {
  /** Screens to simulate, spread over these gates in turn (sim-<gate>-1, sim-<gate>-2, …). */
  count: number;
  gates: readonly string[];
  /** Numbers already taken in each gate: the first screen made is sim-<gate>-<offset + 1>. */
  offset?: number;
  tags?: readonly string[];
  /** Parallel API requests. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Creates the `sim-<gate>-<n>` screens that do not exist yet and issues every one of them new MQTT
 * credentials (the old ones stop working). Returns the credentials in screen order.
 */
export async function provisionScreens(api: ControllerApi, opts: ProvisionOptions): Promise<ScreenCredentials[]> {
  if (opts.gates.length === 0) throw new Error("no gate to put simulated screens in");
  const existing = new Map(
    (await api.must("GET", "/api/v1/screens", undefined, z.array(ScreenView))).map((s) => [s.id, s.gate]),
  );
  const perGate = new Map<string, number>();
  const wanted = Array.from({ length: opts.count }, (_, i) => {
    const gate = opts.gates[i % opts.gates.length] as string;
    const n = (perGate.get(gate) ?? opts.offset ?? 0) + 1;
    perGate.set(gate, n);
    return { id: simScreenId(gate, n), gate, n };
  });
  let done = 0;
  return mapLimit(wanted, opts.concurrency ?? 16, async (s) => {
    const gate = existing.get(s.id);
    if (gate === undefined) {
      // 409: it exists after all (a retried request that had gone through)
      await api.must(
        "POST",
        "/api/v1/screens",
        { id: s.id, gate: s.gate, name: `Simulated screen ${s.n} (${s.gate})`, tags: [...(opts.tags ?? ["sim"])] },
        undefined,
        [201, 409],
      );
    } else if (gate !== s.gate) {
      throw new Error(`screen ${s.id} exists in gate ${gate}, not ${s.gate}`);
    }
    const creds = await api.must("POST", `/api/v1/screens/${s.id}/credentials`, undefined, ScreenCredentials);
    opts.onProgress?.(++done, wanted.length);
    return creds;
  });
}
