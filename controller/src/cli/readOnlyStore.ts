import { Store, StoreMissingError } from "../store/index.ts";
import { damagedStoreMessage, isStoreCorruption } from "../store/integrity.ts";
import { CliError } from "./cliError.ts";

/**
 * The store in DATA_DIR for a command that only reads it (`backup`, `broker-config`, and the report,
 * site and leaflet exports): opened read-only, so it runs beside a running controller without its
 * lock and can never write. Closed when `fn` is done.
 */
export async function withReadOnlyStore<T>(dataDir: string, fn: (store: Store) => Promise<T> | T): Promise<T> {
  let store: Store;
  try {
    store = Store.openReadOnly(dataDir);
  } catch (e) {
    if (e instanceof StoreMissingError) throw new CliError(`${e.message}: is DATA_DIR right?`);
    if (isStoreCorruption(e)) throw new CliError(damagedStoreMessage(dataDir, (e as Error).message));
    throw new CliError(`cannot open the store in ${dataDir}: ${(e as Error).message}`);
  }
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
