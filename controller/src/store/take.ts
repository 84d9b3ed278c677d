import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { SIGNING_KEY_FILE } from "../keys.ts";
import { DB_FILE, Store } from "./index.ts";
import { damagedStoreMessage, isStoreCorruption, quickCheck, type StoreCheck, StoreCorruptError } from "./integrity.ts";
import { type DataDirLock, lockDataDir } from "./lock.ts";

export class NewStoreBesideKeyError extends Error {}

/**
 * The store as the controller takes it at start: DATA_DIR locked for this process (a second `start`
 * or a `restore` is refused while it runs), never a fresh store made silently beside the signing key
 * every screen pinned, and SQLite's `quick_check` before anything reads or migrates, a damaged file
 * becoming one clear error that points at `restore`.
 */
export async function takeStore(
  dataDir: string,
  opts: { allowNewStore: boolean; now: number },
): Promise<{ store: Store; lock: DataDirLock; check: StoreCheck }> {
  const lock = lockDataDir(dataDir);
  try {
    const file = join(dataDir, DB_FILE);
    const size = existsSync(file) ? statSync(file).size : null;
    if ((size === null || size === 0) && existsSync(join(dataDir, SIGNING_KEY_FILE)) && !opts.allowNewStore) {
      throw new NewStoreBesideKeyError(
        `${dataDir} holds the signing key every screen pinned (${SIGNING_KEY_FILE}) but ${size === null ? "no" : "an empty"} ` +
          `store (${DB_FILE}): the store was lost. Restore the last backup (gatecast restore FILE --force), or pass ` +
          "--new-store to begin an empty store signed with the same key",
      );
    }
    let check: StoreCheck | null = null;
    let store: Store;
    try {
      store = await Store.open(dataDir, {
        beforeMigrate: (db) => {
          check = quickCheck(db, opts.now);
          if (!check.ok) throw new StoreCorruptError(damagedStoreMessage(file, check.result));
        },
      });
    } catch (e) {
      if (isStoreCorruption(e)) throw new StoreCorruptError(damagedStoreMessage(file, (e as Error).message));
      throw e;
    }
    return { store, lock, check: check ?? { ok: true, result: "ok", at: opts.now, ms: 0 } };
  } catch (e) {
    lock.release();
    throw e;
  }
}
