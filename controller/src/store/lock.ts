import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

export const LOCK_FILE = "gatecast.lock";

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `${dataDir} is in use by another gatecast process (a running controller, or a restore): ` +
        "stop it first (systemctl stop gatecast)",
    );
  }
}

export interface DataDirLock {
  release(): void;
}

/**
 * Takes DATA_DIR for this process alone: what `start` and `restore` hold, and nothing else (the
 * read-only commands open the store beside a running controller). The lock is SQLite's own on a small
 * file of its own, held in exclusive locking mode: a kernel lock, so it goes with the process however
 * the process ends (SIGKILL and power cuts included) and never needs cleaning up.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("journal_mode = OFF");
    // a write takes the exclusive lock, and exclusive locking mode keeps it until the connection closes
    db.exec("BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (since INTEGER); DELETE FROM held; COMMIT");
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code?.startsWith("SQLITE_BUSY")) throw new DataDirLockedError(dataDir);
    throw e;
  }
  return { release: () => db.close() };
}
