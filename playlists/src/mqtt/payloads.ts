import { z } from "zod";
import { Id, Instant } from "../schema/common.ts";
import { SignedEnvelope } from "../schema/manifest.ts";

/** Retained on `status`; the broker publishes the last will `{"state":"offline"}` when a screen vanishes. */
export const StatusPayload = z.strictObject({
  state: z.enum(["online", "offline"]),
  at: Instant.optional(),
  appVersion: z.string().max(64).optional(),
  manifestVersion: z.int().nonnegative().nullable().optional(),
  /** What this kiosk understands beyond the base contract, e.g. `manifest-batch-1` (batch-signed manifests). */
  features: z.array(z.string().min(1).max(40)).max(16).optional(),
});
export type StatusPayload = z.infer<typeof StatusPayload>;

export const ScreenErrorKind = z.enum([
  "uncaught",
  "manifest-rejected",
  "alert-rejected",
  "download-failed",
  "hash-mismatch",
  "playback",
  "storage",
  "command",
]);

export const ScreenError = z.strictObject({
  at: Instant,
  kind: ScreenErrorKind,
  message: z.string().max(500),
});
export type ScreenError = z.infer<typeof ScreenError>;

export const NowPlaying = z.strictObject({
  playlist: Id.nullable(),
  item: Id.nullable(),
  since: Instant,
});

export const DisplayState = z.enum(["on", "dark-by-schedule"]);
export type DisplayState = z.infer<typeof DisplayState>;

/** The panel's power as the display hook reads it (HDMI-CEC power status, or the compositor's DPMS). */
export const PanelPower = z.strictObject({
  power: z.enum(["on", "standby", "unknown"]),
  via: z.enum(["cec", "dpms", "none"]),
  /** The last request the hook failed to carry out, for the technician. */
  error: z.string().max(300).optional(),
});
export type PanelPower = z.infer<typeof PanelPower>;

export const ClockReport = z.strictObject({
  source: z.enum(["device", "beacon", "test"]),
  /** Milliseconds subtracted from the device clock (positive: the device runs ahead). */
  correctionMs: z.number(),
  /** Controller time of the last beacon used, and its round trip. */
  beaconAt: Instant.nullable(),
  rttMs: z.number().nonnegative().nullable(),
});
export type ClockReport = z.infer<typeof ClockReport>;

export const Viewport = z.strictObject({
  width: z.int().positive().max(16_384),
  height: z.int().positive().max(16_384),
});
export type Viewport = z.infer<typeof Viewport>;

export const Paging = z.strictObject({
  item: Id,
  pages: z.int().min(2).max(1_000),
  /** The font size the text is laid out at (its readable floor or more), px. */
  fontPx: z.number().positive().max(10_000),
});
export type Paging = z.infer<typeof Paging>;

export const HeartbeatPayload = z.strictObject({
  at: Instant,
  appVersion: z.string().max(64),
  uptimeS: z.number().nonnegative(),
  /** The manifest version on screen, and the newest one received but still downloading. */
  manifestVersion: z.int().nonnegative().nullable(),
  pendingVersion: z.int().nonnegative().nullable().default(null),
  nowPlaying: NowPlaying.nullable(),
  /** When the renderer last painted a frame: a frozen but connected screen shows up here. */
  lastFrameAt: Instant.nullable(),
  media: z.strictObject({ ready: z.int().nonnegative(), total: z.int().nonnegative() }),
  storage: z
    .strictObject({
      usageBytes: z.number().nonnegative(),
      quotaBytes: z.number().nonnegative(),
      persisted: z.boolean(),
    })
    .nullable(),
  memory: z.strictObject({ usedJsHeapBytes: z.number().nonnegative() }).nullable().default(null),
  errors: z.array(ScreenError).max(50),
  /** How often this screen sends heartbeats: the controller calls it silent after three missed. */
  everyS: z.number().positive().max(3_600).optional(),
  /** Whether the screen is showing, or black outside its on-hours. */
  display: DisplayState.optional(),
  /** What the kiosk launcher's display hook says of the panel; null when there is no hook. */
  panelPower: PanelPower.nullable().optional(),
  /** How the screen keeps its clock (the controller's time beacons, the device's own, or a test's). */
  clock: ClockReport.optional(),
  /** The kiosk window's real size in CSS pixels (the console warns when it is not the screen's panel setting). */
  viewport: Viewport.optional(),
  /** A text on screen now too long for the screen's readable size, shown in pages instead of smaller. */
  paging: Paging.nullable().optional(),
});
export type HeartbeatPayload = z.infer<typeof HeartbeatPayload>;

export const PlayRecord = z.strictObject({
  /** Chosen by the screen (UUID); the controller stores each id once. */
  id: z.uuid(),
  item: Id,
  playlist: Id.nullable(),
  startedAt: Instant,
  durationMs: z.int().nonnegative(),
  /**
   * The manifest version the item played under (optional: older kiosks do not send it). The controller
   * stores only plays of items that version contained.
   */
  manifestVersion: z.int().positive().optional(),
});
export type PlayRecord = z.infer<typeof PlayRecord>;

export const PlaysPayload = z.strictObject({ records: z.array(PlayRecord).min(1).max(500) });
export type PlaysPayload = z.infer<typeof PlaysPayload>;

export const CommandName = z.enum(["reload", "identify", "screenshot", "clear-cache"]);
export type CommandName = z.infer<typeof CommandName>;

export const CommandPayload = z.strictObject({
  id: z.uuid(),
  cmd: CommandName,
  issuedAt: Instant,
});
export type CommandPayload = z.infer<typeof CommandPayload>;

/** Both directions share the `ack` topic; each side reads only the types meant for it. */
export const AckPayload = z.discriminatedUnion("type", [
  /** controller → screen: these play records are stored and may be deleted. */
  z.strictObject({ type: z.literal("plays-stored"), ids: z.array(z.uuid()).max(500) }),
  /** screen → controller: an alert was put on screen. */
  z.strictObject({ type: z.literal("alert-shown"), alert: Id, at: Instant }),
  /**
   * controller → screen: a signed time beacon (`TimeBeaconPayload`) answering the heartbeat it echoes.
   * Kiosks that predate it ignore the type.
   */
  z.strictObject({ type: z.literal("time"), beacon: SignedEnvelope }),
  /** screen → controller: a command ran. */
  z.strictObject({
    type: z.literal("cmd-done"),
    id: z.uuid(),
    ok: z.boolean(),
    error: z.string().max(500).optional(),
    at: Instant,
  }),
]);
export type AckPayload = z.infer<typeof AckPayload>;

/**
 * The controller's time, signed: a reply to one heartbeat (`echo` is that heartbeat's `at`), so a screen
 * knows how long the answer took and a copy replayed later matches nothing it sent.
 */
export const TimeBeaconPayload = z.strictObject({
  screenId: Id,
  now: Instant,
  /** Strictly increasing per controller. */
  seq: z.int().positive(),
  echo: Instant,
});
export type TimeBeaconPayload = z.infer<typeof TimeBeaconPayload>;

/** Parses an MQTT payload buffer as JSON and then with its schema; never throws. */
export function parsePayload<T extends z.ZodType>(
  schema: T,
  bytes: Uint8Array,
): { ok: true; value: z.infer<T> } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, error: "payload is not UTF-8 JSON" };
  }
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") };
}
