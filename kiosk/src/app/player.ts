import { type Alert, type PlayRecord, resolve, type ScreenProgram } from "@gatecast/playlists";
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
}

/** Longest slot any playlist of the program can produce, in ms. */
export function longestSlotMs(program: ScreenProgram): number {
  const items = new Map(program.items.map((i) => [i.id, i]));
  let longest = 0;
  for (const p of program.playlists) {
    for (const e of p.items) {
      const id = typeof e === "string" ? e : e.item;
      const seconds = (typeof e === "string" ? undefined : e.duration) ?? items.get(id)?.duration ?? 0;
      longest = Math.max(longest, seconds * 1000);
    }
  }
  return longest;
}

export const slotKey = (s: { playlist: string | null; item: { id: string }; startsAt: number }) =>
  `${s.playlist ?? "-"}|${s.item.id}|${s.startsAt}`;

/**
 * The playback loop: every tick resolves the program at the kiosk clock's time, publishes the slot and
 * the alerts when they change, turns what was visible into play records, and watches for a stuck page.
 * No DOM: the screen follows the signals it sets.
 */
export class Player {
  private readonly tracker: PlayTracker;
  private lastKey: string | null = null;
  private lastAlertIds = "";
  private lastChangeAt: number;
  private longestMs = 0;
  private longestOf: ScreenProgram | null = null;

  constructor(private readonly deps: PlayerDeps) {
    this.tracker = new PlayTracker(deps.newId);
    this.lastChangeAt = deps.clock.now();
  }

  tick(): void {
    const now = this.deps.clock.now();
    const program = this.deps.program();
    const r = program ? resolve(program, now) : null;
    const slot: Slot | null =
      r?.item != null ? { key: "", item: r.item, playlist: r.playlist, startsAt: r.startsAt, endsAt: r.endsAt } : null;
    if (slot) slot.key = slotKey(slot);
    const key = slot?.key ?? null;
    const active = r?.alerts ?? [];
    const criticalAlert = active.some((a) => a.severity === "critical");

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
    if (!program) {
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
