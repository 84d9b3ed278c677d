import { type ScreenProgram, targetsMatch } from "./resolve.ts";
import { hostAllowed, itemMedia } from "./schema/check.ts";
import type { Content, Item, MediaInfo } from "./schema/content.ts";
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

/**
 * Picks from the whole content what one screen can ever need: the schedule entries that target it, their
 * playlists and the gate's default, those playlists' items, its alerts, and the media of those items.
 */
export function compileScreenProgram(content: Content, screenId: string): ManifestBody {
  const screen = content.screens.find((s) => s.id === screenId);
  if (!screen) throw new UnknownScreenError(screenId);
  const gate = content.gates.find((g) => g.id === screen.gate);
  if (!gate) throw new Error(`screen "${screenId}" names unknown gate "${screen.gate}"`);

  const schedules = content.schedules.filter((s) => targetsMatch(s.targets, screen));
  const playlistIds = new Set([gate.defaultPlaylist, ...schedules.map((s) => s.playlist)]);
  const playlists = content.playlists.filter((p) => playlistIds.has(p.id));
  const itemIds = new Set(playlists.flatMap((p) => p.items.map((e) => (typeof e === "string" ? e : e.item))));
  const items = content.items.filter((i) => itemIds.has(i.id));
  const mediaIds = new Set(items.map(itemMedia).filter((m): m is string => m !== undefined));
  const media = content.media.filter((m) => mediaIds.has(m.sha256));
  const webHosts = content.webHosts.filter((h) => items.some((i) => i.kind === "web" && hostAllowed(i.url, [h])));
  const alerts = content.alerts.filter((a) => targetsMatch(a.targets, screen));
  return { gate, screen, schedules, playlists, items, alerts, webHosts, media };
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

export function buildManifest(body: ManifestBody, meta: ManifestMeta): ManifestPayload {
  const media: MediaRef[] = body.media.map((m) => ({ ...m, url: meta.mediaUrl(m.sha256) }));
  return {
    format: MANIFEST_FORMAT,
    screenId: body.screen.id,
    version: meta.version,
    release: meta.release,
    issuedAt: new Date(meta.issuedAt).toISOString(),
    expiresAt: new Date(meta.issuedAt + meta.ttlMs).toISOString(),
    gate: body.gate,
    screen: body.screen,
    schedules: [...body.schedules],
    playlists: [...body.playlists],
    items: [...body.items],
    alerts: [...body.alerts],
    webHosts: body.webHosts,
    media,
  };
}

/** The media of the items a manifest names, by hash. */
export function mediaOfItems(items: readonly Item[]): Set<string> {
  return new Set(items.map(itemMedia).filter((m): m is string => m !== undefined));
}
