import { clientIdBelongsTo, parseTopic, SCREEN_PUBLISHES, SCREEN_READS, topics } from "@gatecast/playlists";

/**
 * Who a client of the embedded broker is, once authenticated: always a screen (the controller
 * publishes and subscribes inside the broker; on Mosquitto its rights come from `mosquittoConfig`).
 */
export interface Principal {
  screenId: string;
  gateId: string | null;
}

export { CONTROLLER_USERNAME, screenIdOfUsername, screenUsername } from "@gatecast/playlists";

/**
 * Whether a screen's login may use this client id: `screen.<id>.<anything>` (or its bare username),
 * or, while kiosks built before that update themselves (within 30 minutes), exactly the id those
 * built: `gatecast-<id>-` and 8 hex digits. The fixed-length suffix keeps that form unambiguous too.
 */
export function mayUseClientId(screenId: string, clientId: string): boolean {
  return (
    clientIdBelongsTo(screenId, clientId) ||
    (clientId === `gatecast-${screenId}-${clientId.slice(-8)}` && /^[0-9a-f]{8}$/.test(clientId.slice(-8)))
  );
}

/** The exact topics a screen may read; no wildcards. */
export function screenReadTopics(screenId: string, gateId: string | null): string[] {
  return [...SCREEN_READS.map((k) => topics[k](screenId)), ...(gateId ? [topics.alert(gateId)] : [])];
}

export function screenWriteTopics(screenId: string): string[] {
  return SCREEN_PUBLISHES.map((k) => topics[k](screenId));
}

export function mayPublish(p: Principal, topic: string, retain: boolean): boolean {
  const t = parseTopic(topic);
  if (t?.scope !== "screen" || t.screenId !== p.screenId || !SCREEN_PUBLISHES.includes(t.kind)) return false;
  // only the status is retained (with its last will); anything else retained would be replayed to the controller forever
  return !retain || t.kind === "status";
}

export function maySubscribe(p: Principal, filter: string): boolean {
  return screenReadTopics(p.screenId, p.gateId).includes(filter);
}
