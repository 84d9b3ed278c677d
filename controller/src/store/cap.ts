import { CapAreaRule } from "@gatecast/playlists/api";
import { type Db, prepare } from "./db.ts";

/** How long a taken CAP message stays findable by a later Update or Cancel. */
export const CAP_MESSAGE_RETENTION_MS = 400 * 86_400_000;

export interface CapMessageRecord {
  sender: string;
  identifier: string;
  sent: string;
  msgType: string;
  alertId: string;
  receivedAt: number;
  receivedBy: string;
}

/** CAP 1.2: the messages taken (by sender and identifier), and the admin's table from areas to gates. */
export class CapStore {
  constructor(private readonly db: Db) {}

  record(m: CapMessageRecord): void {
    prepare(
      this.db,
      `INSERT INTO cap_messages (sender, identifier, sent, msg_type, alert_id, received_at, received_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(m.sender, m.identifier, m.sent, m.msgType, m.alertId, m.receivedAt, m.receivedBy);
  }

  /** The alert a message (sender, identifier) made or changed, if the controller took it. */
  alertOf(sender: string, identifier: string): string | undefined {
    const r = prepare(this.db, "SELECT alert_id FROM cap_messages WHERE sender = ? AND identifier = ?").get(
      sender,
      identifier,
    ) as { alert_id: string } | undefined;
    return r?.alert_id;
  }

  /** When a message last changed the alert (an Update or Cancel after the one that made it), if one did. */
  lastChange(alertId: string): number | undefined {
    const r = prepare(
      this.db,
      "SELECT MAX(received_at) AS at FROM cap_messages WHERE alert_id = ? AND msg_type != 'Alert'",
    ).get(alertId) as { at: number | null };
    return r.at ?? undefined;
  }

  /** Forgets messages taken before `before`. */
  prune(before: number): number {
    return prepare(this.db, "DELETE FROM cap_messages WHERE received_at < ?").run(before).changes;
  }

  rules(): CapAreaRule[] {
    return (prepare(this.db, "SELECT doc FROM cap_area_rules ORDER BY position").all() as { doc: string }[]).map((r) =>
      CapAreaRule.parse(JSON.parse(r.doc)),
    );
  }

  setRules(rules: readonly CapAreaRule[]): void {
    const insert = prepare(this.db, "INSERT INTO cap_area_rules (position, doc) VALUES (?, ?)");
    this.db.transaction(() => {
      prepare(this.db, "DELETE FROM cap_area_rules").run();
      for (const [i, r] of rules.entries()) insert.run(i, JSON.stringify(r));
    })();
  }
}
