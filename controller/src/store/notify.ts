import { type Db, prepare } from "./db.ts";

export type ChannelKind = "email" | "webhook";

/** A notification channel kept in the store. The secret (SMTP password, webhook key) never leaves it. */
export interface StoredChannel {
  id: string;
  kind: ChannelKind;
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  secret: string | null;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  kind: ChannelKind;
  name: string;
  enabled: number;
  config: string;
  secret: string | null;
  created_at: number;
  updated_at: number;
}

const toChannel = (r: Row): StoredChannel => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  enabled: r.enabled === 1,
  config: JSON.parse(r.config) as Record<string, unknown>,
  secret: r.secret,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class NotifyStore {
  constructor(private readonly db: Db) {}

  list(): StoredChannel[] {
    return (prepare(this.db, "SELECT * FROM notify_channels ORDER BY created_at, id").all() as Row[]).map(toChannel);
  }

  get(id: string): StoredChannel | undefined {
    const r = prepare(this.db, "SELECT * FROM notify_channels WHERE id = ?").get(id) as Row | undefined;
    return r ? toChannel(r) : undefined;
  }

  /** Creates or replaces; `secret: undefined` keeps the stored one (the console never sees it to send back). */
  put(
    c: Omit<StoredChannel, "createdAt" | "updatedAt" | "secret"> & { secret: string | null | undefined },
    now: number,
  ): void {
    const before = this.get(c.id);
    const secret = c.secret === undefined ? (before?.secret ?? null) : c.secret;
    prepare(
      this.db,
      `INSERT INTO notify_channels (id, kind, name, enabled, config, secret, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name, enabled = excluded.enabled,
           config = excluded.config, secret = excluded.secret, updated_at = excluded.updated_at`,
    ).run(c.id, c.kind, c.name, c.enabled ? 1 : 0, JSON.stringify(c.config), secret, now, now);
  }

  delete(id: string): boolean {
    return prepare(this.db, "DELETE FROM notify_channels WHERE id = ?").run(id).changes > 0;
  }
}
