/** Time as the controller sees it; tests pass their own. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * GATECAST_TEST_CLOCK: reads `at` at wall time `wallAnchor` (default: now) and runs `speed` times as
 * fast as the wall clock, so a test can run a controller and kiosks on one clock through an evening.
 */
export function testClock(
  spec: { at: number; speed: number; wallAnchor: number | null },
  wall = () => Date.now(),
): Clock {
  const anchor = spec.wallAnchor ?? wall();
  return { now: () => Math.round(spec.at + (wall() - anchor) * spec.speed) };
}
