import { z } from "zod";

/**
 * The display hook: a small HTTP service the kiosk launcher runs on 127.0.0.1 (`deploy/kiosk/
 * gatecast-display-hook`) that puts the panel to sleep and wakes it (HDMI-CEC through `cec-ctl`, or
 * DPMS through the compositor) and reads its power back. The kiosk finds it through its `displayHook`
 * query parameter, which the launcher sets.
 *
 *   POST /display  {"state": "on" | "off"}  → DisplayHookStatus (also a bare `on` / `off` body)
 *   GET  /display                           → DisplayHookStatus
 */
export const DISPLAY_HOOK_PORT = 47800;

export const DisplayHookRequest = z.strictObject({ state: z.enum(["on", "off"]) });
export type DisplayHookRequest = z.infer<typeof DisplayHookRequest>;

export const DisplayHookStatus = z.object({
  /** What the kiosk last asked for (null: nothing yet since the hook started). */
  requested: z.enum(["on", "off"]).nullable(),
  /** The panel's power as last read: CEC power status, or the compositor's output power. */
  power: z.enum(["on", "standby", "unknown"]),
  via: z.enum(["cec", "dpms", "none"]),
  /** Why the last request or reading failed, for the technician. */
  error: z.string().max(300).nullable().optional(),
});
export type DisplayHookStatus = z.infer<typeof DisplayHookStatus>;
