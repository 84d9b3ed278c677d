import { ReportTarget, type TargetInput } from "@gatecast/playlists/api";
import { type Db, prepare } from "./db.ts";

export interface StoredTarget {
  id: number;
  gate: string;
  from: string;
  to: string;
  target: ReportTarget;
  createdAt: number;
  createdBy: string;
}

interface Row {
  id: number;
  gate: string;
  period_from: string;
  period_to: string;
  doc: string;
  created_at: number;
  created_by: string;
}

/** The targets the office plans per period and gate (the periodic report sets the actual against them). */
export class TargetStore {
  constructor(private readonly db: Db) {}

  list(): StoredTarget[] {
    return (
      prepare(this.db, "SELECT * FROM report_targets ORDER BY period_from DESC, gate, id").all() as Row[]
    ).flatMap((r) => {
      const t = ReportTarget.safeParse(JSON.parse(r.doc));
      return t.success
        ? [
            {
              id: r.id,
              gate: r.gate,
              from: r.period_from,
              to: r.period_to,
              target: t.data,
              createdAt: r.created_at,
              createdBy: r.created_by,
            },
          ]
        : [];
    });
  }

  get(id: number): StoredTarget | undefined {
    return this.list().find((t) => t.id === id);
  }

  create(t: TargetInput, by: string, now: number): StoredTarget {
    const id = Number(
      prepare(
        this.db,
        "INSERT INTO report_targets (gate, period_from, period_to, doc, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
      ).run(t.gate, t.from, t.to, JSON.stringify(t.target), now, by).lastInsertRowid,
    );
    return { id, gate: t.gate, from: t.from, to: t.to, target: t.target, createdAt: now, createdBy: by };
  }

  remove(id: number): boolean {
    return prepare(this.db, "DELETE FROM report_targets WHERE id = ?").run(id).changes > 0;
  }
}
