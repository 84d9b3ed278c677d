import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Content, itemMedia, topics } from "@gatecast/playlists";
import { AlertStore } from "./alerts.ts";
import { AuditLog } from "./audit.ts";
import { CapStore } from "./cap.ts";
import { type Db, openDb, openDbReadOnly, prepare } from "./db.ts";
import { DraftStore } from "./draft.ts";
import { FleetStore } from "./fleet.ts";
import { IncidentStore } from "./incidents.ts";
import { PublishedStore } from "./manifests.ts";
import { MediaStore } from "./media.ts";
import { NotifyStore } from "./notify.ts";
import { PlayStore } from "./plays.ts";
import { ReleaseStore } from "./releases.ts";
import { RetainedClears } from "./retainedClears.ts";
import { ReviewStore } from "./review.ts";
import { TargetStore } from "./targets.ts";
import { UserStore } from "./users.ts";

export const DB_FILE = "gatecast.db";

export class StoreMissingError extends Error {}

/** The controller's one store: SQLite in WAL mode plus the media folder, under DATA_DIR. */
export class Store {
  readonly draft: DraftStore;
  readonly releases: ReleaseStore;
  readonly published: PublishedStore;
  readonly users: UserStore;
  readonly review: ReviewStore;
  readonly audit: AuditLog;
  readonly media: MediaStore;
  readonly alerts: AlertStore;
  readonly fleet: FleetStore;
  readonly plays: PlayStore;
  readonly reportTargets: TargetStore;
  readonly retainedClears: RetainedClears;
  readonly incidents: IncidentStore;
  readonly notify: NotifyStore;
  readonly cap: CapStore;

  private constructor(
    readonly db: Db,
    dataDir: string,
  ) {
    this.draft = new DraftStore(db);
    this.releases = new ReleaseStore(db);
    this.published = new PublishedStore(db);
    this.users = new UserStore(db);
    this.review = new ReviewStore(db);
    this.audit = new AuditLog(db);
    this.media = new MediaStore(db, dataDir);
    this.alerts = new AlertStore(db);
    this.fleet = new FleetStore(db);
    this.plays = new PlayStore(db);
    this.reportTargets = new TargetStore(db);
    this.retainedClears = new RetainedClears(db);
    this.incidents = new IncidentStore(db);
    this.notify = new NotifyStore(db);
    this.cap = new CapStore(db);
  }

  static async open(dataDir: string, opts: { beforeMigrate?: (db: Db) => void } = {}): Promise<Store> {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const store = new Store(openDb(join(dataDir, DB_FILE), opts), dataDir);
    await store.media.init();
    return store;
  }

  /**
   * The store for commands that only read (backup, broker-config, and the report, site and leaflet
   * exports): beside a running controller, without its lock, and never writing. Fails when DATA_DIR
   * holds no store, or one of another schema.
   */
  static openReadOnly(dataDir: string): Store {
    const file = join(dataDir, DB_FILE);
    if (!existsSync(file)) throw new StoreMissingError(`no gatecast store in ${dataDir}`);
    return new Store(openDbReadOnly(file), dataDir);
  }

  /** The draft as it would be released: only the media its items use. */
  draftContent(): Content {
    const items = this.draft.list("items");
    const used = new Set(items.map(itemMedia).filter((m): m is string => m !== undefined));
    const media = this.media
      .list()
      .filter((m) => used.has(m.sha256))
      .map(({ sha256, bytes, mime }) => ({ sha256, bytes, mime }));
    return this.draft.content(media);
  }

  /**
   * Deletes a screen in one transaction: its inventory entry, credentials, live state and signed
   * manifest, with its retained manifest and status queued for clearing (`retainedClears`). False when
   * there was no such screen.
   */
  removeScreen(screenId: string, now: number): boolean {
    return this.transaction(() => {
      if (!this.draft.delete("screens", screenId)) return false;
      this.fleet.forget(screenId);
      this.published.forgetScreen(screenId);
      for (const topic of [topics.manifest(screenId), topics.status(screenId)]) this.retainedClears.add(topic, now);
      return true;
    });
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  meta(key: string): string | undefined {
    return (prepare(this.db, "SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    prepare(
      this.db,
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(key, value);
  }

  close(): void {
    this.db.close();
  }
}
