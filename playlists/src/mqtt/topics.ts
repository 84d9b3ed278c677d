/** Versioned MQTT topics (DESIGN.md, "MQTT contract"). The only place topic strings are spelled. */
export const TOPIC_ROOT = "gatecast/v1";

export type ScreenTopicKind = "manifest" | "cmd" | "status" | "heartbeat" | "plays" | "ack";

export const topics = {
  manifest: (screenId: string) => `${TOPIC_ROOT}/screens/${screenId}/manifest`,
  cmd: (screenId: string) => `${TOPIC_ROOT}/screens/${screenId}/cmd`,
  status: (screenId: string) => `${TOPIC_ROOT}/screens/${screenId}/status`,
  heartbeat: (screenId: string) => `${TOPIC_ROOT}/screens/${screenId}/heartbeat`,
  plays: (screenId: string) => `${TOPIC_ROOT}/screens/${screenId}/plays`,
  ack: (screenId: string) => `${TOPIC_ROOT}/screens/${screenId}/ack`,
  alert: (gateId: string) => `${TOPIC_ROOT}/gates/${gateId}/alert`,
} as const;

/** What the controller subscribes to for the whole fleet. */
export const FLEET_SUBSCRIPTIONS = (["status", "heartbeat", "plays", "ack"] as const).map(
  (k) => `${TOPIC_ROOT}/screens/+/${k}`,
);

/** Every gate's alert topic: the controller watches what is retained there. */
export const GATE_ALERT_SUBSCRIPTION = `${TOPIC_ROOT}/gates/+/alert`;

/** Topics a screen publishes to; the broker refuses any other from it. */
export const SCREEN_PUBLISHES: readonly ScreenTopicKind[] = ["status", "heartbeat", "plays", "ack"];
/** Topics a screen may read: its own screen topics that the controller writes, and its gate's alerts. */
export const SCREEN_READS: readonly ScreenTopicKind[] = ["manifest", "cmd", "ack"];

export type ParsedTopic =
  | { scope: "screen"; screenId: string; kind: ScreenTopicKind }
  | { scope: "gate"; gateId: string; kind: "alert" };

const SCREEN_RE = /^gatecast\/v1\/screens\/([a-z0-9][a-z0-9-]{0,63})\/(manifest|cmd|status|heartbeat|plays|ack)$/;
const GATE_RE = /^gatecast\/v1\/gates\/([a-z0-9][a-z0-9-]{0,63})\/alert$/;

export function parseTopic(topic: string): ParsedTopic | null {
  const s = SCREEN_RE.exec(topic);
  if (s) return { scope: "screen", screenId: s[1] as string, kind: s[2] as ScreenTopicKind };
  const g = GATE_RE.exec(topic);
  if (g) return { scope: "gate", gateId: g[1] as string, kind: "alert" };
  return null;
}

/**
 * The MQTT username a paired screen connects with. Dots never appear in ids, so `screen.` cannot
 * collide with a screen id or the controller, and a screen's client ids below are unambiguous.
 */
export const screenUsername = (screenId: string) => `screen.${screenId}`;
export const screenIdOfUsername = (username: string): string | null =>
  username.startsWith("screen.") ? username.slice("screen.".length) : null;

/**
 * A screen's MQTT client id, `screen.<id>.<anything>`: the embedded broker refuses any other for that
 * screen's login, so one screen cannot take over another's session (Mosquitto: see
 * `use_username_as_clientid` in deploy/broker).
 */
export const screenClientId = (screenId: string, suffix: string) => `${screenUsername(screenId)}.${suffix}`;

/** Whether `clientId` is one screen `screenId` may connect with: its own prefix, or its bare username. */
export const clientIdBelongsTo = (screenId: string, clientId: string): boolean =>
  clientId === screenUsername(screenId) || clientId.startsWith(`${screenUsername(screenId)}.`);
export const CONTROLLER_USERNAME = "gatecast-controller";
