import Database from "better-sqlite3";
import { MIGRATIONS } from "./migrations.ts";

export type Db = Database.Database;

/**
 * Opens (or creates) the store in WAL mode and brings its schema up to date. `beforeMigrate` sees the
 * database first (the controller's integrity check: nothing is written into a damaged file).
 */
export function openDb(file: string, opts: { beforeMigrate?: (db: Db) => void } = {}): Db {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    opts.beforeMigrate?.(db);
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** Opens an existing store for reading only, beside a running controller; its schema must be this gatecast's. */
export function openDbReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version !== MIGRATIONS.length) {
      throw new Error(
        version > MIGRATIONS.length
          ? `the store is from a newer gatecast (schema ${version}, this one knows ${MIGRATIONS.length})`
          : `the store's schema (${version}) is older than this gatecast's (${MIGRATIONS.length}): start the controller once to migrate it`,
      );
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`the store is from a newer gatecast (schema ${current}, this one knows ${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per database and SQL text: preparing is the costly part. */
export function prepare(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}
