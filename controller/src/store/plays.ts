import {
  ALL_LANGUAGES,
  type DailyAggregate,
  dayDate,
  dayMonth,
  dayNumber,
  LocalDays,
  type RawPlay,
  rollupPlays,
} from "@gatecast/playlists";
import { type Db, prepare } from "./db.ts";

/*
 * Proof-of-play kept for years. Raw plays (`play_log`) are compact: integer keys into `report_names`,
 * the release the play happened under, start and duration. The screen's own play id lives apart in
 * `play_ids` only as long as exactly-once needs it. Daily aggregates (`plays_daily`) are rolled up from
 * `play_log` up to a watermark, in one transaction with it: a crash mid-roll-up leaves both as they were.
 */

export const ROLLED_UP_TO = "plays_rolled_up_to";
/** How long a screen's play id is remembered: a kiosk resends only what was not acknowledged. */
export const PLAY_ID_KEEP_MS = 14 * 86_400_000;

export type NameKind = "gate" | "screen" | "item";

export interface StoredPlay {
  id: string;
  item: string;
  startedAt: number;
  durationMs: number;
  /** The release the play happened under (through the manifest version it played under). */
  releaseId: number;
}

/** Columns the aggregates can be grouped by. */
export const GROUP_COLUMNS = ["day", "month", "gate", "screen", "item", "release", "lang"] as const;
export type GroupColumn = (typeof GROUP_COLUMNS)[number];

export interface Grouped {
  day?: number;
  month?: string;
  gate?: string;
  screen?: string;
  item?: string;
  release?: number;
  lang?: string;
  plays: number;
  ms: number;
}

export interface RawRow {
  gate: string;
  screen: string;
  item: string;
  releaseId: number;
  startedAt: number;
  durationMs: number;
}

/** Months as year × 12 + month − 1, the monthly aggregates' key. */
export const monthIndex = (day: number): number => {
  const [y, m] = dayDate(day).split("-").map(Number) as [number, number];
  return y * 12 + m - 1;
};
const dayOfMonthIndex = (month: number): number =>
  dayNumber(`${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}-01`);

const MONTHLY_COLUMN: Record<GroupColumn, string> = {
  day: "NULL",
  month: "printf('%04d-%02d', month / 12, month % 12 + 1)",
  gate: "gate",
  screen: "screen",
  item: "item",
  release: "release_id",
  lang: "lang",
};

interface PlayLogRow {
  id: number;
  gate: number;
  screen: number;
  item: number;
  release_id: number;
  started_at: number;
  duration_ms: number;
}

const SQL_COLUMN: Record<GroupColumn, string> = {
  day: "day",
  month: "strftime('%Y-%m', day * 86400, 'unixepoch')",
  gate: "gate",
  screen: "screen",
  item: "item",
  release: "release_id",
  lang: "lang",
};

export class PlayStore {
  private readonly ids = new Map<string, number>();
  private readonly names = new Map<number, string>();
  playsIngested = 0;

  constructor(private readonly db: Db) {}

  /** The integer key of a name (created on first use; never on a read-only store, where it is -1). */
  key(kind: NameKind, name: string, create = true): number {
    const k = `${kind}\u0000${name}`;
    const known = this.ids.get(k);
    if (known !== undefined) return known;
    if (create) prepare(this.db, "INSERT OR IGNORE INTO report_names (kind, name) VALUES (?, ?)").run(kind, name);
    const r = prepare(this.db, "SELECT id FROM report_names WHERE kind = ? AND name = ?").get(kind, name) as
      | { id: number }
      | undefined;
    if (!r) return -1;
    this.ids.set(k, r.id);
    this.names.set(r.id, name);
    return r.id;
  }

  name(id: number): string {
    let n = this.names.get(id);
    if (n === undefined) {
      n = (prepare(this.db, "SELECT name FROM report_names WHERE id = ?").get(id) as { name: string } | undefined)
        ?.name;
      if (n === undefined) return `#${id}`;
      this.names.set(id, n);
    }
    return n;
  }

  /** Stores play records once each (by the screen's play id); returns every id now stored, to ack. */
  store(screenId: string, gate: string, records: readonly StoredPlay[], now: number): string[] {
    this.db.transaction(() => {
      const screen = this.key("screen", screenId);
      const g = this.key("gate", gate);
      const seen = prepare(this.db, "INSERT OR IGNORE INTO play_ids (screen, play_id, received_at) VALUES (?, ?, ?)");
      const ins = prepare(
        this.db,
        "INSERT INTO play_log (gate, screen, item, release_id, started_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?)",
      );
      for (const r of records) {
        if (seen.run(screen, r.id, now).changes === 0) continue;
        ins.run(g, screen, this.key("item", r.item), r.releaseId, r.startedAt, r.durationMs);
        this.playsIngested += 1;
      }
    })();
    return records.map((r) => r.id);
  }

  /** Raw plays in [from, to) (instants), oldest first, names resolved: the per-play export. */
  raw(from: number, to: number, gate?: string): RawRow[] {
    const g = gate === undefined ? undefined : this.key("gate", gate, false);
    const rows = prepare(
      this.db,
      `SELECT gate, screen, item, release_id, started_at, duration_ms FROM play_log
       WHERE started_at >= ? AND started_at < ? ${g === undefined ? "" : "AND gate = ?"} ORDER BY started_at, id`,
    ).all(from, to, ...(g === undefined ? [] : [g])) as PlayLogRow[];
    return rows.map((r) => ({
      gate: this.name(r.gate),
      screen: this.name(r.screen),
      item: this.name(r.item),
      releaseId: r.release_id,
      startedAt: r.started_at,
      durationMs: r.duration_ms,
    }));
  }

  /** The oldest raw play kept (an instant), or null: raw detail exists from here on. */
  oldestRaw(): number | null {
    return (prepare(this.db, "SELECT MIN(started_at) AS t FROM play_log").get() as { t: number | null }).t;
  }

  watermark(): number {
    const r = prepare(this.db, "SELECT value FROM meta WHERE key = ?").get(ROLLED_UP_TO) as
      | { value: string }
      | undefined;
    return r ? Number(r.value) : 0;
  }

  /** Raw plays not rolled up yet, as roll-up input. */
  private pending(after: number, limit: number): (RawPlay & { id: number })[] {
    return (
      prepare(
        this.db,
        "SELECT id, gate, screen, item, release_id, started_at, duration_ms FROM play_log WHERE id > ? ORDER BY id LIMIT ?",
      ).all(after, limit) as PlayLogRow[]
    ).map((r) => ({
      id: r.id,
      gate: r.gate,
      screen: r.screen,
      item: r.item,
      release: r.release_id,
      lang: ALL_LANGUAGES,
      startedAt: r.started_at,
      durationMs: r.duration_ms,
    }));
  }

  /**
   * Rolls up to `batch` raw plays past the watermark into the daily aggregates, moving the watermark in
   * the same transaction (idempotent: a play is added once whatever stops when). Returns how many.
   * `zoneOf` names a gate's time zone. `beforeCommit` is for the crash test.
   */
  rollupBatch(zoneOf: (gate: string) => string, batch = 5_000, beforeCommit?: () => void): number {
    return this.db.transaction(() => {
      const rows = this.pending(this.watermark(), batch);
      if (rows.length === 0) return 0;
      const upsert = prepare(
        this.db,
        `INSERT INTO plays_daily (day, gate, screen, item, release_id, lang, plays, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET plays = plays + excluded.plays, ms = ms + excluded.ms`,
      );
      const monthly = prepare(
        this.db,
        `INSERT INTO plays_monthly (month, gate, screen, item, release_id, lang, plays, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET plays = plays + excluded.plays, ms = ms + excluded.ms`,
      );
      for (const a of rollupPlays(rows, (g) => zoneOf(this.name(g)), this.days)) {
        upsert.run(a.day, a.gate, a.screen, a.item, a.release, a.lang, a.plays, a.ms);
        monthly.run(monthIndex(a.day), a.gate, a.screen, a.item, a.release, a.lang, a.plays, a.ms);
      }
      const last = rows[rows.length - 1]?.id ?? 0;
      prepare(
        this.db,
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ).run(ROLLED_UP_TO, String(last));
      beforeCommit?.();
      return rows.length;
    })();
  }

  private readonly days = new LocalDays();

  /**
   * The aggregates of gate-local days [fromDay, toDay] (day numbers), summed over what `by` leaves out,
   * names resolved. Raw plays not rolled up yet are included (a read-only store cannot roll them up).
   */
  grouped(
    fromDay: number,
    toDay: number,
    by: readonly GroupColumn[],
    zoneOf: (gate: string) => string,
    gate?: string,
  ): Grouped[] {
    const g = gate === undefined ? undefined : this.key("gate", gate, false);
    const query = (table: "plays_daily" | "plays_monthly", from: number, to: number) => {
      const col = table === "plays_daily" ? SQL_COLUMN : MONTHLY_COLUMN;
      const key = table === "plays_daily" ? "day" : "month";
      const cols = by.map((c) => `${col[c]} AS "${c}"`);
      return prepare(
        this.db,
        `SELECT ${[...cols, "SUM(plays) AS plays", "SUM(ms) AS ms"].join(", ")} FROM ${table}
         WHERE ${key} >= ? AND ${key} <= ? ${g === undefined ? "" : "AND gate = ?"}
         ${by.length ? `GROUP BY ${by.map((c) => `"${c}"`).join(", ")}` : ""}`,
      ).all(from, to, ...(g === undefined ? [] : [g])) as (Record<string, number | string> & {
        plays: number;
        ms: number;
      })[];
    };
    // whole months from the monthly table, the days before and after them from the daily one
    const rows = [];
    const firstFull = monthIndex(fromDay) + (dayDate(fromDay).endsWith("-01") ? 0 : 1);
    const lastFull = monthIndex(toDay) - (dayDate(toDay + 1).endsWith("-01") ? 0 : 1);
    if (by.includes("day") || firstFull > lastFull) rows.push(...query("plays_daily", fromDay, toDay));
    else {
      rows.push(...query("plays_monthly", firstFull, lastFull));
      const headEnd = dayOfMonthIndex(firstFull) - 1;
      const tailStart = dayOfMonthIndex(lastFull + 1);
      if (fromDay <= headEnd) rows.push(...query("plays_daily", fromDay, headEnd));
      if (tailStart <= toDay) rows.push(...query("plays_daily", tailStart, toDay));
    }
    const out = new Map<string, Grouped>();
    const add = (r: Grouped) => {
      const k = by.map((c) => r[c]).join("|");
      const cur = out.get(k);
      if (cur) {
        cur.plays += r.plays;
        cur.ms += r.ms;
      } else out.set(k, { ...r });
    };
    for (const r of rows) add(this.named(r as Record<string, number | string>, by));
    // what is not rolled up yet
    const pending = this.pending(this.watermark(), Number.MAX_SAFE_INTEGER).filter(
      (p) => g === undefined || p.gate === g,
    );
    for (const a of rollupPlays(pending, (x) => zoneOf(this.name(x)), this.days)) {
      if (a.day < fromDay || a.day > toDay) continue;
      add(this.named(aggregateRow(a), by));
    }
    if (by.length === 0 && out.size === 0) return [{ plays: 0, ms: 0 }];
    return [...out.values()];
  }

  private named(r: Record<string, number | string>, by: readonly GroupColumn[]): Grouped {
    const o: Grouped = { plays: Number(r.plays), ms: Number(r.ms) };
    for (const c of by) {
      const v = r[c];
      if (c === "gate" || c === "screen" || c === "item") o[c] = this.name(Number(v));
      else if (c === "day" || c === "release") o[c] = Number(v);
      else o[c] = String(v);
    }
    return o;
  }

  /** Deletes up to `limit` raw plays started before `cutoff` that are rolled up; returns how many. */
  deleteOld(cutoff: number, limit: number): number {
    return prepare(
      this.db,
      "DELETE FROM play_log WHERE id IN (SELECT id FROM play_log WHERE started_at < ? AND id <= ? LIMIT ?)",
    ).run(cutoff, this.watermark(), limit).changes;
  }

  /** Forgets up to `limit` play ids received before `cutoff`; returns how many. */
  forgetIds(cutoff: number, limit: number): number {
    return prepare(
      this.db,
      "DELETE FROM play_ids WHERE (screen, play_id) IN (SELECT screen, play_id FROM play_ids WHERE received_at < ? LIMIT ?)",
    ).run(cutoff, limit).changes;
  }

  /** The play ids still remembered (of stored plays), oldest first: what tests and audits look up. */
  playIds(screenId?: string): string[] {
    const sc = screenId === undefined ? undefined : this.key("screen", screenId, false);
    return (
      prepare(
        this.db,
        `SELECT play_id FROM play_ids ${sc === undefined ? "" : "WHERE screen = ?"} ORDER BY received_at, play_id`,
      ).all(...(sc === undefined ? [] : [sc])) as { play_id: string }[]
    ).map((r) => r.play_id);
  }

  counts(): { raw: number; daily: number; ids: number } {
    const n = (t: string) => (prepare(this.db, `SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { raw: n("play_log"), daily: n("plays_daily"), ids: n("play_ids") };
  }
}

const aggregateRow = (a: DailyAggregate): Record<string, number | string> => ({
  day: a.day,
  month: dayMonth(a.day),
  gate: a.gate,
  screen: a.screen,
  item: a.item,
  release: a.release,
  lang: a.lang,
  plays: a.plays,
  ms: a.ms,
});
