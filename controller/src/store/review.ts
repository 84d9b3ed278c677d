import { type ReviewEntry, type ReviewKind, ReviewState } from "@gatecast/playlists";
import { type Db, prepare } from "./db.ts";

interface Row {
  kind: ReviewKind;
  id: string;
  state: string;
  updated_by: string | null;
  updated_at: number | null;
  agency: string | null;
  submitted_by: string | null;
  submitted_at: number | null;
  reviewed_by: string | null;
  reviewed_at: number | null;
  comment: string | null;
  released_in: number | null;
}

const toEntry = (r: Row): ReviewEntry => ({
  kind: r.kind,
  id: r.id,
  state: ReviewState.catch("draft").parse(r.state),
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
  agency: r.agency,
  submittedBy: r.submitted_by,
  submittedAt: r.submitted_at,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at,
  comment: r.comment,
  releasedIn: r.released_in,
});

/** An object with no row is approved: it was there before review existed, or came from an import. */
const implicit = (kind: ReviewKind, id: string): ReviewEntry => ({
  kind,
  id,
  state: "approved",
  updatedBy: null,
  updatedAt: null,
  agency: null,
  submittedBy: null,
  submittedAt: null,
  reviewedBy: null,
  reviewedAt: null,
  comment: null,
  releasedIn: null,
});

/** The review state of each draft object (DESIGN.md, "Review"). */
export class ReviewStore {
  constructor(private readonly db: Db) {}

  get(kind: ReviewKind, id: string): ReviewEntry {
    const r = prepare(this.db, "SELECT * FROM review WHERE kind = ? AND id = ?").get(kind, id) as Row | undefined;
    return r ? toEntry(r) : implicit(kind, id);
  }

  /** Whether the object has a row (went through review since it existed). */
  has(kind: ReviewKind, id: string): boolean {
    return prepare(this.db, "SELECT 1 FROM review WHERE kind = ? AND id = ?").get(kind, id) !== undefined;
  }

  list(): ReviewEntry[] {
    return (prepare(this.db, "SELECT * FROM review ORDER BY kind, id").all() as Row[]).map(toEntry);
  }

  put(e: ReviewEntry): void {
    prepare(
      this.db,
      `INSERT INTO review (kind, id, state, updated_by, updated_at, agency, submitted_by, submitted_at,
         reviewed_by, reviewed_at, comment, released_in)
       VALUES (@kind, @id, @state, @updatedBy, @updatedAt, @agency, @submittedBy, @submittedAt,
         @reviewedBy, @reviewedAt, @comment, @releasedIn)
       ON CONFLICT(kind, id) DO UPDATE SET state = excluded.state, updated_by = excluded.updated_by,
         updated_at = excluded.updated_at, agency = excluded.agency, submitted_by = excluded.submitted_by,
         submitted_at = excluded.submitted_at, reviewed_by = excluded.reviewed_by,
         reviewed_at = excluded.reviewed_at, comment = excluded.comment, released_in = excluded.released_in`,
    ).run(e);
  }

  delete(kind: ReviewKind, id: string): void {
    prepare(this.db, "DELETE FROM review WHERE kind = ? AND id = ?").run(kind, id);
  }

  /** Forgets every row: an import replaces the draft with approved content. */
  clear(): void {
    prepare(this.db, "DELETE FROM review").run();
  }

  /** After a release: what it took is released. */
  markReleased(taken: readonly { kind: ReviewKind; id: string }[], release: number): void {
    const stmt = prepare(
      this.db,
      "UPDATE review SET state = 'released', released_in = ? WHERE kind = ? AND id = ? AND state = 'approved'",
    );
    for (const t of taken) stmt.run(release, t.kind, t.id);
  }
}
