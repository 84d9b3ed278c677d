import { type Db, prepare } from "./db.ts";

export interface ScreenManifestRow {
  screenId: string;
  version: number;
  bodyHash: string;
  releaseId: number;
  envelope: string;
  publishedAt: number;
}

export interface GateAlertRow {
  gateId: string;
  seq: number;
  bodyHash: string;
  envelope: string | null;
}

/** What was last signed for each screen and gate; the counters here only ever go up. */
export class PublishedStore {
  constructor(private readonly db: Db) {}

  screen(screenId: string): ScreenManifestRow | undefined {
    const r = prepare(this.db, "SELECT * FROM screen_manifests WHERE screen_id = ?").get(screenId) as
      | {
          screen_id: string;
          version: number;
          body_hash: string;
          release_id: number;
          envelope: string;
          published_at: number;
        }
      | undefined;
    return r
      ? {
          screenId: r.screen_id,
          version: r.version,
          bodyHash: r.body_hash,
          releaseId: r.release_id,
          envelope: r.envelope,
          publishedAt: r.published_at,
        }
      : undefined;
  }

  /** Version, hash and time of every screen's last manifest, without the envelopes: one query. */
  screenMetas(): Map<string, Omit<ScreenManifestRow, "envelope">> {
    const rows = prepare(
      this.db,
      "SELECT screen_id, version, body_hash, release_id, published_at FROM screen_manifests",
    ).all() as {
      screen_id: string;
      version: number;
      body_hash: string;
      release_id: number;
      published_at: number;
    }[];
    return new Map(
      rows.map((r) => [
        r.screen_id,
        {
          screenId: r.screen_id,
          version: r.version,
          bodyHash: r.body_hash,
          releaseId: r.release_id,
          publishedAt: r.published_at,
        },
      ]),
    );
  }

  screens(): ScreenManifestRow[] {
    const rows = prepare(this.db, "SELECT screen_id FROM screen_manifests ORDER BY screen_id").all() as {
      screen_id: string;
    }[];
    return rows.map((r) => this.screen(r.screen_id) as ScreenManifestRow);
  }

  saveScreen(row: ScreenManifestRow): void {
    this.db
      .prepare(
        `INSERT INTO screen_manifests (screen_id, version, body_hash, release_id, envelope, published_at)
         VALUES (@screenId, @version, @bodyHash, @releaseId, @envelope, @publishedAt)
         ON CONFLICT(screen_id) DO UPDATE SET version = excluded.version, body_hash = excluded.body_hash,
           release_id = excluded.release_id, envelope = excluded.envelope, published_at = excluded.published_at
         WHERE excluded.version > screen_manifests.version`,
      )
      .run(row);
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
    this.db
      .prepare(
        `INSERT INTO gate_alerts (gate_id, seq, body_hash, envelope) VALUES (@gateId, @seq, @bodyHash, @envelope)
         ON CONFLICT(gate_id) DO UPDATE SET seq = excluded.seq, body_hash = excluded.body_hash, envelope = excluded.envelope
         WHERE excluded.seq > gate_alerts.seq`,
      )
      .run(row);
  }
}
