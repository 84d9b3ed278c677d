import type { PlayRecord } from "@gatecast/playlists";

/** An item as it stands on screen: which one, from which playlist, and its slot in the schedule. */
export interface Visible {
  item: string;
  playlist: string | null;
  startsAt: number;
  endsAt: number;
  /** The manifest the item is played from (carried into the play record). */
  manifestVersion?: number | undefined;
}

/**
 * Turns what is visible, sampled on every tick, into proof-of-play records: one per stretch an item was
 * actually on screen (not hidden by a critical alert or the identify overlay), with the time it was
 * really shown. Pure: the clock and the id generator are passed in.
 */
export class PlayTracker {
  private open: { visible: Visible; shownAt: number } | null = null;

  constructor(
    private readonly newId: () => string,
    /** Shorter stretches (a boot just before a boundary) are not worth a record. */
    private readonly minMs = 500,
  ) {}

  /** What is on screen now; returns the play that just ended, if any. */
  update(now: number, visible: Visible | null): PlayRecord | null {
    const o = this.open;
    if (o && visible && sameSlot(o.visible, visible)) return null;
    const ended = this.close(now);
    if (visible) this.open = { visible, shownAt: Math.min(Math.max(now, visible.startsAt), visible.endsAt) };
    return ended;
  }

  /** Ends the open play (e.g. the page is being unloaded). */
  close(now: number): PlayRecord | null {
    const o = this.open;
    this.open = null;
    if (!o) return null;
    const durationMs = Math.round(Math.min(now, o.visible.endsAt) - o.shownAt);
    if (durationMs < this.minMs) return null;
    return {
      id: this.newId(),
      item: o.visible.item,
      playlist: o.visible.playlist,
      startedAt: new Date(o.shownAt).toISOString(),
      durationMs,
      ...(o.visible.manifestVersion === undefined ? {} : { manifestVersion: o.visible.manifestVersion }),
    };
  }

  /** The item on screen and since when, for the heartbeat. */
  get current(): { visible: Visible; shownAt: number } | null {
    return this.open;
  }
}

function sameSlot(a: Visible, b: Visible): boolean {
  return a.item === b.item && a.playlist === b.playlist && a.startsAt === b.startsAt;
}
