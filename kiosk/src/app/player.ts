import {
  type Alert,
  type DisplayState,
  effectiveOnHours,
  isOnAt,
  longestSlotMs,
  type PlayRecord,
  resolve,
  type ScreenProgram,
} from "@gatecast/playlists";
import type { Clock } from "../clock.ts";
import { PlayTracker } from "./play-tracker.ts";
import type { Slot } from "./state.ts";

/** A program as the kiosk plays it: from a manifest, whose version each play record names. */
export type PlayedProgram = ScreenProgram & { version?: number };

export interface PlayerDeps {
  clock: Clock;
  program: () => PlayedProgram | null;
  /** True while something covers the content (the identify overlay). */
  covered: () => boolean;
  newId: () => string;
  onSlot: (slot: Slot | null) => void;
  onAlerts: (alerts: Alert[]) => void;
  onPlay: (record: PlayRecord) => void;
  /** An item just ended and the next began: the moment for a reload or an app update. */
  onBoundary: (info: { criticalAlert: boolean }) => void;
  /** Nothing changed on screen for 3× the longest item: the page is stuck. */
  onStuck: () => void;
  /** The screen went dark by schedule, or came back on (a critical notice wakes it). */
  onDisplay?: (display: DisplayState) => void;
}

export { longestSlotMs };

export const slotKey = (s: { playlist: string | null; item: { id: string }; startsAt: number }) =>
  `${s.playlist ?? "-"}|${s.item.id}|${s.startsAt}`;

/**
 * The playback loop: every tick resolves the program at the kiosk clock's time, publishes the slot and
 * the alerts when they change, turns what was visible into play records, and watches for a stuck page.
 * Outside the screen's on-hours nothing plays (no slot, no banners, no play records) unless a critical
 * notice is in force. No DOM: the screen follows the signals it sets.
 */
export class Player {
  private readonly tracker: PlayTracker;
  private lastKey: string | null = null;
  private lastAlertIds = "";
  private lastChangeAt: number;
  private longestMs = 0;
  private longestOf: ScreenProgram | null = null;
  private isDark = false;

  constructor(private readonly deps: PlayerDeps) {
    this.tracker = new PlayTracker(deps.newId);
    this.lastChangeAt = deps.clock.now();
  }

  tick(): void {
    const now = this.deps.clock.now();
    const program = this.deps.program();
    const r = program ? resolve(program, now) : null;
    const resolved = r?.alerts ?? [];
    const criticalAlert = resolved.some((a) => a.severity === "critical");
    const dark =
      program !== null &&
      !criticalAlert &&
      !isOnAt(effectiveOnHours(program.gate, program.screen), program.gate.timezone, now);
    const slot: Slot | null =
      r?.item != null && !dark
        ? { key: "", item: r.item, playlist: r.playlist, startsAt: r.startsAt, endsAt: r.endsAt }
        : null;
    if (slot) slot.key = slotKey(slot);
    const key = slot?.key ?? null;
    const active = dark ? [] : resolved;
    if (dark !== this.isDark) {
      this.isDark = dark;
      this.deps.onDisplay?.(dark ? "dark-by-schedule" : "on");
    }

    if (key !== this.lastKey) {
      const hadSlot = this.lastKey !== null;
      this.lastKey = key;
      this.lastChangeAt = now;
      this.deps.onSlot(slot);
      if (hadSlot || key === null) this.deps.onBoundary({ criticalAlert });
    }
    const alertIds = active.map((a) => `${a.id}:${a.severity}:${a.expiresAt}`).join(",");
    if (alertIds !== this.lastAlertIds) {
      this.lastAlertIds = alertIds;
      this.deps.onAlerts(active);
    }

    const visible = slot && !criticalAlert && !this.deps.covered() ? slot : null;
    const ended = this.tracker.update(
      now,
      visible
        ? {
            item: visible.item.id,
            playlist: visible.playlist,
            startsAt: visible.startsAt,
            endsAt: visible.endsAt,
            manifestVersion: program?.version,
          }
        : null,
    );
    if (ended) this.deps.onPlay(ended);
  }

  /** Call every few seconds, separately from `tick`, so a tick that keeps failing is noticed too. */
  watchdog(): void {
    const program = this.deps.program();
    if (!program || this.isDark) {
      this.lastChangeAt = this.deps.clock.now();
      return;
    }
    if (program !== this.longestOf) {
      this.longestOf = program;
      this.longestMs = longestSlotMs(program);
    }
    const limit = Math.max(3 * this.longestMs, 30_000);
    if (this.deps.clock.now() - this.lastChangeAt > limit) {
      this.lastChangeAt = this.deps.clock.now();
      this.deps.onStuck();
    }
  }

  /** Whether the screen is showing or dark by schedule (for the heartbeat). */
  get display(): DisplayState {
    return this.isDark ? "dark-by-schedule" : "on";
  }

  /** The play on screen (for the heartbeat). */
  get nowPlaying(): { playlist: string | null; item: string | null; since: number } | null {
    const c = this.tracker.current;
    return c ? { playlist: c.visible.playlist, item: c.visible.item, since: c.shownAt } : null;
  }

  /** Ends the open play, e.g. before a reload. */
  close(): PlayRecord | null {
    return this.tracker.close(this.deps.clock.now());
  }
}
