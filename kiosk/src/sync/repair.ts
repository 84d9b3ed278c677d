/**
 * CONNACK codes that mean the broker does not accept this screen's credentials: MQTT 3.1.1 return codes
 * 4 (bad user name or password) and 5 (not authorized), MQTT 5 reason codes 134 and 135.
 */
export const AUTH_REFUSED: ReadonlySet<number> = new Set([4, 5, 134, 135]);
export const REFUSALS_BEFORE_REPAIR = 5;

/**
 * When a kiosk pairs again: the broker refused its login, by CONNACK code, several times in a row, and
 * it has nothing to play. With a manifest it keeps playing whatever the broker says: a misconfigured
 * broker must not blank a fleet. Any accepted connection starts the count again.
 */
export class RepairPolicy {
  private refusals = 0;

  /** A refused connection; true when the kiosk should forget its credentials and pair again now. */
  refused(reasonCode: number, playing: boolean): boolean {
    if (!AUTH_REFUSED.has(reasonCode)) return false;
    this.refusals++;
    return this.refusals >= REFUSALS_BEFORE_REPAIR && !playing;
  }

  connected(): void {
    this.refusals = 0;
  }
}
