import { z } from "zod";
import type { HeartbeatPayload, ScreenError } from "../mqtt/payloads.ts";
import type { OnHoursState } from "../onHours.ts";

/**
 * What is true of a screen, for the dashboard, `/metrics` and the incident rules. Pure: the controller
 * gathers the facts, the instant is an argument.
 */

/** Where the screen is: one of these at a time. */
export const Presence = z.enum(["online", "offline", "dark-by-schedule", "never-seen", "unpaired"]);
export type Presence = z.infer<typeof Presence>;

/** What is wrong with it: any number at once. */
export const ProblemKind = z.enum(["frozen", "out-of-sync", "storage-low", "trust-error", "clock-skewed"]);
export type ProblemKind = z.infer<typeof ProblemKind>;

export const Problem = z.strictObject({
  kind: ProblemKind,
  /** Controller time the problem began (as well as the controller can tell). */
  since: z.number(),
  /** Plain facts for people: "12 s ahead", "94 % of 2 GB". */
  detail: z.string().max(300),
});
export type Problem = z.infer<typeof Problem>;

export interface HealthThresholds {
  /** Share of the storage quota above which storage is low. */
  storageLowRatio: number;
  /** Clock offset beyond which a screen's clock is skewed. */
  clockSkewMs: number;
  /** How long a manifest may take to reach a screen before it is out of sync. */
  outOfSyncAfterMs: number;
  /** How long after a rejected manifest or media file the screen still counts as having trust errors. */
  trustErrorForMs: number;
  /** A frozen screen: no new frame for this many times its longest item (at least `frozenMinMs`). */
  frozenFactor: number;
  frozenMinMs: number;
  /** Heartbeats missed before a connected screen counts as offline all the same. */
  silentAfterBeats: number;
}

export const HEALTH_THRESHOLDS: HealthThresholds = {
  storageLowRatio: 0.9,
  clockSkewMs: 30_000,
  outOfSyncAfterMs: 120_000,
  trustErrorForMs: 15 * 60_000,
  frozenFactor: 3,
  frozenMinMs: 30_000,
  silentAfterBeats: 3,
};

/** The heartbeat period kiosks use when they do not say. */
export const DEFAULT_HEARTBEAT_MS = 30_000;

export interface ScreenFacts {
  paired: boolean;
  /** The broker's view: status online (retained, with a last will). */
  online: boolean;
  /** When `online` last changed. */
  since: number | null;
  lastSeenAt: number | null;
  /** Controller time the last heartbeat arrived. */
  heartbeatAt: number | null;
  heartbeat: HeartbeatPayload | null;
  errors: readonly ScreenError[];
  manifest: { published: number | null; publishedAt: number | null; applied: number | null };
  /** Whether the screen should be showing now (on-hours, or woken by a critical notice). */
  shouldShow: OnHoursState;
  /** Longest item of any playlist in its manifest. */
  longestItemMs: number;
  /** The controller's estimate of how far the screen's clock is ahead (negative: behind). */
  clockOffsetMs: number | null;
}

export interface ScreenHealth {
  presence: Presence;
  /** Connected and heartbeating (a dark screen may be either). */
  connected: boolean;
  /** When the presence began, as far as the controller knows. */
  presenceSince: number | null;
  problems: Problem[];
}

export const TRUST_ERROR_KINDS: ReadonlySet<ScreenError["kind"]> = new Set([
  "manifest-rejected",
  "alert-rejected",
  "hash-mismatch",
]);

const seconds = (ms: number) => `${Math.round(Math.abs(ms) / 1000)} s`;
const percent = (r: number) => `${Math.round(r * 100)} %`;

export function isStorageLow(storage: HeartbeatPayload["storage"], ratio: number): boolean {
  return storage !== null && storage.quotaBytes > 0 && storage.usageBytes / storage.quotaBytes > ratio;
}

/** Whether the screen's heartbeats stopped although the broker still holds it connected (a hung page). */
export function heartbeatSilentSince(f: ScreenFacts, now: number, t: HealthThresholds): number | null {
  if (!f.online || f.heartbeatAt === null) return null;
  const every = (f.heartbeat?.everyS ?? DEFAULT_HEARTBEAT_MS / 1000) * 1000;
  const limit = f.heartbeatAt + t.silentAfterBeats * every + 5_000;
  return now >= limit ? limit : null;
}

export function screenHealth(f: ScreenFacts, now: number, t: HealthThresholds = HEALTH_THRESHOLDS): ScreenHealth {
  const silent = heartbeatSilentSince(f, now, t);
  const connected = f.online && silent === null;
  let presence: Presence;
  let presenceSince: number | null;
  if (!f.paired && f.lastSeenAt === null) {
    presence = "unpaired";
    presenceSince = null;
  } else if (!f.shouldShow.on) {
    presence = "dark-by-schedule";
    presenceSince = f.shouldShow.since;
  } else if (connected) {
    presence = "online";
    presenceSince = f.since;
  } else if (f.lastSeenAt === null && f.since === null) {
    presence = "never-seen";
    presenceSince = null;
  } else {
    presence = "offline";
    presenceSince = silent ?? f.since;
  }

  const problems: Problem[] = [];
  const hb = f.heartbeat;
  // what a screen says is only as fresh as its last heartbeat: problems are judged while it talks
  if (connected && hb && f.heartbeatAt !== null) {
    const hbAt = Date.parse(hb.at);
    // kiosk times map to controller time through the heartbeat's own receipt
    const receivedAt = f.heartbeatAt;
    const toController = (kioskMs: number) => receivedAt - (hbAt - kioskMs);
    const showing = f.shouldShow.on && hb.display !== "dark-by-schedule";
    if (showing) {
      const limit = Math.max(t.frozenFactor * f.longestItemMs, t.frozenMinMs);
      const frame = hb.lastFrameAt === null ? null : Date.parse(hb.lastFrameAt);
      const stale = frame === null ? 0 : hbAt - frame;
      if (frame !== null && stale > limit) {
        problems.push({
          kind: "frozen",
          since: toController(frame + limit),
          detail: `no new frame for ${seconds(stale)} (limit ${seconds(limit)})`,
        });
      }
    }
    if (isStorageLow(hb.storage, t.storageLowRatio) && hb.storage) {
      problems.push({
        kind: "storage-low",
        since: f.heartbeatAt,
        detail: `${percent(hb.storage.usageBytes / hb.storage.quotaBytes)} of ${Math.round(hb.storage.quotaBytes / 1_048_576)} MB`,
      });
    }
    const trust = [...f.errors]
      .reverse()
      .find((e) => TRUST_ERROR_KINDS.has(e.kind) && hbAt - Date.parse(e.at) <= t.trustErrorForMs);
    if (trust) {
      problems.push({
        kind: "trust-error",
        since: toController(Date.parse(trust.at)),
        detail: trust.message.slice(0, 300),
      });
    }
  }
  const m = f.manifest;
  if (
    connected &&
    m.published !== null &&
    m.applied !== m.published &&
    m.publishedAt !== null &&
    now - m.publishedAt >= t.outOfSyncAfterMs
  ) {
    problems.push({
      kind: "out-of-sync",
      since: m.publishedAt + t.outOfSyncAfterMs,
      detail: `showing ${m.applied ?? "nothing"}, published ${m.published}`,
    });
  }
  if (connected && f.clockOffsetMs !== null && Math.abs(f.clockOffsetMs) > t.clockSkewMs) {
    problems.push({
      kind: "clock-skewed",
      since: f.heartbeatAt ?? now,
      detail: `${seconds(f.clockOffsetMs)} ${f.clockOffsetMs > 0 ? "ahead" : "behind"}`,
    });
  }
  return { presence, connected, presenceSince, problems };
}
