import { Id, Instant, Jwks, MqttCredentials, PairingCreated, PairingStatus } from "@gatecast/playlists";
import { z } from "zod";
import { isAbort, nextDelay, sleep } from "./backoff.ts";

/** What a paired kiosk keeps in IndexedDB: who it is, how it connects, and the keys it trusts. */
export const Credentials = z.object({
  screenId: Id,
  mqtt: MqttCredentials,
  jwks: Jwks,
  pairedAt: Instant,
});
export type Credentials = z.infer<typeof Credentials>;

/** A pairing in progress, kept so that a reload shows the same code until it expires. */
export const StoredPairing = PairingCreated;
export type StoredPairing = PairingCreated;

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export class PairingHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface PairingApi {
  create(): Promise<PairingCreated>;
  /** `null` when the controller no longer knows the pairing (expired or unknown: start a new one). */
  poll(pairingId: string): Promise<PairingStatus | null>;
}

async function json(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    throw new PairingHttpError(res.status, `HTTP ${res.status}: body is not JSON`);
  }
}

function parsed<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new Error(`${what}: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return r.data;
}

/** The controller's pairing endpoints. `origin` is where the API lives (the kiosk's own origin). */
export function pairingApi(origin: string, fetchImpl: Fetch): PairingApi {
  const base = `${origin.replace(/\/$/, "")}/api/v1/pairings`;
  return {
    async create() {
      const res = await fetchImpl(base, {
        method: "POST",
        headers: { accept: "application/json" },
        cache: "no-store",
      });
      if (res.status !== 201 && res.status !== 200) throw new PairingHttpError(res.status, `HTTP ${res.status}`);
      return parsed(PairingCreated, await json(res), "pairing");
    },
    async poll(pairingId) {
      const res = await fetchImpl(`${base}/${encodeURIComponent(pairingId)}`, {
        headers: { accept: "application/json" },
        cache: "no-store",
      });
      if (res.status === 404 || res.status === 410) return null;
      if (res.status !== 200) throw new PairingHttpError(res.status, `HTTP ${res.status}`);
      return parsed(PairingStatus, await json(res), "pairing status");
    },
  };
}

export type PairingView =
  | { kind: "requesting"; offline: boolean }
  | { kind: "code"; code: string; expiresAt: number; offline: boolean };

export interface PairingDeps {
  api: PairingApi;
  now: () => number;
  /** The pairing kept across reloads. */
  load: () => Promise<StoredPairing | null>;
  save: (pairing: StoredPairing | null) => Promise<void>;
  onView: (view: PairingView) => void;
  onError?: (message: string) => void;
  random?: () => number;
  pollMs?: number;
  signal?: AbortSignal;
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A pairing is not shown when it expires within this margin: the operator would not have time to type it. */
const EXPIRY_MARGIN_MS = 5_000;

/**
 * Shows a code, polls until an operator claims it, and returns the screen's credentials. Starts a new
 * pairing when the code expires or the controller forgets it; retries with backoff while the controller
 * cannot be reached. Never throws except when `signal` aborts.
 */
export async function runPairing(deps: PairingDeps): Promise<Credentials> {
  const wait = deps.wait ?? sleep;
  const random = deps.random ?? Math.random;
  const pollMs = deps.pollMs ?? 2_000;
  let failures = 0;
  let offline = false;
  let pairing: StoredPairing | null = await deps.load().catch(() => null);

  const fail = async (e: unknown) => {
    if (isAbort(e)) throw e;
    deps.onError?.(e instanceof Error ? e.message : String(e));
    offline = true;
    await wait(nextDelay(failures++, random()), deps.signal);
  };

  for (;;) {
    deps.signal?.throwIfAborted();
    if (!pairing || Date.parse(pairing.expiresAt) - EXPIRY_MARGIN_MS <= deps.now()) {
      if (pairing) await deps.save(null).catch(() => undefined);
      pairing = null;
      if (!offline) deps.onView({ kind: "requesting", offline });
      try {
        pairing = await deps.api.create();
      } catch (e) {
        await fail(e);
        continue;
      }
      failures = 0;
      offline = false;
      await deps.save(pairing).catch(() => undefined);
    }
    deps.onView({ kind: "code", code: pairing.code, expiresAt: Date.parse(pairing.expiresAt), offline });

    let status: PairingStatus | null;
    try {
      status = await deps.api.poll(pairing.pairingId);
    } catch (e) {
      await fail(e);
      continue;
    }
    failures = 0;
    offline = false;
    if (status === null) {
      pairing = null;
      continue;
    }
    if (status.status === "claimed") {
      await deps.save(null).catch(() => undefined);
      return {
        screenId: status.screenId,
        mqtt: status.mqtt,
        jwks: status.jwks,
        pairedAt: new Date(deps.now()).toISOString(),
      };
    }
    await wait(pollMs, deps.signal);
  }
}

/**
 * The WebSocket URL to connect to: as the controller gave it, made absolute against the kiosk's origin
 * when it is a path, with the scheme following the page (wss on https).
 */
export function resolveWsUrl(wsUrl: string, pageOrigin: string): string {
  if (/^wss?:\/\//i.test(wsUrl)) return wsUrl;
  const u = new URL(wsUrl, pageOrigin);
  if (u.protocol === "https:") u.protocol = "wss:";
  else if (u.protocol === "http:") u.protocol = "ws:";
  return u.href;
}
