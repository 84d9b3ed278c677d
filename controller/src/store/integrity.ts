import { Worker } from "node:worker_threads";
import type { Db } from "./db.ts";

/** What SQLite's `quick_check` said of the store, and when. */
export interface StoreCheck {
  ok: boolean;
  /** "ok", or SQLite's first problems. */
  result: string;
  at: number;
  ms: number;
}

export class StoreCorruptError extends Error {}

const CORRUPTION = new Set(["SQLITE_CORRUPT", "SQLITE_NOTADB"]);

/** Whether an error is SQLite saying the database file is damaged (or not a database at all). */
export function isStoreCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && [...CORRUPTION].some((c) => code === c || code.startsWith(`${c}_`));
}

/** Whether an error is the disk under DATA_DIR being full: SQLite's SQLITE_FULL, or ENOSPC from a file write. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "ENOSPC" || (typeof code === "string" && (code === "SQLITE_FULL" || code.startsWith("SQLITE_FULL_")));
}

/** The one line an operator gets for a damaged store: what, and what to do. */
export function damagedStoreMessage(file: string, detail: string): string {
  return (
    `the store ${file} is damaged (${detail.replace(/\s+/g, " ").slice(0, 300)}): stop the controller and restore ` +
    "the last backup with `gatecast restore FILE --force` (deploy/README.md, Backups)"
  );
}

const summarise = (rows: unknown[]): { ok: boolean; result: string } => {
  const lines = rows.map((r) => String(Object.values(r as Record<string, unknown>)[0]));
  const ok = lines.length === 1 && lines[0] === "ok";
  return { ok, result: ok ? "ok" : lines.join("; ") };
};

/** `PRAGMA quick_check` on an open connection (at start, before anything reads or migrates). */
export function quickCheck(db: Db, now: number): StoreCheck {
  const started = performance.now();
  const r = summarise(db.pragma("quick_check(10)") as unknown[]);
  return { ...r, at: now, ms: Math.round(performance.now() - started) };
}

/**
 * The same check on a connection of its own in a worker thread: a full pass over a large store takes
 * seconds, which must not stall the controller's MQTT and HTTP while it runs.
 */
export function quickCheckInWorker(file: string, now: () => number): Promise<StoreCheck> {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    let db;
    try {
      const Database = require("node:module").createRequire(workerData.from)("better-sqlite3");
      db = new Database(workerData.file, { readonly: true, fileMustExist: true });
      parentPort.postMessage({ rows: db.pragma("quick_check(10)") });
    } catch (e) {
      parentPort.postMessage({ error: String(e && e.message), code: e && e.code });
    } finally {
      if (db) db.close();
    }`;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { file, from: import.meta.url } });
    worker.once("message", (m: { rows?: unknown[]; error?: string; code?: string }) => {
      void worker.terminate();
      const ms = Math.round(performance.now() - started);
      if (m.rows) return resolve({ ...summarise(m.rows), at: now(), ms });
      if (isStoreCorruption(m)) return resolve({ ok: false, result: m.error ?? "damaged", at: now(), ms });
      reject(new Error(`quick_check could not run: ${m.error}`));
    });
    worker.once("error", reject);
  });
}
