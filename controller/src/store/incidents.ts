import type { IncidentRule, OpenIncident } from "@gatecast/playlists";
import { type Db, prepare } from "./db.ts";

/** An incident as kept: the engine's open incident, with its row id, resolution and acknowledgement. */
export type IncidentRow = Omit<OpenIncident, "key"> & {
  id: number;
  resolvedAt: number | null;
  ackedAt: number | null;
  ackedBy: string | null;
};

/** What happened to an incident: opened, reminded, resolved, acknowledged, and each notification sent or not. */
export type IncidentEventKind =
  | "opened"
  | "reminded"
  | "resolved"
  | "acknowledged"
  | "notified"
  | "notify-failed"
  | "notify-retry";

export interface IncidentEvent {
  id: number;
  incidentId: number;
  at: number;
  kind: IncidentEventKind;
  channel: string | null;
  actor: string | null;
  detail: string | null;
}

export type NotifyEvent = "opened" | "reminder" | "resolved";

export interface OutboxRow {
  id: number;
  incidentId: number;
  event: NotifyEvent;
  channel: string;
  attempts: number;
  nextAt: number;
  createdAt: number;
  lastError: string | null;
}

interface Row {
  id: number;
  rule: IncidentRule;
  subject: string;
  gate: string | null;
  opened_at: number;
  since: number;
  clear_since: number | null;
  reminded_at: number | null;
  resolved_at: number | null;
  summary: string;
  acked_at: number | null;
  acked_by: string | null;
}

const toRow = (r: Row): IncidentRow => ({
  id: r.id,
  rule: r.rule,
  subject: r.subject,
  gate: r.gate,
  openedAt: r.opened_at,
  since: r.since,
  clearSince: r.clear_since,
  remindedAt: r.reminded_at,
  resolvedAt: r.resolved_at,
  summary: r.summary,
  ackedAt: r.acked_at,
  ackedBy: r.acked_by,
});

/** Incidents kept for reports: a year and a month, then pruned with their history. */
export const INCIDENT_RETENTION_MS = 400 * 86_400_000;

/**
 * Incidents, their history, the notifications still to send, and the daily should-be-on roll-up.
 * SQL for reports: `SELECT * FROM incidents WHERE opened_at < :to AND COALESCE(resolved_at, :to) > :from`,
 * `SELECT * FROM screen_uptime_daily WHERE day BETWEEN :from AND :to` (gate-local days).
 */
export class IncidentStore {
  constructor(private readonly db: Db) {}

  open(): IncidentRow[] {
    return (prepare(this.db, "SELECT * FROM incidents WHERE resolved_at IS NULL ORDER BY id").all() as Row[]).map(
      toRow,
    );
  }

  get(id: number): IncidentRow | undefined {
    const r = prepare(this.db, "SELECT * FROM incidents WHERE id = ?").get(id) as Row | undefined;
    return r ? toRow(r) : undefined;
  }

  /** Newest first; `open` only, `resolved` only, or both; overlapping [from, to) when given. */
  list(f: { status?: "open" | "resolved" | "all"; from?: number; to?: number; limit?: number } = {}): IncidentRow[] {
    const where: string[] = [];
    const args: number[] = [];
    if (f.status === "open") where.push("resolved_at IS NULL");
    if (f.status === "resolved") where.push("resolved_at IS NOT NULL");
    if (f.to !== undefined) {
      where.push("opened_at < ?");
      args.push(f.to);
    }
    if (f.from !== undefined) {
      where.push("(resolved_at IS NULL OR resolved_at >= ?)");
      args.push(f.from);
    }
    const sql = `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY opened_at DESC, id DESC LIMIT ?`;
    return (prepare(this.db, sql).all(...args, f.limit ?? 500) as Row[]).map(toRow);
  }

  insert(i: OpenIncident): number {
    const info = prepare(
      this.db,
      `INSERT INTO incidents (rule, subject, gate, opened_at, since, clear_since, reminded_at, summary)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(i.rule, i.subject, i.gate, i.openedAt, i.since, i.clearSince, i.remindedAt, i.summary);
    return Number(info.lastInsertRowid);
  }

  update(id: number, i: Pick<OpenIncident, "clearSince" | "remindedAt" | "summary">): void {
    prepare(this.db, "UPDATE incidents SET clear_since = ?, reminded_at = ?, summary = ? WHERE id = ?").run(
      i.clearSince,
      i.remindedAt,
      i.summary,
      id,
    );
  }

  resolve(id: number, at: number): void {
    prepare(this.db, "UPDATE incidents SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL").run(at, id);
  }

  acknowledge(id: number, by: string, at: number): boolean {
    return (
      prepare(this.db, "UPDATE incidents SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at IS NULL").run(
        at,
        by,
        id,
      ).changes > 0
    );
  }

  addEvent(
    incidentId: number,
    e: { at: number; kind: IncidentEventKind; channel?: string | null; actor?: string | null; detail?: string | null },
  ): void {
    prepare(
      this.db,
      "INSERT INTO incident_events (incident_id, at, kind, channel, actor, detail) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(incidentId, e.at, e.kind, e.channel ?? null, e.actor ?? null, e.detail?.slice(0, 1000) ?? null);
  }

  events(incidentId: number): IncidentEvent[] {
    return (
      prepare(this.db, "SELECT * FROM incident_events WHERE incident_id = ? ORDER BY id").all(incidentId) as {
        id: number;
        incident_id: number;
        at: number;
        kind: IncidentEventKind;
        channel: string | null;
        actor: string | null;
        detail: string | null;
      }[]
    ).map((r) => ({
      id: r.id,
      incidentId: r.incident_id,
      at: r.at,
      kind: r.kind,
      channel: r.channel,
      actor: r.actor,
      detail: r.detail,
    }));
  }

  enqueue(incidentId: number, event: NotifyEvent, channel: string, at: number): void {
    prepare(
      this.db,
      "INSERT INTO notify_outbox (incident_id, event, channel, next_at, created_at) VALUES (?, ?, ?, ?, ?)",
    ).run(incidentId, event, channel, at, at);
  }

  due(now: number, limit = 50): OutboxRow[] {
    return (
      prepare(this.db, "SELECT * FROM notify_outbox WHERE next_at <= ? ORDER BY next_at, id LIMIT ?").all(
        now,
        limit,
      ) as {
        id: number;
        incident_id: number;
        event: NotifyEvent;
        channel: string;
        attempts: number;
        next_at: number;
        created_at: number;
        last_error: string | null;
      }[]
    ).map((r) => ({
      id: r.id,
      incidentId: r.incident_id,
      event: r.event,
      channel: r.channel,
      attempts: r.attempts,
      nextAt: r.next_at,
      createdAt: r.created_at,
      lastError: r.last_error,
    }));
  }

  pendingNotifications(): number {
    return (prepare(this.db, "SELECT COUNT(*) AS n FROM notify_outbox").get() as { n: number }).n;
  }

  sent(outboxId: number): void {
    prepare(this.db, "DELETE FROM notify_outbox WHERE id = ?").run(outboxId);
  }

  retryLater(outboxId: number, nextAt: number, error: string): void {
    prepare(this.db, "UPDATE notify_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?").run(
      nextAt,
      error.slice(0, 1000),
      outboxId,
    );
  }

  /** Resolved incidents older than the retention go, with their history. */
  prune(before: number): number {
    return prepare(this.db, "DELETE FROM incidents WHERE resolved_at IS NOT NULL AND resolved_at < ?").run(before)
      .changes;
  }

  upsertDaily(
    rows: readonly { screenId: string; day: string; gate: string; shouldOnMs: number; onlineOnMs: number }[],
  ): void {
    const stmt = prepare(
      this.db,
      `INSERT INTO screen_uptime_daily (screen_id, day, gate, should_on_ms, online_on_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(screen_id, day) DO UPDATE SET gate = excluded.gate, should_on_ms = excluded.should_on_ms,
           online_on_ms = excluded.online_on_ms`,
    );
    this.db.transaction(() => {
      for (const r of rows) stmt.run(r.screenId, r.day, r.gate, Math.round(r.shouldOnMs), Math.round(r.onlineOnMs));
    })();
  }

  daily(
    fromDay: string,
    toDay: string,
  ): { screenId: string; day: string; gate: string; shouldOnMs: number; onlineOnMs: number }[] {
    return (
      prepare(this.db, "SELECT * FROM screen_uptime_daily WHERE day >= ? AND day <= ? ORDER BY day, screen_id").all(
        fromDay,
        toDay,
      ) as { screen_id: string; day: string; gate: string; should_on_ms: number; online_on_ms: number }[]
    ).map((r) => ({
      screenId: r.screen_id,
      day: r.day,
      gate: r.gate,
      shouldOnMs: r.should_on_ms,
      onlineOnMs: r.online_on_ms,
    }));
  }

  lastRolledDay(): string | null {
    return (prepare(this.db, "SELECT MAX(day) AS d FROM screen_uptime_daily").get() as { d: string | null }).d;
  }
}
