import { type Db, prepare } from "./db.ts";

export interface ScreenManifestRow {
  screenId: string;
  version: number;
  bodyHash: string;
  releaseId: number;
  envelope: string;
  publishedAt: number;
}

/** What is known of a screen's last manifest without its text. */
export interface ScreenManifestMeta extends Omit<ScreenManifestRow, "envelope"> {
  /** The stored envelope is this version's (false only after a stop between sending and saving it). */
  signed: boolean;
}

/** One version of a screen's manifest as proof-of-play is checked against it. */
export interface ManifestHistoryEntry {
  version: number;
  releaseId: number;
  /** Id of the item list (shared by the screens and versions that contain the same items). */
  itemSet: number;
  /** JSON array of the item ids, sorted. */
  items: string;
  issuedAt: number;
  expiresAt: number;
}

export interface GateAlertRow {
  gateId: string;
  seq: number;
  bodyHash: string;
  envelope: string | null;
}

interface ManifestDbRow {
  screen_id: string;
  version: number;
  body_hash: string;
  release_id: number;
  /** JSON text; UTF-8 bytes (a BLOB) when it was sent as bytes, to save encoding it again. */
  envelope: string | Uint8Array;
  published_at: number;
}

const SIGNED = `SELECT m.screen_id, m.version, m.body_hash, m.release_id, m.published_at, e.envelope
  FROM screen_manifests m JOIN screen_envelopes e ON e.screen_id = m.screen_id AND e.version = m.version`;

const rowOf = (r: ManifestDbRow): ScreenManifestRow => ({
  screenId: r.screen_id,
  version: r.version,
  bodyHash: r.body_hash,
  releaseId: r.release_id,
  envelope: typeof r.envelope === "string" ? r.envelope : Buffer.from(r.envelope).toString("utf8"),
  publishedAt: r.published_at,
});

/**
 * What was last signed for each screen and gate; the counters here only ever go up. A manifest is
 * stored in two steps: `reserve` (version, hash: small rows, before anything is sent, so a version
 * never means two contents) and `saveEnvelopes` (the signed text, after sending, off the critical path).
 */
export class PublishedStore {
  constructor(private readonly db: Db) {}

  /** The screen's last manifest, if its signed text is stored. */
  screen(screenId: string): ScreenManifestRow | undefined {
    const r = prepare(this.db, `${SIGNED} WHERE m.screen_id = ?`).get(screenId) as ManifestDbRow | undefined;
    return r ? rowOf(r) : undefined;
  }

  /** The last version reserved for a screen. */
  version(screenId: string): number | undefined {
    const r = prepare(this.db, "SELECT version FROM screen_manifests WHERE screen_id = ?").get(screenId) as
      | { version: number }
      | undefined;
    return r?.version;
  }

  /** Version, hash and time of a screen's last manifest (sent, even if its text is not saved yet). */
  meta(screenId: string): ScreenManifestMeta | undefined {
    return this.screenMetas(screenId).get(screenId);
  }

  /** Version, hash and time of every screen's last manifest, without the envelopes: one query. */
  screenMetas(only?: string): Map<string, ScreenManifestMeta> {
    const select = `SELECT m.screen_id, m.version, m.body_hash, m.release_id, m.published_at,
        e.version AS envelope_version
      FROM screen_manifests m LEFT JOIN screen_envelopes e ON e.screen_id = m.screen_id`;
    const rows = (
      only === undefined
        ? prepare(this.db, select).all()
        : prepare(this.db, `${select} WHERE m.screen_id = ?`).all(only)
    ) as (Omit<ManifestDbRow, "envelope"> & { envelope_version: number | null })[];
    return new Map(
      rows.map((r) => [
        r.screen_id,
        {
          screenId: r.screen_id,
          version: r.version,
          bodyHash: r.body_hash,
          releaseId: r.release_id,
          publishedAt: r.published_at,
          signed: r.envelope_version === r.version,
        },
      ]),
    );
  }

  /** Every screen's last manifest whose signed text is stored. */
  screens(): ScreenManifestRow[] {
    const rows = prepare(this.db, `${SIGNED} ORDER BY m.screen_id`).all() as ManifestDbRow[];
    return rows.map(rowOf);
  }

  /**
   * Step 1, before sending: the new versions (never lower than a stored one), each with the history
   * entry proof-of-play is checked against (`items`: the JSON of the version's sorted item ids).
   */
  reserve(rows: readonly (Omit<ScreenManifestRow, "envelope"> & { items?: string; expiresAt?: number })[]): void {
    const history = prepare(
      this.db,
      `INSERT OR IGNORE INTO manifest_history (screen_id, version, release_id, item_set, issued_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const upsert = prepare(
      this.db,
      `INSERT INTO screen_manifests (screen_id, version, body_hash, release_id, published_at)
       VALUES (@screenId, @version, @bodyHash, @releaseId, @publishedAt)
       ON CONFLICT(screen_id) DO UPDATE SET version = excluded.version, body_hash = excluded.body_hash,
         release_id = excluded.release_id, published_at = excluded.published_at
       WHERE excluded.version > screen_manifests.version`,
    );
    this.db.transaction(() => {
      for (const row of rows) {
        upsert.run({
          screenId: row.screenId,
          version: row.version,
          bodyHash: row.bodyHash,
          releaseId: row.releaseId,
          publishedAt: row.publishedAt,
        });
        if (row.items !== undefined && row.expiresAt !== undefined)
          history.run(
            row.screenId,
            row.version,
            row.releaseId,
            this.itemSetId(row.items),
            row.publishedAt,
            row.expiresAt,
          );
      }
    })();
  }

  private readonly itemSetIds = new Map<string, number>();

  /** The id of a list of item ids, stored once however many screens and versions share it. */
  private itemSetId(items: string): number {
    const known = this.itemSetIds.get(items);
    if (known !== undefined) return known;
    prepare(this.db, "INSERT OR IGNORE INTO manifest_item_sets (items) VALUES (?)").run(items);
    const { id } = prepare(this.db, "SELECT id FROM manifest_item_sets WHERE items = ?").get(items) as { id: number };
    if (this.itemSetIds.size >= 10_000) this.itemSetIds.clear();
    this.itemSetIds.set(items, id);
    return id;
  }

  /** The versions of a screen's manifest still in the history: what each contained and when it was issued. */
  history(screenId: string): ManifestHistoryEntry[] {
    const rows = prepare(
      this.db,
      `SELECT h.version, h.release_id, h.item_set, s.items, h.issued_at, h.expires_at FROM manifest_history h
       JOIN manifest_item_sets s ON s.id = h.item_set WHERE h.screen_id = ? ORDER BY h.version`,
    ).all(screenId) as {
      version: number;
      release_id: number;
      item_set: number;
      items: string;
      issued_at: number;
      expires_at: number;
    }[];
    return rows.map((r) => ({
      version: r.version,
      releaseId: r.release_id,
      itemSet: r.item_set,
      items: r.items,
      issuedAt: r.issued_at,
      expiresAt: r.expires_at,
    }));
  }

  /**
   * Retention: a version leaves the history once it has been superseded and expired a TTL ago (a kiosk
   * offline that long still plays it, and may send its plays late); each screen's latest stays. Item
   * lists no version names any more go with them. Returns the versions removed.
   */
  pruneHistory(now: number, ttlMs: number): number {
    return this.db.transaction(() => {
      const removed = prepare(
        this.db,
        `DELETE FROM manifest_history WHERE expires_at < @cutoff AND version < COALESCE(
           (SELECT m.version FROM screen_manifests m WHERE m.screen_id = manifest_history.screen_id), version + 1)`,
      ).run({ cutoff: now - ttlMs }).changes;
      if (removed > 0) {
        prepare(
          this.db,
          "DELETE FROM manifest_item_sets WHERE id NOT IN (SELECT DISTINCT item_set FROM manifest_history)",
        ).run();
        this.itemSetIds.clear();
      }
      return removed;
    })();
  }

  /** Step 2, after sending: the signed texts of versions reserved before. */
  saveEnvelopes(
    rows: readonly (Pick<ScreenManifestRow, "screenId" | "version"> & { envelope: string | Uint8Array })[],
  ): void {
    const update = prepare(
      this.db,
      `INSERT INTO screen_envelopes (screen_id, version, envelope) VALUES (@screenId, @version, @envelope)
       ON CONFLICT(screen_id) DO UPDATE SET version = excluded.version, envelope = excluded.envelope
       WHERE excluded.version > screen_envelopes.version`,
    );
    this.db.transaction(() => {
      for (const row of rows) {
        const e = row.envelope;
        const envelope = typeof e === "string" ? e : Buffer.from(e.buffer, e.byteOffset, e.byteLength);
        update.run({ screenId: row.screenId, version: row.version, envelope });
      }
    })();
  }

  /**
   * A deleted screen: its signed text goes (never republished), its version stays so a screen
   * re-created under the same id continues above it, and its hash is cleared so it gets a manifest.
   */
  forgetScreen(screenId: string): void {
    prepare(this.db, "DELETE FROM screen_envelopes WHERE screen_id = ?").run(screenId);
    prepare(this.db, "UPDATE screen_manifests SET body_hash = '' WHERE screen_id = ?").run(screenId);
  }

  gate(gateId: string): GateAlertRow | undefined {
    const r = prepare(this.db, "SELECT * FROM gate_alerts WHERE gate_id = ?").get(gateId) as
      | { gate_id: string; seq: number; body_hash: string; envelope: string | null }
      | undefined;
    return r ? { gateId: r.gate_id, seq: r.seq, bodyHash: r.body_hash, envelope: r.envelope } : undefined;
  }

  gates(): GateAlertRow[] {
    const rows = prepare(this.db, "SELECT gate_id FROM gate_alerts").all() as { gate_id: string }[];
    return rows.map((r) => this.gate(r.gate_id) as GateAlertRow);
  }

  saveGate(row: GateAlertRow): void {
    prepare(
      this.db,
      `INSERT INTO gate_alerts (gate_id, seq, body_hash, envelope) VALUES (@gateId, @seq, @bodyHash, @envelope)
         ON CONFLICT(gate_id) DO UPDATE SET seq = excluded.seq, body_hash = excluded.body_hash, envelope = excluded.envelope
         WHERE excluded.seq > gate_alerts.seq`,
    ).run(row);
  }
}
