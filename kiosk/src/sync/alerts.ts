import type { Alert } from "@gatecast/playlists";

/**
 * The alerts a screen knows of: those its manifest carries and those of its gate's alert topic, merged
 * by id. The gate topic is the live channel: when both name an id, its version wins.
 */
export function mergeAlerts(fromManifest: readonly Alert[], fromGate: readonly Alert[]): Alert[] {
  const byId = new Map<string, Alert>();
  for (const a of fromManifest) byId.set(a.id, a);
  for (const a of fromGate) byId.set(a.id, a);
  return [...byId.values()];
}

/** Ids in `shown` that were not acknowledged yet, remembered so each alert is acknowledged once. */
export class AlertAcks {
  private readonly acked = new Set<string>();

  /** The ids to acknowledge now; they count as acknowledged from here on. */
  take(shown: readonly string[]): string[] {
    const fresh = shown.filter((id) => !this.acked.has(id));
    for (const id of fresh) this.acked.add(id);
    return fresh;
  }

  /** A failed publish: acknowledge this id again next time. */
  forget(id: string): void {
    this.acked.delete(id);
  }
}
