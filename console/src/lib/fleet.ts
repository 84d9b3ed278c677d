import type { ScreenView } from "@gatecast/playlists/api";

/** What a screen's card says of it at a glance: what the controller judges true of it. */
export type Health = "online" | "offline" | "dark" | "never" | "unpaired";

export function healthOf(s: ScreenView): Health {
  switch (s.presence) {
    case "online":
      return "online";
    case "dark-by-schedule":
      return "dark";
    case "never-seen":
      return "never";
    case "unpaired":
      return "unpaired";
    default:
      return "offline";
  }
}

export interface Problem {
  kind: "offline" | "outOfSync" | "frozen" | "trustError";
  since: number;
}

/**
 * Why a screen needs a technician, once it has been so for `thresholdMs`: a paired screen offline while
 * it should be showing (one dark by schedule is not), a connected one still not showing the manifest
 * published to it, or one frozen or refusing content. A screen never paired raises nothing.
 */
export function alarmOf(s: ScreenView, now: number, thresholdMs: number): Problem | null {
  const since = s.presenceSince ?? s.since;
  if (s.paired && s.presence === "offline" && since !== null && now - since >= thresholdMs)
    return { kind: "offline", since };
  const m = s.manifest;
  if (s.connected && m.published !== null && !m.inSync && m.publishedAt !== null && now - m.publishedAt >= thresholdMs)
    return { kind: "outOfSync", since: m.publishedAt };
  for (const p of s.problems) {
    if (p.kind === "frozen" && now - p.since >= thresholdMs) return { kind: "frozen", since: p.since };
    if (p.kind === "trust-error") return { kind: "trustError", since: p.since };
  }
  return null;
}
