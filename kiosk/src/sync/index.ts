/**
 * The kiosk's sync code for a screen without a browser (`@gatecast/kiosk/sync`): what the fleet simulator
 * and the benchmarks run, so that a simulated screen verifies, downloads, plays and reports exactly as a
 * kiosk does. Nothing here touches the DOM.
 */
export { type PlayedProgram, Player } from "../app/player.ts";
export { type Clock, systemClock } from "../clock.ts";
export { Agent, type AgentDeps, type AgentSnapshot } from "./agent.ts";
export { mergeAlerts } from "./alerts.ts";
export type { TransportFactory } from "./connection.ts";
export { acceptManifest, type HeldManifest, type ManifestDecision } from "./manifests.ts";
export type { MediaStore } from "./media-cache.ts";
export { mqttTransport } from "./mqtt-transport.ts";
export { resolveWsUrl } from "./pairing.ts";
export { memoryPlayStore, PlayBuffer, type PlayStore } from "./plays.ts";
