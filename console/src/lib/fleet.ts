import type { ScreenView } from "@gatecast/playlists/api";

/**
 * What a screen's card says of it at a glance: what the controller judges true of it, or "unknown"
 * while the console's live link to the controller is down (the last colour would be a guess).
 */
export type Health = "online" | "offline" | "dark" | "never" | "unpaired" | "unknown";

export function healthOf(s: ScreenView, live = true): Health {
  if (!live) return "unknown";
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

export interface FleetSummary {
  total: number;
  online: number;
  offline: number;
  dark: number;
  never: number;
  unpaired: number;
  outOfSync: number;
  errors: number;
  /** Every screen is showing (or dark by schedule), in sync and without problems, as of a live link. */
  allWell: boolean;
  /** The link to the controller is down: nothing above is current. */
  unknown: boolean;
}

/** The dashboard's summary: it counts what the cards show, and says "all well" only when it is. */
export function fleetSummary(screens: readonly ScreenView[], live: boolean): FleetSummary {
  const count = (h: Health) => screens.filter((s) => healthOf(s) === h).length;
  const outOfSync = screens.filter((s) => s.connected && s.manifest.published !== null && !s.manifest.inSync).length;
  const errors = screens.filter((s) => s.problems.length > 0).length;
  const online = count("online");
  const dark = count("dark");
  return {
    total: screens.length,
    online,
    offline: count("offline"),
    dark,
    never: count("never"),
    unpaired: count("unpaired"),
    outOfSync,
    errors,
    allWell: live && screens.length > 0 && online + dark === screens.length && outOfSync === 0 && errors === 0,
    unknown: !live,
  };
}
