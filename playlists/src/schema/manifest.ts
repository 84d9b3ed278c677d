import { z } from "zod";
import { Id, Instant } from "./common.ts";
import { Alert, Gate, Item, MediaInfo, Playlist, ScheduleEntry, Screen, WebHost } from "./content.ts";

/**
 * The manifest format this code writes and reads. New optional fields leave it; a new item kind or a
 * newly required field raises it, so a kiosk knows it must update its app before it can read one.
 * 2: the `gate-status` item kind.
 */
export const MANIFEST_FORMAT = 2;

/** Where a kiosk fetches a media file: the controller's `/media/{sha256}` or any mirror. */
export const MediaRef = MediaInfo.extend({ url: z.string().min(1) });
export type MediaRef = z.infer<typeof MediaRef>;

/** Everything one screen needs to play on its own for days. */
export const ManifestPayload = z.strictObject({
  /** Read here up to `MANIFEST_FORMAT`; older formats are read with today's defaults. */
  format: z.int().min(1).max(MANIFEST_FORMAT),
  screenId: Id,
  /** Strictly increasing per screen; a kiosk rejects anything not newer than what it holds. */
  version: z.int().positive(),
  release: z.int().nonnegative(),
  issuedAt: Instant,
  /** A manifest received after this instant is refused (replay); the one already held keeps playing. */
  expiresAt: Instant,
  gate: Gate,
  screen: Screen,
  schedules: z.array(ScheduleEntry),
  playlists: z.array(Playlist),
  items: z.array(Item),
  alerts: z.array(Alert),
  webHosts: z.array(WebHost),
  media: z.array(MediaRef),
});
export type ManifestPayload = z.infer<typeof ManifestPayload>;

/** The alerts in force for one gate, published retained on the gate's alert topic. */
export const GateAlertsPayload = z.strictObject({
  gate: Id,
  /** Strictly increasing per gate, like a manifest version. */
  seq: z.int().positive(),
  issuedAt: Instant,
  alerts: z.array(Alert),
});
export type GateAlertsPayload = z.infer<typeof GateAlertsPayload>;

export const Base64Url = z.stringFormat("base64url", /^[A-Za-z0-9_-]+$/, { error: "expected base64url" });

/**
 * `{payload, keyId, signature}`: Ed25519 over the RFC 8785 canonical JSON of `payload`. The payload is
 * kept as raw JSON here: it is verified first and parsed with its own schema after.
 */
export const SignedEnvelope = z.strictObject({
  payload: z.record(z.string(), z.unknown()),
  keyId: z.string().min(1).max(128),
  signature: Base64Url,
});
export type SignedEnvelope = z.infer<typeof SignedEnvelope>;

/**
 * What one signature covers when manifests are signed as a batch (DESIGN.md, "Manifest signatures"):
 * the root of a Merkle tree whose leaves are the canonical JSON of each screen's manifest payload, with
 * the issue and expiry instants every manifest of the batch carries.
 */
export const ManifestBatchRoot = z.strictObject({
  type: z.literal("gatecast.manifest-batch"),
  format: z.literal(1),
  root: Base64Url.length(43, { error: "expected a 32-byte SHA-256 root" }),
  size: z.int().positive(),
  issuedAt: Instant,
  expiresAt: Instant,
});
export type ManifestBatchRoot = z.infer<typeof ManifestBatchRoot>;

/**
 * A manifest signed as part of a batch: its payload (a leaf), the leaf's place in the tree and the
 * sibling hashes up to the root, and the signed root. The root is kept raw: verified first, parsed after.
 */
export const BatchSignedEnvelope = z.strictObject({
  payload: z.record(z.string(), z.unknown()),
  keyId: z.string().min(1).max(128),
  batch: z.strictObject({
    root: z.record(z.string(), z.unknown()),
    index: z.int().nonnegative(),
    proof: z.array(Base64Url.length(43)).max(64),
    signature: Base64Url,
  }),
});
export type BatchSignedEnvelope = z.infer<typeof BatchSignedEnvelope>;

/** A manifest as it travels: signed alone (every kiosk), or as part of a batch (kiosks that say they accept it). */
export const ManifestEnvelope = z.union([SignedEnvelope, BatchSignedEnvelope]);
export type ManifestEnvelope = z.infer<typeof ManifestEnvelope>;

/** What a kiosk announces in its status when it verifies batch-signed manifests. */
export const MANIFEST_BATCH_FEATURE = "manifest-batch-1";
