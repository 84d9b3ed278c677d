import { randomInt, randomUUID } from "node:crypto";
import type { PairingCreated, PairingStatus, ScreenCredentials } from "@gatecast/playlists";
import { hashMqttPassword, randomSecret } from "../auth/passwords.ts";
import { screenUsername } from "../broker/acl.ts";
import type { Context, Feature } from "../context.ts";
import { AppError } from "../errors.ts";

/** No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a technician reads it off a screen across a hall. */
export const CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679";
export const PAIRING_TTL_MS = 15 * 60_000;
export const MAX_OPEN_PAIRINGS = 1000;

interface Issued {
  screenId: string;
  username: string;
  password: string;
}

interface Pairing {
  id: string;
  code: string;
  createdAt: number;
  expiresAt: number;
  /** A kiosk polls within seconds; one that never does was most likely asked for by someone else. */
  polled: boolean;
  claimed: Issued | null;
}

/** Where a screen reaches the broker, as seen from the origin it talks to us on. */
export type Endpoints = (origin: string) => { url: string; wsUrl: string };

export type PairingPoll = PairingStatus;

export function newCode(): string {
  let code = "";
  for (let i = 0; i < 6; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/**
 * Screens pair without typing anything: the kiosk shows a code, an admin claims it for a screen id, and
 * the kiosk's next poll gets its credentials and the controller's public key, once. Open pairings live
 * in memory only: a restart simply shows a new code.
 */
export class Pairings implements Feature {
  readonly name = "pairings";
  private readonly byId = new Map<string, Pairing>();
  private readonly byCode = new Map<string, Pairing>();

  constructor(
    private readonly ctx: Pick<Context, "clock" | "store" | "bus" | "keys">,
    private readonly endpoints: Endpoints,
    private readonly maxOpen = MAX_OPEN_PAIRINGS,
  ) {}

  start(): void {}

  /** Open pairings live in memory only: a restarted controller shows screens new codes. */
  stop(): void {
    this.byId.clear();
    this.byCode.clear();
  }

  create(): PairingCreated {
    const now = this.ctx.clock.now();
    this.prune(now);
    if (this.byId.size >= this.maxOpen) this.makeRoom(now);
    let code = newCode();
    while (this.byCode.has(code)) code = newCode();
    const p: Pairing = {
      id: randomUUID(),
      code,
      createdAt: now,
      expiresAt: now + PAIRING_TTL_MS,
      polled: false,
      claimed: null,
    };
    this.byId.set(p.id, p);
    this.byCode.set(code, p);
    return { pairingId: p.id, code, expiresAt: new Date(p.expiresAt).toISOString() };
  }

  /** Pending, or the credentials exactly once; undefined when unknown, expired or already delivered. */
  poll(pairingId: string, origin: string): PairingPoll | undefined {
    const now = this.ctx.clock.now();
    const p = this.byId.get(pairingId);
    if (!p) return undefined;
    if (p.claimed) {
      this.forget(p);
      return { status: "claimed", ...this.credentialsFor(p.claimed, origin) };
    }
    if (p.expiresAt <= now) {
      this.forget(p);
      return undefined;
    }
    p.polled = true;
    return { status: "pending", code: p.code, expiresAt: new Date(p.expiresAt).toISOString() };
  }

  /** Whether a code is open: shown by a kiosk, not claimed yet, not expired. */
  isOpen(code: string): boolean {
    return this.openPairing(code) !== undefined;
  }

  /** Claims an open code for a screen, issuing it new credentials. False when no such open code. */
  claim(code: string, screenId: string): boolean {
    const p = this.openPairing(code);
    if (!p) return false;
    p.claimed = this.issueCredentials(screenId);
    this.byCode.delete(p.code);
    return true;
  }

  /** New random credentials for a screen; the old ones stop working and its connections are dropped. */
  issueCredentials(screenId: string): Issued {
    const password = randomSecret(24);
    const username = screenUsername(screenId);
    this.ctx.store.fleet.setCredentials(screenId, username, hashMqttPassword(password), this.ctx.clock.now());
    this.ctx.bus.emit("screen-access-changed", { screenId, revoked: true });
    return { screenId, username, password };
  }

  credentialsFor(issued: Issued, origin: string): ScreenCredentials {
    const { url, wsUrl } = this.endpoints(origin);
    return {
      screenId: issued.screenId,
      mqtt: { url, wsUrl, username: issued.username, password: issued.password },
      jwks: this.ctx.keys.jwks,
    };
  }

  /**
   * All slots taken: the oldest pairing no kiosk ever polled goes (Map order is creation order). When
   * every one is being polled, the caller is told when the first slot frees up (503, Retry-After).
   */
  private makeRoom(now: number): void {
    for (const p of this.byId.values())
      if (!p.polled && !p.claimed) {
        this.forget(p);
        return;
      }
    const first = Math.min(...[...this.byId.values()].map((p) => p.expiresAt));
    const retryAfterS = Math.max(1, Math.ceil((first - now) / 1000));
    throw new AppError("busy", "every pairing slot is in use by a kiosk; try again later", {
      params: { retryAfterS, scope: "pairing" },
      headers: { "Retry-After": String(retryAfterS) },
    });
  }

  private openPairing(code: string): Pairing | undefined {
    const p = this.byCode.get(code.toUpperCase());
    return p && !p.claimed && p.expiresAt > this.ctx.clock.now() ? p : undefined;
  }

  private forget(p: Pairing): void {
    this.byId.delete(p.id);
    if (this.byCode.get(p.code) === p) this.byCode.delete(p.code);
  }

  private prune(now: number): void {
    for (const p of this.byId.values()) if (p.expiresAt <= now && !p.claimed) this.forget(p);
  }
}
