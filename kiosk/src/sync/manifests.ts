import {
  canonicalJson,
  GateAlertsPayload,
  Id,
  type Jwks,
  MANIFEST_FORMAT,
  ManifestPayload,
  SignedEnvelope,
  verifyEnvelope,
} from "@gatecast/playlists";
import { z } from "zod";

/** A verified manifest as the kiosk keeps it: the envelope (re-verified on load) and its parsed payload. */
export interface HeldManifest {
  envelope: SignedEnvelope;
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
export function sameEnvelope(a: SignedEnvelope, b: SignedEnvelope): boolean {
  if (a.signature !== b.signature || a.keyId !== b.keyId) return false;
  try {
    return canonicalJson(a.payload) === canonicalJson(b.payload);
  } catch {
    return false;
  }
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
  const env = SignedEnvelope.safeParse(raw);
  if (!env.success) return { kind: "rejected", reason: `malformed envelope: ${issues(env.error)}` };
  const envelope = env.data;
  if (held && sameEnvelope(held.envelope, envelope)) return { kind: "ignored" };

  const verdict = await verifyEnvelope(envelope, jwks);
  if (!verdict.ok) return { kind: "rejected", reason: `signature: ${verdict.reason} (key ${envelope.keyId})` };

  const format = verdict.payload.format;
  if (typeof format === "number" && format > reader.format)
    return { kind: "unreadable", reason: `manifest format ${format} is newer than this app reads (${reader.format})` };
  const payload = reader.schema.safeParse(verdict.payload);
  if (!payload.success) return { kind: "unreadable", reason: `invalid manifest: ${issues(payload.error)}` };
  const manifest = payload.data;
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
  const env = SignedEnvelope.safeParse(raw);
  if (!env.success) return null;
  const verdict = await verifyEnvelope(env.data, jwks);
  if (!verdict.ok) return null;
  const payload = ManifestPayload.safeParse(verdict.payload);
  if (!payload.success || payload.data.screenId !== screenId) return null;
  return { envelope: env.data, manifest: payload.data };
}

/** The alerts of one gate as the kiosk holds them. `envelope` null: the operator cleared them. */
export interface HeldGateAlerts {
  gate: string;
  seq: number;
  envelope: SignedEnvelope | null;
  alerts: GateAlertsPayload["alerts"];
}

export type GateAlertsDecision =
  | { kind: "accepted"; held: HeldGateAlerts }
  | { kind: "cleared"; held: HeldGateAlerts | null }
  | { kind: "ignored" }
  | { kind: "rejected"; reason: string };

/**
 * Decides on a message of the gate's alert topic. An empty message clears the gate's alerts (the
 * retained message was deleted); anything else must be a signed `GateAlertsPayload` for this gate with a
 * `seq` newer than the one held.
 */
export async function acceptGateAlerts(
  held: HeldGateAlerts | null,
  raw: unknown,
  jwks: Jwks,
  gate: string,
): Promise<GateAlertsDecision> {
  if (raw === null) {
    const current = held && held.gate === gate ? held : null;
    if (!current) return { kind: "cleared", held: null };
    if (current.envelope === null) return { kind: "ignored" };
    return { kind: "cleared", held: { gate, seq: current.seq, envelope: null, alerts: [] } };
  }
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
