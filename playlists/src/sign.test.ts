import { createPublicKey, verify as nodeVerify } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "./base64url.ts";
import { canonicalJson } from "./canonical.ts";
import { generateKeyPair, importSigningKey, jwksOf, jwkThumbprint, signPayload, verifyEnvelope } from "./sign.ts";

const key = await importSigningKey(await generateKeyPair());
const otherKey = await importSigningKey(await generateKeyPair());

describe("canonical JSON (RFC 8785)", () => {
  it("sorts keys by UTF-16 code units and writes numbers the ECMAScript way", () => {
    expect(canonicalJson({ b: 1, a: [3, { d: 1e21, c: 0.000001 }], "€": "x", "\u0080": true })).toBe(
      '{"a":[3,{"c":0.000001,"d":1e+21}],"b":1,"\u0080":true,"€":"x"}',
    );
    expect(canonicalJson({ vi: "Cửa khẩu", zh: "友谊口岸" })).toBe('{"vi":"Cửa khẩu","zh":"友谊口岸"}');
  });

  it("does not depend on key order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });
});

describe("signatures", () => {
  const payload = { screenId: "huu-nghi-arrivals-1", version: 7, text: { vi: "Khai báo hải quan", zh: "海关申报" } };

  it("round-trips through JSON text and verifies with the pinned key", async () => {
    const envelope = await signPayload(payload, key);
    const received = JSON.parse(JSON.stringify(envelope));
    expect(await verifyEnvelope(received, jwksOf(key))).toEqual({ ok: true, payload });
  });

  it("the same bytes verify with Node's own crypto.verify", async () => {
    const envelope = await signPayload(payload, key);
    const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: key.publicJwk.x }, format: "jwk" });
    const data = Buffer.from(canonicalJson(payload), "utf8");
    expect(nodeVerify(null, data, publicKey, Buffer.from(fromBase64Url(envelope.signature)))).toBe(true);
  });

  it("refuses a payload changed after signing, a foreign key and a malformed signature", async () => {
    const envelope = await signPayload(payload, key);
    const tampered = { ...envelope, payload: { ...payload, version: 8 } };
    expect(await verifyEnvelope(tampered, jwksOf(key))).toEqual({ ok: false, reason: "bad-signature" });
    const foreign = await signPayload(payload, otherKey);
    expect(await verifyEnvelope(foreign, jwksOf(key))).toEqual({ ok: false, reason: "unknown-key" });
    // a foreign key that claims our key id
    expect(await verifyEnvelope({ ...foreign, keyId: key.keyId }, jwksOf(key))).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    expect(await verifyEnvelope({ ...envelope, signature: "AAAA" }, jwksOf(key))).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it("any change to any value breaks the signature", async () => {
    const envelope = await signPayload(payload, key);
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), async (s) => {
        fc.pre(s !== payload.text.zh);
        const changed = { ...envelope, payload: { ...payload, text: { ...payload.text, zh: s } } };
        expect((await verifyEnvelope(changed, jwksOf(key))).ok).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it("the key id is the RFC 7638 thumbprint of the public key", async () => {
    expect(key.keyId).toBe(await jwkThumbprint(key.publicJwk));
    expect(key.keyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe("base64url", () => {
  it("round-trips any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array(), (b) => {
        expect(fromBase64Url(toBase64Url(b))).toEqual(b);
      }),
    );
  });
});
