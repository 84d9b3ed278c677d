import { itemMedia, Sha256 } from "@gatecast/playlists";
import { z } from "zod";
import type { Store } from "../store/index.ts";

/** The part of a signed manifest media GC reads: which files it names. */
const ManifestMedia = z.object({ payload: z.object({ media: z.array(z.object({ sha256: Sha256 })) }) });

export interface MediaGcOptions {
  /** Media of the newest this-many releases are kept (a rollback to any of them still has its files). */
  keepReleases: number;
  /** Files younger than this are kept whatever refers to them: an upload not yet used by an item. */
  graceMs: number;
  now: number;
  /** Report what would go, remove nothing. */
  dryRun: boolean;
}

export interface MediaGcFile {
  sha256: string;
  bytes: number;
  name: string | null;
  /** Known to the store, or a file on disk the store never recorded (a crash between write and record). */
  known: boolean;
}

export interface MediaGcReport {
  removed: MediaGcFile[];
  bytes: number;
  kept: number;
  dryRun: boolean;
}

export class MediaGcError extends Error {}

/**
 * Media garbage collection, the admin's use case (the CLI's `gatecast media-gc` today; an HTTP route
 * for the console comes with the typed API boundary). A file is kept when the draft uses it, one of the
 * newest `keepReleases` releases does, any screen's current manifest names it, or it is younger than
 * `graceMs`; every other file goes, row and file. What refers to media is read and the rows are
 * deleted in one transaction, so an edit can never slip between the decision and the deletion.
 */
export async function collectMediaGarbage(store: Store, opts: MediaGcOptions): Promise<MediaGcReport> {
  const onDisk = await store.media.files();
  const young = (at: number) => opts.now - at < opts.graceMs;
  let universe = 0;
  const removed = store.transaction(() => {
    const used = referencedMedia(store, opts.keepReleases);
    const rows = store.media.list();
    const known = new Set(rows.map((m) => m.sha256));
    const files = new Map(onDisk.map((f) => [f.sha256, f]));
    universe = new Set([...known, ...files.keys()]).size;
    const gone: MediaGcFile[] = [
      ...rows
        .filter((m) => !used.has(m.sha256) && !young(m.createdAt))
        .map((m) => ({ sha256: m.sha256, bytes: files.get(m.sha256)?.bytes ?? m.bytes, name: m.name, known: true })),
      ...onDisk
        .filter((f) => !known.has(f.sha256) && !used.has(f.sha256) && !young(f.modifiedAt))
        .map((f) => ({ sha256: f.sha256, bytes: f.bytes, name: null, known: false })),
    ];
    if (!opts.dryRun) store.media.forget(gone.filter((f) => f.known).map((f) => f.sha256));
    return gone;
  });
  if (!opts.dryRun) await store.media.deleteFiles(removed.map((f) => f.sha256));
  return {
    removed,
    bytes: removed.reduce((n, f) => n + f.bytes, 0),
    kept: universe - removed.length,
    dryRun: opts.dryRun,
  };
}

/** Every sha256 something may still need: the draft, the newest releases, each screen's manifest. */
function referencedMedia(store: Store, keepReleases: number): Set<string> {
  const used = new Set<string>();
  for (const item of store.draft.list("items")) {
    const sha = itemMedia(item);
    if (sha) used.add(sha);
  }
  for (const { id } of store.releases.list(keepReleases)) {
    for (const m of store.releases.get(id)?.content.media ?? []) used.add(m.sha256);
  }
  const signed = new Set<string>();
  for (const row of store.published.screens()) {
    signed.add(row.screenId);
    const parsed = ManifestMedia.safeParse(JSON.parse(row.envelope));
    // a manifest we cannot read could name anything: better to remove nothing than the wrong file
    if (!parsed.success) throw new MediaGcError(`cannot read screen ${row.screenId}'s manifest: nothing removed`);
    for (const m of parsed.data.payload.media) used.add(m.sha256);
  }
  // a version reserved but whose signed text was not saved (a stop in between): its release's media
  for (const meta of store.published.screenMetas().values()) {
    if (signed.has(meta.screenId)) continue;
    for (const m of store.releases.get(meta.releaseId)?.content.media ?? []) used.add(m.sha256);
  }
  return used;
}
