import { createHash, createPrivateKey, sign } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical.ts";
import { leafInput, merkleRootOf, merkleTree, type SyncHash } from "./merkle.ts";
import { BatchSignedEnvelope, ManifestEnvelope } from "./schema/manifest.ts";
import { generateKeyPair, jwkThumbprint, signBatchToJson, verifyManifestEnvelope } from "./sign.ts";

const sha256: SyncHash = (d) => new Uint8Array(createHash("sha256").update(d).digest());
const bytes = (s: string) => new TextEncoder().encode(s);

const jwk = await generateKeyPair();
const other = await generateKeyPair();
const jwks = { keys: [{ kty: "OKP" as const, crv: "Ed25519" as const, x: jwk.x, kid: jwk.kid }] };
const nodeKey = createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x, d: jwk.d }, format: "jwk" });
const otherNodeKey = createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", x: other.x, d: other.d }, format: "jwk" });
const signer = (data: Uint8Array) => new Uint8Array(sign(null, data, nodeKey));

const issuedAt = "2026-12-01T08:00:00.000Z";
const expiresAt = "2026-12-31T08:00:00.000Z";
const payloads = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ screenId: `s-${i}`, version: 1_800_000_000 + i, issuedAt, expiresAt }));

async function batch(n: number, keySigner = signer) {
  const p = payloads(n);
  const texts = p.map((x) => canonicalJson(x));
  const envelopes = await signBatchToJson(texts, {
    keyId: jwk.kid,
    signer: keySigner,
    hash: sha256,
    issuedAt,
    expiresAt,
  });
  return envelopes.map((e) => BatchSignedEnvelope.parse(JSON.parse(e)));
}

describe("Merkle tree", () => {
  it("every leaf of every size leads to the root, and only through its own proof", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 80 }), fc.nat(), async (size, pick) => {
        const leaves = Array.from({ length: size }, (_, i) => bytes(`leaf ${i}`));
        const tree = merkleTree(leaves, sha256);
        const i = pick % size;
        const proof = tree.proof(i);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
        expect(await merkleRootOf(leaves[i] as Uint8Array, i, size, proof, sha256)).toEqual(tree.root);
        // another leaf, another place, a shorter or longer proof: never the root
        const wrong = await merkleRootOf(bytes("forged"), i, size, proof, sha256);
        expect(wrong).not.toEqual(tree.root);
        if (size > 1) {
          const j = (i + 1) % size;
          expect(await merkleRootOf(leaves[i] as Uint8Array, j, size, proof, sha256)).not.toEqual(tree.root);
        }
        expect(await merkleRootOf(leaves[i] as Uint8Array, i, size, [...proof, tree.root], sha256)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it("a node cannot pass for a leaf (leaves and nodes are hashed apart)", async () => {
    const leaves = [bytes("a"), bytes("b"), bytes("c"), bytes("d")];
    const tree = merkleTree(leaves, sha256);
    // the bytes under the node over a and b (their two hashes), presented as a leaf of a two-leaf tree
    // beside the node over c and d: without the prefixes this would give the same root
    const [ha, hb] = [sha256(leafInput(bytes("a"))), sha256(leafInput(bytes("b")))];
    const under = new Uint8Array([...ha, ...hb]);
    const cd = merkleTree(leaves.slice(2), sha256).root;
    const forged = await merkleRootOf(under, 0, 2, [cd], sha256);
    expect(forged).not.toEqual(tree.root);
  });
});

describe("batch-signed manifests", () => {
  it("each manifest of a batch verifies on its own, with one signature for all", async () => {
    const envs = await batch(37);
    expect(new Set(envs.map((e) => e.batch.signature)).size).toBe(1);
    for (const [i, e] of envs.entries()) {
      const r = await verifyManifestEnvelope(ManifestEnvelope.parse(e), jwks);
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.payload.screenId).toBe(`s-${i}`);
        expect(r.batch).toMatchObject({ size: 37, issuedAt, expiresAt });
      }
    }
  });

  it("refuses a changed payload, a proof from another screen, a changed root, another key's signature", async () => {
    const envs = await batch(9);
    const e = envs[4] as BatchSignedEnvelope;
    const changed = { ...e, payload: { ...e.payload, version: 1 } };
    expect(await verifyManifestEnvelope(changed, jwks)).toEqual({ ok: false, reason: "bad-proof" });
    const swapped = { ...e, payload: (envs[5] as BatchSignedEnvelope).payload };
    expect((await verifyManifestEnvelope(swapped, jwks)).ok).toBe(false);
    const moved = { ...e, batch: { ...e.batch, index: 5 } };
    expect((await verifyManifestEnvelope(moved, jwks)).ok).toBe(false);
    const bigger = { ...e, batch: { ...e.batch, root: { ...e.batch.root, size: 10 } } };
    expect((await verifyManifestEnvelope(bigger, jwks)).ok).toBe(false);
    const later = { ...e, batch: { ...e.batch, root: { ...e.batch.root, expiresAt: "2030-01-01T00:00:00.000Z" } } };
    expect(await verifyManifestEnvelope(later, jwks)).toEqual({ ok: false, reason: "bad-signature" });
    const foreign = (await batch(9, (d) => new Uint8Array(sign(null, d, otherNodeKey))))[4] as BatchSignedEnvelope;
    expect(await verifyManifestEnvelope(foreign, jwks)).toEqual({ ok: false, reason: "bad-signature" });
    expect(await verifyManifestEnvelope({ ...e, keyId: await jwkThumbprint(other) }, jwks)).toEqual({
      ok: false,
      reason: "unknown-key",
    });
  });
});
