import { HeartbeatPayload, ScreenError } from "@gatecast/playlists";
import { z } from "zod";
import { type Db, prepare } from "./db.ts";

export interface ScreenState {
  screenId: string;
  online: boolean;
  since: number;
  lastSeenAt: number | null;
  heartbeat: HeartbeatPayload | null;
  appVersion: string | null;
  appliedVersion: number | null;
  errors: ScreenError[];
  screenshotAt: number | null;
  /** The screen's clock minus the controller's, from its last status or heartbeat. */
  clockSkewMs: number | null;
  /** The controller's estimate of how far the screen's clock runs ahead (negative: behind). */
  clockOffsetMs: number | null;
}

interface Row {
  screen_id: string;
  online: number;
  since: number;
  last_seen_at: number | null;
  heartbeat: string | null;
  app_version: string | null;
  applied_version: number | null;
  errors: string | null;
  screenshot_at: number | null;
  clock_skew_ms: number | null;
  clock_offset_ms: number | null;
}

const parseJson = <T>(schema: z.ZodType<T>, text: string | null, fallback: T): T => {
  if (text === null) return fallback;
  const r = schema.safeParse(JSON.parse(text));
  return r.success ? r.data : fallback;
};

const toState = (r: Row): ScreenState => ({
  screenId: r.screen_id,
  online: r.online === 1,
  since: r.since,
  lastSeenAt: r.last_seen_at,
  heartbeat: parseJson(HeartbeatPayload.nullable(), r.heartbeat, null),
  appVersion: r.app_version,
  appliedVersion: r.applied_version,
  errors: parseJson(z.array(ScreenError), r.errors, []),
  screenshotAt: r.screenshot_at,
  clockSkewMs: r.clock_skew_ms,
  clockOffsetMs: r.clock_offset_ms ?? null,
});

const MAX_ERRORS_KEPT = 20;

/** Live state of every screen and its online/offline history (for uptime); proof-of-play is in `plays.ts`. */
export class FleetStore {
  constructor(private readonly db: Db) {}

  state(screenId: string): ScreenState | undefined {
    const r = prepare(this.db, "SELECT * FROM screen_state WHERE screen_id = ?").get(screenId) as Row | undefined;
    return r ? toState(r) : undefined;
  }

  states(): ScreenState[] {
    return (prepare(this.db, "SELECT * FROM screen_state ORDER BY screen_id").all() as Row[]).map(toState);
  }

  /** Records a change of online state; returns false when nothing changed. */
  setOnline(screenId: string, online: boolean, at: number, appVersion?: string | undefined): boolean {
    const cur = this.state(screenId);
    if (cur && cur.online === online) {
      if (online)
        prepare(
          this.db,
          "UPDATE screen_state SET last_seen_at = ?, app_version = COALESCE(?, app_version) WHERE screen_id = ?",
        ).run(at, appVersion ?? null, screenId);
      return false;
    }
    this.db.transaction(() => {
      prepare(
        this.db,
        `INSERT INTO screen_state (screen_id, online, since, last_seen_at, app_version) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(screen_id) DO UPDATE SET online = excluded.online, since = excluded.since,
             last_seen_at = COALESCE(excluded.last_seen_at, screen_state.last_seen_at),
             app_version = COALESCE(excluded.app_version, screen_state.app_version)`,
      ).run(screenId, online ? 1 : 0, at, online ? at : null, appVersion ?? null);
      prepare(this.db, "INSERT INTO screen_state_history (screen_id, at, online) VALUES (?, ?, ?)").run(
        screenId,
        at,
        online ? 1 : 0,
      );
    })();
    return true;
  }

  recordHeartbeat(screenId: string, hb: HeartbeatPayload, at: number): void {
    const cur = this.state(screenId);
    if (!cur?.online) this.setOnline(screenId, true, at, hb.appVersion);
    const errors = [...(cur?.errors ?? []), ...hb.errors].slice(-MAX_ERRORS_KEPT);
    prepare(
      this.db,
      `UPDATE screen_state SET last_seen_at = ?, heartbeat = ?, app_version = ?, applied_version = ?, errors = ?,
         clock_skew_ms = ? WHERE screen_id = ?`,
    ).run(
      at,
      JSON.stringify(hb),
      hb.appVersion,
      hb.manifestVersion,
      JSON.stringify(errors),
      Date.parse(hb.at) - at,
      screenId,
    );
  }

  /** Remembers what a screen's status said: its clock skew (its clock minus ours) and its features. */
  setStatusDetails(screenId: string, skewMs: number | null, features: readonly string[] | undefined): void {
    prepare(
      this.db,
      `UPDATE screen_state SET clock_skew_ms = COALESCE(@skew, clock_skew_ms),
         features = COALESCE(@features, features) WHERE screen_id = @screenId`,
    ).run({ screenId, skew: skewMs, features: features ? JSON.stringify(features) : null });
  }

  /** The screens whose kiosk said it understands `feature`. */
  screensWithFeature(feature: string): Set<string> {
    const rows = prepare(
      this.db,
      "SELECT screen_id FROM screen_state WHERE features IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(features) WHERE value = ?)",
    ).all(feature) as { screen_id: string }[];
    return new Set(rows.map((r) => r.screen_id));
  }

  setClockOffset(screenId: string, offsetMs: number | null): void {
    prepare(this.db, "UPDATE screen_state SET clock_offset_ms = ? WHERE screen_id = ?").run(
      offsetMs === null ? null : Math.round(offsetMs),
      screenId,
    );
  }

  markScreenshot(screenId: string, at: number): void {
    prepare(this.db, "UPDATE screen_state SET screenshot_at = ? WHERE screen_id = ?").run(at, screenId);
  }

  history(screenId: string, from: number, to: number): { at: number; online: boolean }[] {
    const before = prepare(
      this.db,
      "SELECT at, online FROM screen_state_history WHERE screen_id = ? AND at < ? ORDER BY at DESC LIMIT 1",
    ).get(screenId, from) as { at: number; online: number } | undefined;
    const rows = prepare(
      this.db,
      "SELECT at, online FROM screen_state_history WHERE screen_id = ? AND at >= ? AND at < ? ORDER BY at",
    ).all(screenId, from, to) as { at: number; online: number }[];
    return [...(before ? [before] : []), ...rows].map((r) => ({ at: r.at, online: r.online === 1 }));
  }

  /** When the screen was first seen (its first state change), or null. */
  firstSeenAt(screenId: string): number | null {
    return (
      prepare(this.db, "SELECT MIN(at) AS at FROM screen_state_history WHERE screen_id = ?").get(screenId) as {
        at: number | null;
      }
    ).at;
  }

  /**
   * Retention of the online/offline history (rolled up daily into `screen_uptime_daily`): deletes up to
   * `limit` entries older than `cutoff`, keeping each screen's last one before it (its state then).
   */
  pruneHistory(cutoff: number, limit: number): number {
    return prepare(
      this.db,
      `DELETE FROM screen_state_history WHERE id IN (
         SELECT h.id FROM screen_state_history h WHERE h.at < @cutoff AND EXISTS (
           SELECT 1 FROM screen_state_history n WHERE n.screen_id = h.screen_id AND n.at < @cutoff AND n.at > h.at
         ) LIMIT @limit)`,
    ).run({ cutoff, limit }).changes;
  }

  credentials(screenId: string): { username: string; passwordHash: string } | undefined {
    const r = prepare(this.db, "SELECT username, password_hash FROM screen_credentials WHERE screen_id = ?").get(
      screenId,
    ) as { username: string; password_hash: string } | undefined;
    return r ? { username: r.username, passwordHash: r.password_hash } : undefined;
  }

  credentialsByUsername(username: string): { screenId: string; passwordHash: string } | undefined {
    const r = prepare(this.db, "SELECT screen_id, password_hash FROM screen_credentials WHERE username = ?").get(
      username,
    ) as { screen_id: string; password_hash: string } | undefined;
    return r ? { screenId: r.screen_id, passwordHash: r.password_hash } : undefined;
  }

  allCredentials(): { screenId: string; username: string; passwordHash: string }[] {
    return (
      prepare(this.db, "SELECT * FROM screen_credentials ORDER BY screen_id").all() as {
        screen_id: string;
        username: string;
        password_hash: string;
      }[]
    ).map((r) => ({ screenId: r.screen_id, username: r.username, passwordHash: r.password_hash }));
  }

  /**
   * A deleted screen's login and live state go: its password stops working and a screen re-created
   * under the same id starts unpaired and unseen. Its history (plays, uptime) stays for the reports.
   */
  forget(screenId: string): void {
    prepare(this.db, "DELETE FROM screen_credentials WHERE screen_id = ?").run(screenId);
    prepare(this.db, "DELETE FROM screen_state WHERE screen_id = ?").run(screenId);
  }

  /** Replaces a screen's credentials: the old password stops working at once. */
  setCredentials(screenId: string, username: string, passwordHash: string, now: number): void {
    prepare(
      this.db,
      `INSERT INTO screen_credentials (screen_id, username, password_hash, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(screen_id) DO UPDATE SET username = excluded.username, password_hash = excluded.password_hash, created_at = excluded.created_at`,
    ).run(screenId, username, passwordHash, now);
  }
}
