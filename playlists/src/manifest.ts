import type { ArrayInterner } from "./canonical.ts";
import { type ScreenProgram, targetsMatch } from "./resolve.ts";
import { hostAllowed, itemMedia } from "./schema/check.ts";
import type { Alert, Content, Item, MediaInfo, Playlist, ScheduleEntry, Screen } from "./schema/content.ts";
import { MANIFEST_FORMAT, type ManifestPayload, type MediaRef } from "./schema/manifest.ts";

/** The part of a manifest that depends only on content: what changes it is what gets republished. */
export interface ManifestBody extends ScreenProgram {
  webHosts: string[];
  media: MediaInfo[];
}

export class UnknownScreenError extends Error {
  constructor(readonly screenId: string) {
    super(`unknown screen "${screenId}"`);
  }
}

const asIs: ArrayInterner = (list) => list;

/**
 * Picks from the whole content what one screen can ever need: the schedule entries that target it, their
 * playlists and the gate's default, those playlists' items, its alerts, and the media of those items.
 * `screen` may be the screen itself (the publisher has it; looking each one up is quadratic in the fleet).
 */
export function compileScreenProgram(
  content: Content,
  screen: string | Screen,
  intern: ArrayInterner = asIs,
): ManifestBody {
  const screenId = typeof screen === "string" ? screen : screen.id;
  const found = typeof screen === "string" ? content.screens.find((s) => s.id === screenId) : screen;
  if (!found) throw new UnknownScreenError(screenId);
  const gate = content.gates.find((g) => g.id === found.gate);
  if (!gate) throw new Error(`screen "${screenId}" names unknown gate "${found.gate}"`);

  const schedules = intern(content.schedules.filter((s) => targetsMatch(s.targets, found)));
  const playlistIds = new Set([gate.defaultPlaylist, ...schedules.map((s) => s.playlist)]);
  const playlists = intern(content.playlists.filter((p) => playlistIds.has(p.id)));
  const itemIds = new Set(playlists.flatMap((p) => p.items.map((e) => (typeof e === "string" ? e : e.item))));
  const items = intern(content.items.filter((i) => itemIds.has(i.id)));
  const mediaIds = new Set(items.map(itemMedia).filter((m): m is string => m !== undefined));
  const media = intern(content.media.filter((m) => mediaIds.has(m.sha256)));
  const webHosts = intern(
    content.webHosts.filter((h) => items.some((i) => i.kind === "web" && hostAllowed(i.url, [h]))),
  );
  const alerts = intern(content.alerts.filter((a) => targetsMatch(a.targets, found)));
  return { gate, screen: found, schedules, playlists, items, alerts, webHosts, media };
}

export interface ManifestMeta {
  version: number;
  release: number;
  issuedAt: number;
  /** How long a freshly issued manifest may be accepted, in ms. */
  ttlMs: number;
  mediaUrl: (sha256: string) => string;
}

export const DEFAULT_MANIFEST_TTL_MS = 30 * 86_400_000;

/**
 * The next value of a counter a kiosk only accepts going up (a screen's manifest version, a gate's alert
 * `seq`): above the last one this store issued (`prev`), above one a screen says it already holds
 * (`floor`), and never below the issuing millisecond. The last term is what keeps versions from going back
 * when the store's own memory does: a store restored from a backup, or re-created next to the signing
 * key every kiosk pinned, issues versions from the current millisecond, which is above anything it issued
 * before (a restore or restart takes far longer than a burst runs ahead). A clock set back is covered by `prev` while the store
 * is intact, and a clock set back together with a lost store by `floor`, which the controller learns
 * from each screen's heartbeat (DESIGN.md, "Versions").
 */
export function nextVersion(prev: number | undefined, issuedAt: number, floor = 0): number {
  return Math.max((prev ?? 0) + 1, Math.floor(issuedAt), floor + 1);
}

/** A version a screen may truthfully report: not beyond a year of the issuing clock (anything else is a lie). */
export function plausibleVersion(version: number, now: number): boolean {
  return Number.isSafeInteger(version) && version <= Math.floor(now) + 366 * 86_400_000;
}

/**
 * The payload a screen gets. Lists are the body's own (not copies): the publisher's canonical memo then
 * serialises each shared list once per run. `refs` shares media references across screens the same way.
 */
export function buildManifest(
  body: ManifestBody,
  meta: ManifestMeta,
  refs: Map<MediaInfo, MediaRef> = new Map(),
): ManifestPayload {
  const media: MediaRef[] = body.media.map((m) => {
    let ref = refs.get(m);
    if (!ref) {
      ref = { ...m, url: meta.mediaUrl(m.sha256) };
      refs.set(m, ref);
    }
    return ref;
  });
  return {
    format: MANIFEST_FORMAT,
    screenId: body.screen.id,
    version: meta.version,
    release: meta.release,
    issuedAt: new Date(meta.issuedAt).toISOString(),
    expiresAt: new Date(meta.issuedAt + meta.ttlMs).toISOString(),
    gate: body.gate,
    screen: body.screen,
    // the payload is only serialised, never changed
    schedules: body.schedules as ScheduleEntry[],
    playlists: body.playlists as Playlist[],
    items: body.items as Item[],
    alerts: body.alerts as Alert[],
    webHosts: body.webHosts,
    media,
  };
}
