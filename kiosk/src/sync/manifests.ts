import {
  canonicalJson,
  GateAlertsPayload,
  Id,
  type Jwks,
  MANIFEST_FORMAT,
  ManifestEnvelope,
  ManifestPayload,
  type ManifestVerifyResult,
  SignedEnvelope,
  verifyEnvelope,
  verifyManifestEnvelope,
} from "@gatecast/playlists";
import { z } from "zod";

/** A verified manifest as the kiosk keeps it: the envelope (re-verified on load) and its parsed payload. */
export interface HeldManifest {
  /** Signed alone, or as one of a batch (one signature over a Merkle root; DESIGN.md). */
  envelope: ManifestEnvelope;
  manifest: ManifestPayload;
}

/** The manifest formats this kiosk's code reads: up to `format`, with `schema`. */
export interface ManifestReader {
  format: number;
  schema: z.ZodType<ManifestPayload>;
}

export const THIS_APP_READS: ManifestReader = { format: MANIFEST_FORMAT, schema: ManifestPayload };

export type ManifestDecision =
  | { kind: "accepted"; held: HeldManifest }
  /** An identical re-delivery of a manifest the kiosk already holds (a retained message after reconnect). */
  | { kind: "ignored" }
  | { kind: "rejected"; reason: string }
  /**
   * Signed by the controller, but this code cannot read it: a newer format, or fields it does not
   * know. A newer app can; only if there is none is it a trust error.
   */
  | { kind: "unreadable"; reason: string };

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

/** Same payload and same signature: nothing new. */
export function sameEnvelope(a: ManifestEnvelope, b: ManifestEnvelope): boolean {
  if (a.keyId !== b.keyId) return false;
  const sa = "batch" in a ? `${a.batch.signature}#${a.batch.index}` : a.signature;
  const sb = "batch" in b ? `${b.batch.signature}#${b.batch.index}` : b.signature;
  if (sa !== sb) return false;
  try {
    return canonicalJson(a.payload) === canonicalJson(b.payload);
  } catch {
    return false;
  }
}

/**
 * Parses a verified manifest with `schema`; for one signed in a batch, its issue and expiry must be the
 * signed root's.
 */
function readVerified(
  verdict: Extract<ManifestVerifyResult, { ok: true }>,
  schema: z.ZodType<ManifestPayload>,
): { ok: true; manifest: ManifestPayload } | { ok: false; reason: string } {
  const payload = schema.safeParse(verdict.payload);
  if (!payload.success) return { ok: false, reason: `invalid manifest: ${issues(payload.error)}` };
  const b = verdict.batch;
  if (b && (payload.data.issuedAt !== b.issuedAt || payload.data.expiresAt !== b.expiresAt)) {
    return { ok: false, reason: "manifest's issue or expiry differs from its signed batch" };
  }
  return { ok: true, manifest: payload.data };
}

/**
 * Decides whether a manifest received over MQTT replaces the one held. The signature is checked before
 * the payload is even parsed; then the screen, the version (strictly newer than `held`, which is the
 * newest the kiosk has, playing or still downloading) and the expiry. Pure apart from the signature
 * check; never throws.
 */
export async function acceptManifest(
  held: HeldManifest | null,
  raw: unknown,
  jwks: Jwks,
  now: number,
  screenId: string,
  reader: ManifestReader = THIS_APP_READS,
): Promise<ManifestDecision> {
  const env = ManifestEnvelope.safeParse(raw);
  if (!env.success) return { kind: "rejected", reason: `malformed envelope: ${issues(env.error)}` };
  const envelope = env.data;
  if (held && sameEnvelope(held.envelope, envelope)) return { kind: "ignored" };

  const verdict = await verifyManifestEnvelope(envelope, jwks);
  if (!verdict.ok) return { kind: "rejected", reason: `signature: ${verdict.reason} (key ${envelope.keyId})` };

  const format = verdict.payload.format;
  if (typeof format === "number" && format > reader.format)
    return { kind: "unreadable", reason: `manifest format ${format} is newer than this app reads (${reader.format})` };
  const read = readVerified(verdict, reader.schema);
  if (!read.ok)
    return { kind: read.reason.startsWith("invalid manifest") ? "unreadable" : "rejected", reason: read.reason };
  const manifest = read.manifest;
  if (manifest.screenId !== screenId) {
    return { kind: "rejected", reason: `manifest is for screen "${manifest.screenId}", not "${screenId}"` };
  }
  if (held && manifest.version <= held.manifest.version) {
    return {
      kind: "rejected",
      reason: `version ${manifest.version} is not newer than ${held.manifest.version} (replay)`,
    };
  }
  if (Date.parse(manifest.expiresAt) < now) {
    return { kind: "rejected", reason: `manifest version ${manifest.version} expired at ${manifest.expiresAt}` };
  }
  return { kind: "accepted", held: { envelope, manifest } };
}

/**
 * Re-checks a manifest read back from storage: signature and schema, not version or expiry (a kiosk
 * keeps playing the last good manifest for as long as it is offline).
 */
export async function restoreManifest(raw: unknown, jwks: Jwks, screenId: string): Promise<HeldManifest | null> {
  const env = ManifestEnvelope.safeParse(raw);
  if (!env.success) return null;
  const verdict = await verifyManifestEnvelope(env.data, jwks);
  if (!verdict.ok) return null;
  const read = readVerified(verdict, ManifestPayload);
  if (!read.ok || read.manifest.screenId !== screenId) return null;
  return { envelope: env.data, manifest: read.manifest };
}

/**
 * The alerts of one gate as the kiosk holds them. An operator's clearing is a signed empty list with a
 * higher `seq`; `envelope` is null only for what older kiosks stored when clearing was an empty message.
 */
export interface HeldGateAlerts {
  gate: string;
  seq: number;
  envelope: SignedEnvelope | null;
  alerts: GateAlertsPayload["alerts"];
}

export type GateAlertsDecision =
  | { kind: "accepted"; held: HeldGateAlerts }
  | { kind: "ignored" }
  | { kind: "rejected"; reason: string };

/**
 * Decides on a message of the gate's alert topic: it must be a signed `GateAlertsPayload` for this gate
 * with a `seq` newer than the one held. An empty message (`raw` null: the retained message deleted, by
 * anyone with write access to the topic) changes nothing: only a signed list, empty or not, does.
 */
export async function acceptGateAlerts(
  held: HeldGateAlerts | null,
  raw: unknown,
  jwks: Jwks,
  gate: string,
): Promise<GateAlertsDecision> {
  if (raw === null) return { kind: "ignored" };
  const env = SignedEnvelope.safeParse(raw);
  if (!env.success) return { kind: "rejected", reason: `malformed alert envelope: ${issues(env.error)}` };
  const envelope = env.data;
  const prior = held && held.gate === gate ? held : null;
  if (prior?.envelope && sameEnvelope(prior.envelope, envelope)) return { kind: "ignored" };

  const verdict = await verifyEnvelope(envelope, jwks);
  if (!verdict.ok) return { kind: "rejected", reason: `alert signature: ${verdict.reason} (key ${envelope.keyId})` };
  const payload = GateAlertsPayload.safeParse(verdict.payload);
  if (!payload.success) return { kind: "rejected", reason: `invalid gate alerts: ${issues(payload.error)}` };
  const alerts = payload.data;
  if (alerts.gate !== gate) return { kind: "rejected", reason: `alerts are for gate "${alerts.gate}", not "${gate}"` };
  if (prior && alerts.seq <= prior.seq) {
    return { kind: "rejected", reason: `alert seq ${alerts.seq} is not newer than ${prior.seq} (replay)` };
  }
  return { kind: "accepted", held: { gate, seq: alerts.seq, envelope, alerts: alerts.alerts } };
}

/** Gate alerts as persisted: the verified envelope is kept and checked again on load. */
export const StoredGateAlerts = z.object({
  gate: Id,
  seq: z.int().nonnegative(),
  envelope: SignedEnvelope.nullable(),
});
export type StoredGateAlerts = z.infer<typeof StoredGateAlerts>;

/** Re-checks gate alerts read back from storage. */
export async function restoreGateAlerts(raw: unknown, jwks: Jwks): Promise<HeldGateAlerts | null> {
  const stored = StoredGateAlerts.safeParse(raw);
  if (!stored.success) return null;
  const { gate, seq, envelope } = stored.data;
  if (envelope === null) return { gate, seq, envelope: null, alerts: [] };
  const decision = await acceptGateAlerts(null, envelope, jwks, gate);
  if (decision.kind !== "accepted" || decision.held.seq !== seq) return null;
  return decision.held;
}

export function storedGateAlerts(held: HeldGateAlerts): StoredGateAlerts {
  return { gate: held.gate, seq: held.seq, envelope: held.envelope };
}
