import { type Content, Gate, Item, type MediaInfo, Playlist, ScheduleEntry, Screen } from "@gatecast/playlists";
import type { z } from "zod";
import { type Db, prepare } from "./db.ts";

export const DRAFT_KINDS = {
  gates: Gate,
  screens: Screen,
  items: Item,
  playlists: Playlist,
  schedules: ScheduleEntry,
} as const;
export type DraftKind = keyof typeof DRAFT_KINDS;
export type DraftObject<K extends DraftKind> = z.infer<(typeof DRAFT_KINDS)[K]>;

/**
 * The editable content. Rows hold documents that passed their schema on the way in; they are parsed
 * again on the way out so a hand-edited database cannot hand a broken object to the publisher.
 */
export class DraftStore {
  constructor(private readonly db: Db) {}

  list<K extends DraftKind>(kind: K): DraftObject<K>[] {
    const rows = prepare(this.db, `SELECT doc FROM ${kind} ORDER BY position, id`).all() as { doc: string }[];
    return rows.map((r) => DRAFT_KINDS[kind].parse(JSON.parse(r.doc)) as DraftObject<K>);
  }

  get<K extends DraftKind>(kind: K, id: string): DraftObject<K> | undefined {
    const row = prepare(this.db, `SELECT doc FROM ${kind} WHERE id = ?`).get(id) as { doc: string } | undefined;
    return row ? (DRAFT_KINDS[kind].parse(JSON.parse(row.doc)) as DraftObject<K>) : undefined;
  }

  /** Whether it exists, without reading and checking it (every screen message asks this). */
  has(kind: DraftKind, id: string): boolean {
    return prepare(this.db, `SELECT 1 FROM ${kind} WHERE id = ?`).get(id) !== undefined;
  }

  /** Inserts at the end, or replaces in place. */
  put<K extends DraftKind>(kind: K, obj: DraftObject<K>, now: number): void {
    prepare(
      this.db,
      `INSERT INTO ${kind} (id, doc, position, updated_at)
         VALUES (@id, @doc, (SELECT COALESCE(MAX(position), 0) + 1 FROM ${kind}), @now)
         ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`,
    ).run({ id: obj.id, doc: JSON.stringify(obj), now });
  }

  delete(kind: DraftKind, id: string): boolean {
    return prepare(this.db, `DELETE FROM ${kind} WHERE id = ?`).run(id).changes > 0;
  }

  /** Sets the order of a kind's objects (schedule order breaks priority ties). */
  reorder(kind: DraftKind, ids: readonly string[]): void {
    const stmt = prepare(this.db, `UPDATE ${kind} SET position = ? WHERE id = ?`);
    this.db.transaction(() => {
      for (const [i, id] of ids.entries()) stmt.run(i + 1, id);
    })();
  }

  webHosts(): string[] {
    return (prepare(this.db, "SELECT host FROM web_hosts ORDER BY host").all() as { host: string }[]).map(
      (r) => r.host,
    );
  }

  setWebHosts(hosts: readonly string[]): void {
    this.db.transaction(() => {
      prepare(this.db, "DELETE FROM web_hosts").run();
      const ins = prepare(this.db, "INSERT OR IGNORE INTO web_hosts (host) VALUES (?)");
      for (const h of hosts) ins.run(h);
    })();
  }

  /** The draft as one Content value (alerts live outside releases). */
  content(media: MediaInfo[]): Content {
    return {
      gates: this.list("gates"),
      screens: this.list("screens"),
      items: this.list("items"),
      playlists: this.list("playlists"),
      schedules: this.list("schedules"),
      alerts: [],
      webHosts: this.webHosts(),
      media,
    };
  }

  /** Replaces the whole draft (import); screens are merged, never deleted by an import. */
  replace(content: Content, now: number): void {
    this.db.transaction(() => {
      for (const kind of ["gates", "items", "playlists", "schedules"] as const) {
        prepare(this.db, `DELETE FROM ${kind}`).run();
        for (const obj of content[kind]) this.put(kind, obj, now);
      }
      for (const s of content.screens) this.put("screens", s, now);
      this.setWebHosts(content.webHosts);
    })();
  }
}
