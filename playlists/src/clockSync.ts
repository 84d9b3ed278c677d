/**
 * Clock correction from the controller's signed time beacons. Pure: the kiosk (and the simulator) hand
 * it what they measured and keep the state it returns.
 *
 * Each beacon answers one heartbeat, so the screen knows the round trip: the beacon's `now` was read
 * between sending and receipt. A beacon is used only when that round trip is under a minute (a beacon
 * that waited longer could be anything: queued, replayed). The device runs ahead by at most
 * `receipt − now` (the way back only adds to it), so the correction is the smallest such difference
 * observed in the last ten minutes: it never sets the clock back further than the evidence demands.
 * The first correction after a start is applied whole (a box that booted with a dead clock must be right
 * at once); after that each beacon moves the correction by at most `maxStepMs`, so one odd sample cannot
 * jerk the schedule. Changes under `deadBandMs` are ignored.
 */

export interface ClockPolicy {
  /** Longest round trip a beacon may have taken to be used. */
  maxRttMs: number;
  /** How long a sample counts towards the smallest difference. */
  windowMs: number;
  /** Largest change of the correction per beacon, once the first correction is made. */
  maxStepMs: number;
  deadBandMs: number;
}

export const CLOCK_POLICY: ClockPolicy = {
  maxRttMs: 60_000,
  windowMs: 10 * 60_000,
  maxStepMs: 60_000,
  deadBandMs: 250,
};

export interface ClockSample {
  /** The device's own clock at receipt (uncorrected). */
  receivedWall: number;
  /** A monotonic clock at receipt (`performance.now()`). */
  receivedMono: number;
  /** The controller's time in the beacon. */
  beaconNow: number;
  rttMs: number;
  seq: number;
}

export interface ClockState {
  /** Subtracted from the device clock: positive when the device runs ahead. */
  correctionMs: number;
  /** Whether a beacon has set the correction since start. */
  synced: boolean;
  samples: readonly ClockSample[];
  lastSeq: number;
  /** Controller time of the last beacon used, and its round trip. */
  beaconAt: number | null;
  rttMs: number | null;
}

export const INITIAL_CLOCK: ClockState = {
  correctionMs: 0,
  synced: false,
  samples: [],
  lastSeq: 0,
  beaconAt: null,
  rttMs: null,
};

export type ClockDecision =
  | { kind: "applied"; state: ClockState; stepMs: number }
  | { kind: "unchanged"; state: ClockState }
  | { kind: "ignored"; state: ClockState; reason: string };

/** The device clock was set while samples were held: what they measured no longer holds. */
const wallJumped = (a: ClockSample, b: ClockSample) =>
  Math.abs(a.receivedWall - a.receivedMono - (b.receivedWall - b.receivedMono)) > 1_000;

export function observeBeacon(
  state: ClockState,
  sample: ClockSample,
  policy: ClockPolicy = CLOCK_POLICY,
): ClockDecision {
  if (sample.seq <= state.lastSeq) return { kind: "ignored", state, reason: `beacon ${sample.seq} is not newer` };
  if (!(sample.rttMs >= 0) || sample.rttMs > policy.maxRttMs) {
    return {
      kind: "ignored",
      state: { ...state, lastSeq: sample.seq },
      reason: `beacon took ${Math.round(sample.rttMs)} ms to answer (limit ${policy.maxRttMs} ms)`,
    };
  }
  const samples = [
    ...state.samples.filter((s) => sample.receivedMono - s.receivedMono <= policy.windowMs && !wallJumped(s, sample)),
    sample,
  ];
  const target = Math.min(...samples.map((s) => s.receivedWall - s.beaconNow));
  const wanted = target - state.correctionMs;
  const next: ClockState = {
    ...state,
    samples,
    lastSeq: sample.seq,
    beaconAt: sample.beaconNow,
    rttMs: sample.rttMs,
  };
  if (state.synced && Math.abs(wanted) < policy.deadBandMs) return { kind: "unchanged", state: { ...next } };
  const step = state.synced ? Math.max(-policy.maxStepMs, Math.min(policy.maxStepMs, wanted)) : wanted;
  return { kind: "applied", state: { ...next, correctionMs: state.correctionMs + step, synced: true }, stepMs: step };
}

/**
 * The controller's view of a screen's clock: its heartbeats carry the screen's time, received `d` ms
 * after being sent, so `at − receipt = offset − d` and the largest of the last few is the best estimate.
 */
export function clockOffsetEstimate(samples: readonly { at: number; receivedAt: number }[]): number | null {
  if (samples.length === 0) return null;
  return Math.max(...samples.map((s) => s.at - s.receivedAt));
}
