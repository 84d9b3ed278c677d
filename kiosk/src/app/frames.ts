import type { Clock } from "../clock.ts";

type FrameListener = (now: number) => void;

const listeners = new Set<FrameListener>();
let last: number | null = null;
let running = false;

/**
 * One requestAnimationFrame loop for the page: it stamps the time of the last painted frame (a frozen
 * page shows up in the heartbeat as a stale `lastFrameAt`) and drives per-frame views (progress bar).
 */
export function startFrames(clock: Clock): void {
  if (running || typeof requestAnimationFrame !== "function") return;
  running = true;
  const frame = () => {
    const now = clock.now();
    last = now;
    for (const l of listeners) l(now);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

export function onFrame(listener: FrameListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function lastFrameAt(): number | null {
  return last;
}
