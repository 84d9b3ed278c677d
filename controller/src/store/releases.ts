import { Content } from "@gatecast/playlists";
import { type Db, prepare } from "./db.ts";

export interface Release {
  id: number;
  createdAt: number;
  createdBy: string;
  note: string;
  rollbackOf: number | null;
  content: Content;
}

interface Row {
  id: number;
  created_at: number;
  created_by: string;
  note: string;
  snapshot: string;
  rollback_of: number | null;
}

const toRelease = (r: Row): Release => ({
  id: r.id,
  createdAt: r.created_at,
  createdBy: r.created_by,
  note: r.note,
  rollbackOf: r.rollback_of,
  content: Content.parse(JSON.parse(r.snapshot)),
});

/** Releases are immutable snapshots; a rollback is a new release holding an older snapshot. */
export class ReleaseStore {
  constructor(private readonly db: Db) {}

  create(content: Content, by: string, note: string, now: number, rollbackOf: number | null = null): Release {
    const info = prepare(
      this.db,
      "INSERT INTO releases (created_at, created_by, note, snapshot, rollback_of) VALUES (?, ?, ?, ?, ?)",
    ).run(now, by, note, JSON.stringify(content), rollbackOf);
    return { id: Number(info.lastInsertRowid), createdAt: now, createdBy: by, note, rollbackOf, content };
  }

  latest(): Release | undefined {
    const row = prepare(this.db, "SELECT * FROM releases ORDER BY id DESC LIMIT 1").get() as Row | undefined;
    return row ? toRelease(row) : undefined;
  }

  get(id: number): Release | undefined {
    const row = prepare(this.db, "SELECT * FROM releases WHERE id = ?").get(id) as Row | undefined;
    return row ? toRelease(row) : undefined;
  }

  previous(id: number): Release | undefined {
    const row = prepare(this.db, "SELECT * FROM releases WHERE id < ? ORDER BY id DESC LIMIT 1").get(id) as
      | Row
      | undefined;
    return row ? toRelease(row) : undefined;
  }

  list(limit = 100): Omit<Release, "content">[] {
    const rows = prepare(
      this.db,
      "SELECT id, created_at, created_by, note, rollback_of FROM releases ORDER BY id DESC LIMIT ?",
    ).all(limit) as Omit<Row, "snapshot">[];
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      createdBy: r.created_by,
      note: r.note,
      rollbackOf: r.rollback_of,
    }));
  }
}
