import { type ManifestEnvelope, PlayRecord } from "@gatecast/playlists";
import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { StoredGateAlerts } from "../sync/manifests.ts";
import { Credentials, StoredPairing } from "../sync/pairing.ts";
import type { PlayStore } from "../sync/plays.ts";

/*
 * Everything the kiosk keeps across reloads and power cuts, in one IndexedDB database. Every read is
 * parsed (zod here; manifests and alerts are re-verified by sync/manifests.ts): a corrupt record is
 * deleted and reported, and the kiosk falls back to a clear state (pair again, wait for a manifest).
 */

const DB_NAME = "gatecast-kiosk";
const DB_VERSION = 1;

type KvKey = "credentials" | "pairing" | "manifest" | "gate-alerts";

interface KioskDB extends DBSchema {
  kv: { key: KvKey; value: unknown };
  plays: { key: string; value: unknown; indexes: { startedAt: string } };
}

export type Loaded<T> = { state: "ok"; value: T } | { state: "missing" } | { state: "corrupt"; reason: string };

export interface KioskStore {
  /** False when IndexedDB could not be opened and the kiosk runs from memory. */
  readonly durable: boolean;
  loadCredentials(): Promise<Loaded<Credentials>>;
  saveCredentials(credentials: Credentials): Promise<void>;
  /** Forgets the pairing and everything that came with it (manifest, alerts). Play records stay. */
  forgetScreen(): Promise<void>;
  loadPairing(): Promise<StoredPairing | null>;
  savePairing(pairing: StoredPairing | null): Promise<void>;
  /** The raw envelope of the manifest on screen; verified by the caller. */
  loadManifest(): Promise<unknown>;
  saveManifest(envelope: ManifestEnvelope): Promise<void>;
  loadGateAlerts(): Promise<unknown>;
  saveGateAlerts(value: StoredGateAlerts | null): Promise<void>;
  clearKey(key: KvKey): Promise<void>;
  plays: PlayStore;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Reports corrupt play records (they are deleted: they could never be delivered). */
export type CorruptionReporter = (what: string) => void;

export async function openKioskStore(onCorrupt: CorruptionReporter): Promise<KioskStore> {
  const db = await openDB<KioskDB>(DB_NAME, DB_VERSION, {
    upgrade(database) {
      if (!database.objectStoreNames.contains("kv")) database.createObjectStore("kv");
      if (!database.objectStoreNames.contains("plays")) {
        const plays = database.createObjectStore("plays");
        plays.createIndex("startedAt", "startedAt");
      }
    },
  });
  return idbStore(db, onCorrupt);
}

function idbStore(db: IDBPDatabase<KioskDB>, onCorrupt: CorruptionReporter): KioskStore {
  const get = (key: KvKey) => db.get("kv", key);
  const put = async (key: KvKey, value: unknown) => {
    await db.put("kv", value, key);
  };
  const del = async (key: KvKey) => {
    await db.delete("kv", key);
  };
  return {
    durable: true,
    async loadCredentials() {
      const raw = await get("credentials");
      if (raw === undefined) return { state: "missing" };
      const r = Credentials.safeParse(raw);
      if (r.success) return { state: "ok", value: r.data };
      await del("credentials");
      return { state: "corrupt", reason: r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
    },
    saveCredentials: (c) => put("credentials", c),
    async forgetScreen() {
      const tx = db.transaction("kv", "readwrite");
      await Promise.all([
        tx.store.delete("credentials"),
        tx.store.delete("manifest"),
        tx.store.delete("gate-alerts"),
        tx.done,
      ]);
    },
    async loadPairing() {
      const r = StoredPairing.safeParse(await get("pairing"));
      return r.success ? r.data : null;
    },
    savePairing: (p) => (p ? put("pairing", p) : del("pairing")),
    loadManifest: () => get("manifest"),
    saveManifest: (envelope) => put("manifest", envelope),
    loadGateAlerts: () => get("gate-alerts"),
    saveGateAlerts: (value) => (value ? put("gate-alerts", value) : del("gate-alerts")),
    clearKey: del,
    plays: {
      async add(record) {
        await db.put("plays", record, record.id);
      },
      async oldest(limit) {
        const out: PlayRecord[] = [];
        const broken: string[] = [];
        let cursor = await db.transaction("plays").store.index("startedAt").openCursor();
        while (cursor && out.length < limit) {
          const r = PlayRecord.safeParse(cursor.value);
          if (r.success) out.push(r.data);
          else broken.push(String(cursor.primaryKey));
          cursor = await cursor.continue();
        }
        if (broken.length > 0) {
          const tx = db.transaction("plays", "readwrite");
          await Promise.all([...broken.map((k) => tx.store.delete(k)), tx.done]);
          onCorrupt(`${broken.length} unreadable play record(s) deleted`);
        }
        return out;
      },
      async delete(ids) {
        const tx = db.transaction("plays", "readwrite");
        await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
      },
      count: () => db.count("plays"),
    },
  };
}

/** The same store in memory: what the kiosk runs on when IndexedDB is unavailable (nothing survives a reload). */
export function memoryKioskStore(): KioskStore {
  const kv = new Map<KvKey, unknown>();
  const plays = new Map<string, PlayRecord>();
  return {
    durable: false,
    async loadCredentials() {
      const raw = kv.get("credentials");
      if (raw === undefined) return { state: "missing" };
      const r = Credentials.safeParse(raw);
      return r.success ? { state: "ok", value: r.data } : { state: "corrupt", reason: "invalid" };
    },
    async saveCredentials(c) {
      kv.set("credentials", c);
    },
    async forgetScreen() {
      kv.delete("credentials");
      kv.delete("manifest");
      kv.delete("gate-alerts");
    },
    async loadPairing() {
      const r = StoredPairing.safeParse(kv.get("pairing"));
      return r.success ? r.data : null;
    },
    async savePairing(p) {
      if (p) kv.set("pairing", p);
      else kv.delete("pairing");
    },
    async loadManifest() {
      return kv.get("manifest");
    },
    async saveManifest(envelope) {
      kv.set("manifest", envelope);
    },
    async loadGateAlerts() {
      return kv.get("gate-alerts");
    },
    async saveGateAlerts(value) {
      if (value) kv.set("gate-alerts", value);
      else kv.delete("gate-alerts");
    },
    async clearKey(key) {
      kv.delete(key);
    },
    plays: {
      async add(r) {
        plays.set(r.id, r);
      },
      async oldest(limit) {
        return [...plays.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).slice(0, limit);
      },
      async delete(ids) {
        for (const id of ids) plays.delete(id);
      },
      async count() {
        return plays.size;
      },
    },
  };
}

/** Opens IndexedDB, or falls back to memory (reported through `onCorrupt`) so the screen still plays. */
export async function openStoreOrMemory(onProblem: CorruptionReporter): Promise<KioskStore> {
  try {
    return await openKioskStore(onProblem);
  } catch (e) {
    onProblem(`IndexedDB unavailable, running without persistence: ${describe(e)}`);
    return memoryKioskStore();
  }
}
