import { createPublicKey, verify as nodeVerify } from "node:crypto";
import canonicalize from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "./base64url.ts";
import { canonicalJson, createArrayInterner, createCanonicalizer } from "./canonical.ts";
import {
  generateKeyPair,
  importSigningKey,
  jwksOf,
  jwkThumbprint,
  signPayload,
  signPayloadWith,
  signToJson,
  verifyEnvelope,
} from "./sign.ts";

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

describe("our canonical JSON against the canonicalize package", () => {
  it("writes the same text for any JSON value, with or without the memo", () => {
    const memo = createCanonicalizer();
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).toBe(canonicalize(v));
        expect(memo(v)).toBe(canonicalize(v));
      }),
      { numRuns: 2000 },
    );
  });

  it("shares the work for objects used in many payloads", () => {
    const shared = {
      items: Array.from({ length: 50 }, (_, i) => ({ id: `i${i}`, text: { vi: "Hải quan", zh: "海关" } })),
    };
    const canon = createCanonicalizer();
    const a = canon({ screen: "a", shared });
    const b = canon({ screen: "b", shared });
    expect(a.replace('"a"', '"b"')).toBe(b);
    expect(a).toBe(canonicalize({ screen: "a", shared }));
  });
});

describe("array interner", () => {
  it("gives one list for the same elements in the same order, and keeps different lists apart", () => {
    const intern = createArrayInterner();
    const x = { id: "x" };
    const y = { id: "y" };
    const first = intern([x, y]);
    expect(intern([x, y])).toBe(first);
    expect(intern([y, x])).not.toBe(first);
    // objects count by identity, not by value; plain values by value
    expect(intern([{ id: "x" }, y])).not.toBe(first);
    expect(intern(["a.example", "b.example"])).toBe(intern(["a.example", "b.example"]));
    expect(intern([])).toBe(intern([]));
  });

  it("never changes what a list canonicalises to", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 5 }), { maxLength: 20 }), (lists) => {
        const pool = Array.from({ length: 5 }, (_, i) => ({ n: i }));
        const intern = createArrayInterner();
        const canon = createCanonicalizer();
        for (const l of lists) {
          const list = l.map((i) => pool[i]);
          expect(canon(intern(list))).toBe(canonicalize(list));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("signToJson", () => {
  it("writes an envelope that parses to what signPayloadWith gives and verifies", async () => {
    const payload = { screenId: "a", items: [{ vi: "Hải quan", zh: "海关" }], n: 1.5 };
    const signer = async (data: Uint8Array) => {
      const k = key.privateKey;
      return new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, k, data as BufferSource));
    };
    const text = await signToJson(payload, key.keyId, signer);
    const parsed = JSON.parse(text);
    expect(parsed).toEqual(await signPayloadWith(payload, key.keyId, signer));
    expect(await verifyEnvelope(parsed, jwksOf(key))).toEqual({ ok: true, payload });
  });
});
