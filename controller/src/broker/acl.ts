import { CONTROLLER_USERNAME, parseTopic, SCREEN_PUBLISHES, SCREEN_READS, topics } from "@gatecast/playlists";

/**
 * Who a client of the embedded broker is, once authenticated: always a screen (the controller
 * publishes and subscribes inside the broker; on Mosquitto its rights come from `mosquittoConfig`).
 */
export interface Principal {
  screenId: string;
  gateId: string | null;
}

/** A screen's MQTT username. Dots never appear in ids, so this cannot collide with a screen id or the controller. */
export const screenMqttUsername = (screenId: string) => `screen.${screenId}`;
export const screenIdOfUsername = (username: string) =>
  username.startsWith("screen.") ? username.slice("screen.".length) : null;

export { CONTROLLER_USERNAME };

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
