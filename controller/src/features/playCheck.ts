import type { PlayRecord } from "@gatecast/playlists";

/**
 * Proof-of-play is what the yearly report counts, and a paired screen could claim anything: plays of
 * items it was never sent, or hours of play in seconds. Each record is checked against what the
 * controller sent that screen (its manifest history) and against the wall clock. Pure: the caller
 * passes the history, the receipt time and the screen's clock skew.
 */

/** One version the screen was sent: the item ids it contained and when (controller clock) it was issued. */
export interface SentVersion {
  version: number;
  items: ReadonlySet<string>;
  issuedAt: number;
}

export const REFUSAL_REASONS = [
  "unknown-version",
  "item-not-sent",
  "started-before-issue",
  "longer-than-wall-time",
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export type PlayVerdict =
  /** Store it and acknowledge it: it played under `version` (the latest that fits, for older kiosks). */
  | { kind: "store"; version: number }
  /** Acknowledge it (the screen may forget it) but do not store it: it cannot be true. */
  | { kind: "refuse"; reason: RefusalReason }
  /** Neither: it cannot be judged yet (the screen's clock is not known); the screen sends it again later. */
  | { kind: "defer" };

export interface PlayJudgement {
  /** Versions the screen was sent that are still in the history, by version. */
  sent: ReadonlyMap<number, SentVersion>;
  /** The last version reserved for the screen (a newer one may not be in `sent` for a moment). */
  reserved: number;
  /** Controller clock at receipt. */
  receivedAt: number;
  /** The screen's clock minus the controller's, from its status and heartbeats; null before any. */
  skewMs: number | null;
}

/** What the skew estimate and the network may be off by (a heartbeat's `at` is stamped before it travels). */
export const PLAY_TOLERANCE_MS = 30_000;

/**
 * How long before its version was issued a play may seem to start. The screen's start is read through
 * its skew now, which is off by however much its clock jumped since (an NTP correction, a clock set by
 * hand), so this is wide: it bounds a backdated claim to a day, not to the second.
 */
export const ISSUE_TOLERANCE_MS = 86_400_000;

export function judgePlay(play: PlayRecord, j: PlayJudgement): PlayVerdict {
  const v = play.manifestVersion;
  let versions: SentVersion[];
  if (v === undefined || v > j.reserved) {
    // an older kiosk, or a version this store never issued as far as it knows (it was restored from a
    // backup taken before): the item must be in one of the versions the screen was sent
    versions = [...j.sent.values()];
  } else {
    const sent = j.sent.get(v);
    if (!sent) {
      // reserved and sent before its history entry could be read here: judge it on the next try
      const newest = Math.max(0, ...j.sent.keys());
      return v > newest && v <= j.reserved ? { kind: "defer" } : { kind: "refuse", reason: "unknown-version" };
    }
    versions = [sent];
  }
  const candidates = versions.filter((s) => s.items.has(play.item));
  if (candidates.length === 0) return { kind: "refuse", reason: "item-not-sent" };
  if (j.skewMs === null) return { kind: "defer" };

  // on the controller's clock: when the play started by the screen's word
  const started = Date.parse(play.startedAt) - j.skewMs;
  if (!candidates.some((s) => started >= s.issuedAt - ISSUE_TOLERANCE_MS)) {
    return { kind: "refuse", reason: "started-before-issue" };
  }
  // durationMs ≤ receipt − start + skew (+ tolerance): a play cannot last longer than the time since it began
  if (play.durationMs > j.receivedAt - started + PLAY_TOLERANCE_MS) {
    return { kind: "refuse", reason: "longer-than-wall-time" };
  }
  const under = candidates.filter((s) => started >= s.issuedAt).sort((a, b) => b.issuedAt - a.issuedAt)[0];
  return { kind: "store", version: (under ?? candidates[0] ?? { version: 0 }).version };
}

/**
 * Plays a screen may deliver: a bucket of `burst` records refilled at `perSecond`. Records over it are
 * not acknowledged, so the kiosk keeps them and sends them again (after its resend delay): a kiosk back
 * from days offline delivers everything, at the rate, and a flood costs the controller little.
 */
export class PlayRate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly burst = 2_000,
    readonly perSecond = 20,
  ) {}

  /** How many of `wanted` records the screen may deliver now (taken from its bucket). */
  take(screenId: string, wanted: number, now: number): number {
    const b = this.buckets.get(screenId) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * this.perSecond);
    b.at = now;
    const granted = Math.min(wanted, Math.floor(b.tokens));
    b.tokens -= granted;
    this.buckets.set(screenId, b);
    return granted;
  }

  forget(screenId: string): void {
    this.buckets.delete(screenId);
  }
}
