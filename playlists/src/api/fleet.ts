import { z } from "zod";
import { Presence, Problem } from "../fleet/health.ts";
import {
  ClockReport,
  CommandName,
  CommandPayload,
  DisplayState,
  HeartbeatPayload,
  NowPlaying,
  Paging,
  PanelPower,
  ScreenError,
  Viewport,
} from "../mqtt/payloads.ts";
import { Id, Instant, Tag } from "../schema/common.ts";
import { Alert, Orientation, Screen, ScreenFields, withPanel } from "../schema/content.ts";
import { ManifestPayload } from "../schema/manifest.ts";
import { PairingCreated, PairingStatus, ScreenCredentials } from "../schema/pairing.ts";
import { empty, json, raw, route } from "./contract.ts";
import { IdParams } from "./params.ts";

/** What the dashboard shows for one screen: inventory, live state, and how far behind it is. */
export const ScreenView = ScreenFields.extend({
  paired: z.boolean(),
  online: z.boolean(),
  since: z.int().nullable(),
  lastSeenAt: z.int().nullable(),
  lastHeartbeatAt: z.number().nullable(),
  nowPlaying: NowPlaying.nullable(),
  lastFrameAt: Instant.nullable(),
  manifest: z.object({
    published: z.int().nullable(),
    publishedAt: z.int().nullable(),
    /** The release the published manifest carries (what operators call "bản N"). */
    release: z.int().nullable(),
    applied: z.int().nullable(),
    /** The release of the manifest the screen runs, when known. */
    appliedRelease: z.int().nullable(),
    pending: z.int().nullable(),
    inSync: z.boolean(),
  }),
  media: HeartbeatPayload.shape.media.nullable(),
  storage: HeartbeatPayload.shape.storage,
  memory: z.object({ usedJsHeapBytes: z.number().nonnegative() }).nullable(),
  uptimeS: z.number().nullable(),
  appVersion: z.string().nullable(),
  errors: z.array(ScreenError),
  screenshotAt: z.int().nullable(),
  /** What is true (the controller judges dark hours from the on-hours, not from the screen). */
  presence: Presence,
  /** Connected and heartbeating; a screen dark by schedule may be either. */
  connected: z.boolean(),
  presenceSince: z.number().nullable(),
  problems: z.array(Problem),
  /** Its on-hours (the `onHours` it or its gate has) at this moment: `scheduled` false when none. */
  hoursNow: z.object({
    scheduled: z.boolean(),
    on: z.boolean(),
    since: z.number().nullable(),
    until: z.number().nullable(),
  }),
  /** What the screen last said it shows, and its panel's power through the display hook. */
  display: DisplayState.nullable(),
  panelPower: PanelPower.nullable(),
  /** The kiosk window's real size (its last heartbeat), and the text it shows in pages now. */
  viewport: Viewport.nullable(),
  paging: Paging.nullable(),
  /** The controller's estimate of the screen's clock (ms ahead), and how the kiosk corrects it. */
  clock: z.object({ offsetMs: z.number().nullable(), kiosk: ClockReport.nullable() }),
});
export type ScreenView = z.infer<typeof ScreenView>;

const screens = "screens";
/** A screen's own capture: a JPEG of at most this many bytes (refused before it is read). */
export const MAX_SCREENSHOT_BYTES = 2 * 1024 * 1024;

export const screenRoutes = {
  list: route({
    method: "get",
    path: "/api/v1/screens",
    summary: "Every screen with its live state",
    tag: screens,
    role: "viewer",
    response: json(z.array(ScreenView), "every screen"),
  }),
  get: route({
    method: "get",
    path: "/api/v1/screens/:id",
    summary: "One screen with its live state",
    tag: screens,
    role: "viewer",
    params: IdParams,
    response: json(ScreenView, "the screen"),
  }),
  manifest: route({
    method: "get",
    path: "/api/v1/screens/:id/manifest",
    summary: "The manifest last published to the screen",
    tag: screens,
    role: "viewer",
    params: IdParams,
    response: json(ManifestPayload, "manifest payload"),
  }),
  create: route({
    method: "post",
    path: "/api/v1/screens",
    summary: "Add a screen to the inventory",
    tag: screens,
    role: "admin",
    body: Screen,
    response: json(ScreenView, "the screen", { status: 201 }),
  }),
  put: route({
    method: "put",
    path: "/api/v1/screens/:id",
    summary: "Change a screen (takes effect at once, no release needed)",
    tag: screens,
    role: "admin",
    params: IdParams,
    body: ScreenFields.extend({ id: Id.optional() }).overwrite(withPanel),
    response: json(ScreenView, "the screen (201 when it is new)", { also: [201] }),
  }),
  remove: route({
    method: "delete",
    path: "/api/v1/screens/:id",
    summary: "Remove a screen",
    tag: screens,
    role: "admin",
    params: IdParams,
    response: empty("removed"),
  }),
  credentials: route({
    method: "post",
    path: "/api/v1/screens/:id/credentials",
    summary: "Issue new MQTT credentials (the old ones stop working)",
    tag: screens,
    role: "admin",
    params: IdParams,
    response: json(ScreenCredentials, "the credentials, shown once", { status: 201 }),
  }),
  command: route({
    method: "post",
    path: "/api/v1/screens/:id/commands",
    summary: "Send reload, identify, screenshot or clear-cache",
    tag: screens,
    role: "editor",
    params: IdParams,
    body: z.object({ cmd: CommandName }),
    response: json(CommandPayload, "the command as sent; the screen acks it with `cmd-done`", { status: 202 }),
  }),
  uploadScreenshot: route({
    method: "post",
    path: "/api/v1/screens/:id/screenshot",
    summary: "The screen uploads its own capture (HTTP Basic with its MQTT credentials; JPEG, at most 2 MB)",
    tag: screens,
    role: null,
    params: IdParams,
    rawBody: { contentType: "image/jpeg", maxBytes: MAX_SCREENSHOT_BYTES },
    response: empty("stored"),
  }),
  screenshot: route({
    method: "get",
    path: "/api/v1/screens/:id/screenshot",
    summary: "The last screenshot the screen sent",
    tag: screens,
    role: "viewer",
    params: IdParams,
    response: raw("image/jpeg", "JPEG"),
  }),
};

/** A pairing code as typed: spaces trimmed, any case. */
export const PairingCode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(
    z.stringFormat("pairing-code", /^[A-Z0-9]{6}$/, { error: "expected the 6-character code shown on the screen" }),
  );

export const PairingClaim = z.object({
  screenId: Id,
  /** To create the screen while claiming it; leave out for a screen already in the inventory. */
  gate: Id.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  tags: z.array(Tag).optional(),
  orientation: Orientation.optional(),
});

export const pairingRoutes = {
  create: route({
    method: "post",
    path: "/api/v1/pairings",
    summary: "An unpaired screen asks for a pairing code",
    tag: "pairing",
    role: null,
    response: json(PairingCreated, "`{pairingId, code, expiresAt}`", { status: 201 }),
  }),
  poll: route({
    method: "get",
    path: "/api/v1/pairings/:pairingId",
    summary: "The screen polls: pending, or its credentials once",
    tag: "pairing",
    role: null,
    params: z.object({ pairingId: z.uuid() }),
    response: json(PairingStatus, "pending, or the credentials (once)"),
  }),
  claim: route({
    method: "post",
    path: "/api/v1/pairings/:code/claim",
    summary: "Claim a screen's code for a screen id (creating the screen if gate and name are given)",
    tag: "pairing",
    role: "admin",
    params: z.object({ code: PairingCode }),
    body: PairingClaim,
    response: json(z.object({ screenId: Id, gate: Id }), "the screen paired"),
  }),
};

export const AlertView = z.object({
  alert: Alert,
  createdAt: z.int(),
  createdBy: z.string().nullable(),
  cancelledAt: z.int().nullable(),
  cancelledBy: z.string().nullable(),
  /** Not cancelled and not expired. */
  live: z.boolean(),
  targetedScreens: z.array(Id),
  acks: z.array(z.object({ screenId: Id, at: z.int() })),
  ackCount: z.int(),
});
export type AlertView = z.infer<typeof AlertView>;

export const alertRoutes = {
  list: route({
    method: "get",
    path: "/api/v1/alerts",
    summary: "Urgent notices, newest first, with ack counts",
    tag: "alerts",
    role: "viewer",
    response: json(z.array(AlertView), "every notice"),
  }),
  get: route({
    method: "get",
    path: "/api/v1/alerts/:id",
    summary: "One urgent notice with the screens that acked it",
    tag: "alerts",
    role: "viewer",
    params: IdParams,
    response: json(AlertView, "the notice"),
  }),
  send: route({
    method: "post",
    path: "/api/v1/alerts",
    summary: "Send an urgent notice (zh required); reaches screens in seconds",
    tag: "alerts",
    role: "approver",
    body: Alert,
    response: json(AlertView, "the notice as sent", { status: 201 }),
  }),
  cancel: route({
    method: "post",
    path: "/api/v1/alerts/:id/cancel",
    summary: "End an urgent notice now",
    tag: "alerts",
    role: "approver",
    params: IdParams,
    response: json(AlertView, "the notice, cancelled"),
  }),
};
