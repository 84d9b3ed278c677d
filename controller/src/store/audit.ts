import { type Db, prepare } from "./db.ts";

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  objectKind: string;
  objectId: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditFilter {
  actor?: string | undefined;
  objectKind?: string | undefined;
  objectId?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit?: number | undefined;
}

/** Append-only: there is no update or delete here, on purpose. */
export class AuditLog {
  constructor(private readonly db: Db) {}

  record(e: Omit<AuditEntry, "id">): void {
    prepare(
      this.db,
      "INSERT INTO audit_log (at, actor, action, object_kind, object_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(
      e.at,
      e.actor,
      e.action,
      e.objectKind,
      e.objectId,
      e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after),
    );
  }

  list(f: AuditFilter = {}): AuditEntry[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (f.actor) where.push("actor = ?") && args.push(f.actor);
    if (f.objectKind) where.push("object_kind = ?") && args.push(f.objectKind);
    if (f.objectId) where.push("object_id = ?") && args.push(f.objectId);
    if (f.from !== undefined) where.push("at >= ?") && args.push(f.from);
    if (f.to !== undefined) where.push("at < ?") && args.push(f.to);
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
    const rows = prepare(this.db, sql).all(...args, f.limit ?? 200) as {
      id: number;
      at: number;
      actor: string;
      action: string;
      object_kind: string;
      object_id: string | null;
      before: string | null;
      after: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      objectKind: r.object_kind,
      objectId: r.object_id,
      before: r.before === null ? null : JSON.parse(r.before),
      after: r.after === null ? null : JSON.parse(r.after),
    }));
  }
}
