import type { ScreenView } from "@gatecast/playlists/api";

/** What a screen's card says of it at a glance. */
export type Health = "online" | "offline" | "never" | "unpaired";

export function healthOf(s: ScreenView): Health {
  if (s.online) return "online";
  if (!s.paired && s.since === null) return "unpaired";
  if (s.since === null) return "never";
  return "offline";
}

export interface Problem {
  kind: "offline" | "outOfSync";
  since: number;
}

/**
 * Why a screen needs a technician, once it has been so for `thresholdMs`: a paired screen offline, or
 * an online one still not showing the manifest published to it. A screen never paired raises nothing.
 */
export function alarmOf(s: ScreenView, now: number, thresholdMs: number): Problem | null {
  if (s.paired && !s.online && s.since !== null && now - s.since >= thresholdMs)
    return { kind: "offline", since: s.since };
  const m = s.manifest;
  if (s.online && m.published !== null && !m.inSync && m.publishedAt !== null && now - m.publishedAt >= thresholdMs)
    return { kind: "outOfSync", since: m.publishedAt };
  return null;
}
