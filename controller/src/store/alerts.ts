import { Alert } from "@gatecast/playlists";
import { type Db, prepare } from "./db.ts";

export interface StoredAlert {
  alert: Alert;
  createdAt: number;
  createdBy: string | null;
  cancelledAt: number | null;
  cancelledBy: string | null;
}

interface Row {
  id: string;
  doc: string;
  created_at: number;
  created_by: string | null;
  cancelled_at: number | null;
  cancelled_by: string | null;
}

const toStored = (r: Row): StoredAlert => ({
  alert: Alert.parse(JSON.parse(r.doc)),
  createdAt: r.created_at,
  createdBy: r.created_by,
  cancelledAt: r.cancelled_at,
  cancelledBy: r.cancelled_by,
});

/** Urgent notices: operational, outside releases; cancelled ones are kept for the record. */
export class AlertStore {
  constructor(private readonly db: Db) {}

  put(alert: Alert, by: string | null, now: number): void {
    prepare(
      this.db,
      `INSERT INTO alerts (id, doc, created_at, created_by) VALUES (?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET doc = excluded.doc`,
    ).run(alert.id, JSON.stringify(alert), now, by);
  }

  get(id: string): StoredAlert | undefined {
    const r = prepare(this.db, "SELECT * FROM alerts WHERE id = ?").get(id) as Row | undefined;
    return r ? toStored(r) : undefined;
  }

  list(): StoredAlert[] {
    return (prepare(this.db, "SELECT * FROM alerts ORDER BY created_at DESC").all() as Row[]).map(toStored);
  }

  cancel(id: string, by: string, now: number): boolean {
    return (
      prepare(
        this.db,
        "UPDATE alerts SET cancelled_at = ?, cancelled_by = ? WHERE id = ? AND cancelled_at IS NULL",
      ).run(now, by, id).changes > 0
    );
  }

  /** Alerts not cancelled and not yet expired at `now` (including ones that start later). */
  live(now: number): Alert[] {
    return this.list()
      .filter((s) => s.cancelledAt === null && Date.parse(s.alert.expiresAt) > now)
      .map((s) => s.alert)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Stores acknowledgements (one per alert and screen; repeats are ignored), in one transaction. */
  recordAcks(acks: readonly { alertId: string; screenId: string; at: number }[]): void {
    const insert = prepare(this.db, "INSERT OR IGNORE INTO alert_acks (alert_id, screen_id, at) VALUES (?, ?, ?)");
    this.db.transaction(() => {
      for (const a of acks) insert.run(a.alertId, a.screenId, a.at);
    })();
  }

  acks(alertId: string): { screenId: string; at: number }[] {
    return (
      prepare(this.db, "SELECT screen_id, at FROM alert_acks WHERE alert_id = ? ORDER BY at").all(alertId) as {
        screen_id: string;
        at: number;
      }[]
    ).map((r) => ({ screenId: r.screen_id, at: r.at }));
  }
}
