import { verifyAsync } from "@noble/ed25519";
import { z } from "zod";
import { fromBase64Url, toBase64Url } from "./base64url.ts";
import { type Canonicalizer, canonicalBytes, canonicalJson } from "./canonical.ts";
import { type Hash, merkleRootOf, merkleTree, type SyncHash } from "./merkle.ts";
import {
  Base64Url,
  type BatchSignedEnvelope,
  ManifestBatchRoot,
  type ManifestEnvelope,
  type SignedEnvelope,
} from "./schema/manifest.ts";

/** Public Ed25519 key as a JWK (RFC 8037). */
export const PublicJwk = z.object({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: Base64Url.length(43, { error: "expected a 32-byte Ed25519 public key" }),
  kid: z.string().min(1).optional(),
  alg: z.enum(["EdDSA", "Ed25519"]).optional(),
  use: z.literal("sig").optional(),
});
export type PublicJwk = z.infer<typeof PublicJwk>;

export const PrivateJwk = PublicJwk.extend({ d: Base64Url.length(43, { error: "expected a 32-byte private key" }) });
export type PrivateJwk = z.infer<typeof PrivateJwk>;

export const Jwks = z.object({ keys: z.array(PublicJwk) });
export type Jwks = z.infer<typeof Jwks>;

export interface SigningKey {
  keyId: string;
  privateKey: CryptoKey;
  publicJwk: PublicJwk & { kid: string };
}

const ED25519 = { name: "Ed25519" } as const;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error("WebCrypto is not available (a kiosk needs a secure context: https or localhost)");
  return s;
}

/** RFC 7638 thumbprint: a key id that anyone holding the public key can recompute. */
export async function jwkThumbprint(jwk: Pick<PublicJwk, "x">): Promise<string> {
  const digest = await subtle().digest(
    "SHA-256",
    canonicalBytes({ crv: "Ed25519", kty: "OKP", x: jwk.x }) as BufferSource,
  );
  return toBase64Url(new Uint8Array(digest));
}

function publicOf(jwk: PrivateJwk | PublicJwk): PublicJwk {
  return { kty: "OKP", crv: "Ed25519", x: jwk.x };
}

export async function generateKeyPair(): Promise<PrivateJwk & { kid: string }> {
  const pair = (await subtle().generateKey(ED25519, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = PrivateJwk.parse(await subtle().exportKey("jwk", pair.privateKey));
  const kid = await jwkThumbprint(jwk);
  return { kty: "OKP", crv: "Ed25519", x: jwk.x, d: jwk.d, kid };
}

export async function importSigningKey(jwk: PrivateJwk): Promise<SigningKey> {
  const privateKey = await subtle().importKey(
    "jwk",
    { kty: "OKP", crv: "Ed25519", x: jwk.x, d: jwk.d },
    ED25519,
    false,
    ["sign"],
  );
  const kid = await jwkThumbprint(jwk);
  return { keyId: kid, privateKey, publicJwk: { ...publicOf(jwk), kid, alg: "EdDSA", use: "sig" } };
}

/** Anything that turns bytes into an Ed25519 signature (WebCrypto here, Node's crypto in the controller). */
export type ByteSigner = (data: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** The envelope of `payload`: a signature over its canonical JSON. */
export async function signPayloadWith(
  payload: Record<string, unknown>,
  keyId: string,
  signer: ByteSigner,
  canon: Canonicalizer = canonicalJson,
): Promise<SignedEnvelope> {
  const signature = await signer(canonicalBytes(payload, canon));
  return { payload, keyId, signature: toBase64Url(signature) };
}

/**
 * The envelope as JSON text, written around the canonical payload text that was signed: no second
 * serialisation of a large payload. The result parses to the same envelope `signPayloadWith` gives.
 */
export async function signToJson(
  payload: Record<string, unknown>,
  keyId: string,
  signer: ByteSigner,
  canon: Canonicalizer = canonicalJson,
): Promise<string> {
  const text = canon(payload);
  const signature = toBase64Url(await signer(new TextEncoder().encode(text)));
  return `{"payload":${text},"keyId":${JSON.stringify(keyId)},"signature":"${signature}"}`;
}

/**
 * Signs a batch of manifests with one signature: `payloadTexts` are the canonical JSON texts of each
 * manifest payload (every one issued at `issuedAt`, expiring at `expiresAt`); returns each manifest's
 * envelope as UTF-8 JSON bytes, in order. Each payload is encoded once: the same bytes are hashed into
 * its leaf and copied into its envelope, which is what a broker sends.
 */
export async function signBatch(
  payloadTexts: readonly string[],
  opts: { keyId: string; signer: ByteSigner; hash: SyncHash; issuedAt: string; expiresAt: string },
): Promise<Uint8Array[]> {
  const encoder = new TextEncoder();
  const leaves = payloadTexts.map((t) => encoder.encode(t));
  const tree = merkleTree(leaves, opts.hash);
  const root: ManifestBatchRoot = {
    type: "gatecast.manifest-batch",
    format: 1,
    root: toBase64Url(tree.root),
    size: tree.size,
    issuedAt: opts.issuedAt,
    expiresAt: opts.expiresAt,
  };
  const rootText = canonicalJson(root);
  const signature = toBase64Url(await opts.signer(encoder.encode(rootText)));
  const head = encoder.encode(`{"payload":`);
  const keyId = JSON.stringify(opts.keyId);
  return leaves.map((leaf, i) => {
    const proof = tree.proof(i).map((h) => `"${toBase64Url(h)}"`);
    const tail = encoder.encode(
      `,"keyId":${keyId},"batch":{"root":${rootText},"index":${i},"proof":[${proof.join(",")}],"signature":"${signature}"}}`,
    );
    const out = new Uint8Array(head.length + leaf.length + tail.length);
    out.set(head, 0);
    out.set(leaf, head.length);
    out.set(tail, head.length + leaf.length);
    return out;
  });
}

/** `signBatch` as JSON texts. */
export async function signBatchToJson(
  payloadTexts: readonly string[],
  opts: Parameters<typeof signBatch>[1],
): Promise<string[]> {
  const decoder = new TextDecoder();
  return (await signBatch(payloadTexts, opts)).map((b) => decoder.decode(b));
}

/** Signs with a WebCrypto key; pass a memoizing canonicalizer when signing many similar payloads. */
export function signPayload(
  payload: Record<string, unknown>,
  key: SigningKey,
  canon: Canonicalizer = canonicalJson,
): Promise<SignedEnvelope> {
  return signPayloadWith(
    payload,
    key.keyId,
    async (data) => new Uint8Array(await subtle().sign(ED25519, key.privateKey, data as BufferSource)),
    canon,
  );
}

export type VerifyResult =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; reason: "unknown-key" | "bad-signature" | "malformed" };

/**
 * Imported verification keys by their public bytes: a screen checks every manifest and alert against
 * the same one or two keys, and importing costs as much as verifying.
 */
const verifyKeys = new Map<string, Promise<CryptoKey>>();

function verifyKey(jwk: PublicJwk): Promise<CryptoKey> {
  let key = verifyKeys.get(jwk.x);
  if (!key) {
    key = subtle().importKey("jwk", publicOf(jwk), ED25519, false, ["verify"]);
    if (verifyKeys.size >= 16) verifyKeys.clear();
    verifyKeys.set(jwk.x, key);
    key.catch(() => verifyKeys.delete(jwk.x));
  }
  return key;
}

async function verifyBytes(jwk: PublicJwk, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  let key: CryptoKey | undefined;
  try {
    key = await verifyKey(jwk);
  } catch {
    // Browsers without WebCrypto Ed25519: the audited pure-JS implementation gives the same answer.
    return verifyAsync(signature, data, fromBase64Url(jwk.x));
  }
  return subtle().verify(ED25519, key, signature as BufferSource, data as BufferSource);
}

/** Checks an envelope against pinned keys. Never throws for bad input: it says why it refused. */
export async function verifyEnvelope(envelope: SignedEnvelope, jwks: Jwks): Promise<VerifyResult> {
  const keys = await Promise.all(jwks.keys.map(async (k) => ({ k, kid: k.kid ?? (await jwkThumbprint(k)) })));
  const match = keys.find((k) => k.kid === envelope.keyId);
  if (!match) return { ok: false, reason: "unknown-key" };
  let signature: Uint8Array;
  let data: Uint8Array;
  try {
    signature = fromBase64Url(envelope.signature);
    data = new TextEncoder().encode(canonicalJson(envelope.payload));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (signature.length !== 64) return { ok: false, reason: "malformed" };
  const ok = await verifyBytes(match.k, signature, data).catch(() => false);
  return ok ? { ok: true, payload: envelope.payload } : { ok: false, reason: "bad-signature" };
}

const sha256: Hash = async (data) => new Uint8Array(await subtle().digest("SHA-256", data as BufferSource));

export type ManifestVerifyResult =
  | { ok: true; payload: Record<string, unknown>; batch: ManifestBatchRoot | null }
  | { ok: false; reason: "unknown-key" | "bad-signature" | "malformed" | "bad-proof" };

/**
 * Checks a manifest envelope of either kind against pinned keys. A batch-signed one is checked from the
 * leaf up: the payload's hash, folded with the proof, must give the root that the signature covers.
 */
export async function verifyManifestEnvelope(
  envelope: ManifestEnvelope,
  jwks: Jwks,
  hash: Hash = sha256,
): Promise<ManifestVerifyResult> {
  if (!("batch" in envelope)) {
    const r = await verifyEnvelope(envelope, jwks);
    return r.ok ? { ...r, batch: null } : r;
  }
  const { batch } = envelope as BatchSignedEnvelope;
  const root = ManifestBatchRoot.safeParse(batch.root);
  if (!root.success || batch.index >= root.data.size) return { ok: false, reason: "malformed" };
  let leaf: Uint8Array;
  try {
    leaf = canonicalBytes(envelope.payload);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const computed = await merkleRootOf(leaf, batch.index, root.data.size, batch.proof.map(fromBase64Url), hash);
  if (!computed || toBase64Url(computed) !== root.data.root) return { ok: false, reason: "bad-proof" };
  const signed = await verifyEnvelope({ payload: batch.root, keyId: envelope.keyId, signature: batch.signature }, jwks);
  return signed.ok ? { ok: true, payload: envelope.payload, batch: root.data } : signed;
}

export function jwksOf(...keys: SigningKey[]): Jwks {
  return { keys: keys.map((k) => k.publicJwk) };
}
