/** What the heartbeat and status report as `appVersion` (≤ 64 characters). */
export const APP_VERSION: string = (typeof __APP_VERSION__ === "string" ? __APP_VERSION__ : "0.0.0-dev").slice(0, 64);
