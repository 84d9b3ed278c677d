import { createHash } from "node:crypto";
import { canonicalJson, MANIFEST_FORMAT, type ManifestPayload, signBatchToJson } from "@gatecast/playlists";
import { describe, expect, it } from "vitest";
import {
  acceptGateAlerts,
  acceptManifest,
  type HeldManifest,
  restoreGateAlerts,
  restoreManifest,
  storedGateAlerts,
} from "./manifests.ts";
import { GATE, gateAlerts, jwksOf, makeKey, manifest, mediaFixture, SCREEN, signed } from "./testing.ts";

const key = await makeKey();
const stranger = await makeKey();
const jwks = jwksOf(key);
const now = Date.parse("2026-11-24T00:00:00Z");
const media = [await mediaFixture("png bytes")];

async function held(version: number): Promise<HeldManifest> {
  const m = manifest(version, media);
  return { manifest: m, envelope: await signed(m, key) };
}

const wire = (x: unknown) => JSON.parse(JSON.stringify(x));

describe("acceptManifest", () => {
  it("accepts a first manifest that verifies", async () => {
    const env = await signed(manifest(1, media), key);
    const d = await acceptManifest(null, wire(env), jwks, now, SCREEN);
    expect(d.kind).toBe("accepted");
    if (d.kind === "accepted") expect(d.held.manifest.version).toBe(1);
  });

  it("accepts a newer version", async () => {
    const env = await signed(manifest(5, media), key);
    expect((await acceptManifest(await held(4), wire(env), jwks, now, SCREEN)).kind).toBe("accepted");
  });

  it("silently ignores an identical re-delivery of the held manifest, even after it expired", async () => {
    const h = await held(3);
    const afterExpiry = Date.parse(h.manifest.expiresAt) + 1000;
    expect(await acceptManifest(h, wire(h.envelope), jwks, afterExpiry, SCREEN)).toEqual({ kind: "ignored" });
  });

  it("rejects an older or equal version (replay)", async () => {
    const h = await held(4);
    for (const v of [3, 4]) {
      const env = await signed(manifest(v, [...media, await mediaFixture(`other ${v}`)]), key);
      const d = await acceptManifest(h, wire(env), jwks, now, SCREEN);
      expect(d.kind).toBe("rejected");
      if (d.kind === "rejected") expect(d.reason).toMatch(/not newer/);
    }
  });

  it("rejects a bad signature before looking at the payload", async () => {
    const env = await signed(manifest(2, media), key);
    const tampered = wire(env);
    tampered.payload.version = 99;
    const d = await acceptManifest(null, tampered, jwks, now, SCREEN);
    expect(d).toEqual({ kind: "rejected", reason: expect.stringMatching(/bad-signature/) });
  });

  it("rejects an unknown key", async () => {
    const env = await signed(manifest(2, media), stranger);
    const d = await acceptManifest(null, wire(env), jwks, now, SCREEN);
    expect(d).toEqual({ kind: "rejected", reason: expect.stringMatching(/unknown-key/) });
  });

  it("calls a signed payload it cannot read unreadable (a newer app may read it), never accepted", async () => {
    const env = await signed({ hello: "world" }, key);
    const d = await acceptManifest(null, wire(env), jwks, now, SCREEN);
    expect(d).toEqual({ kind: "unreadable", reason: expect.stringMatching(/invalid manifest/) });
    const newer = await signed({ ...manifest(5, media), format: MANIFEST_FORMAT + 1 }, key);
    expect(await acceptManifest(null, wire(newer), jwks, now, SCREEN)).toEqual({
      kind: "unreadable",
      reason: `manifest format ${MANIFEST_FORMAT + 1} is newer than this app reads (${MANIFEST_FORMAT})`,
    });
  });

  it("rejects a manifest for another screen", async () => {
    const env = await signed(manifest(2, media, { screenId: "someone-else" }), key);
    const d = await acceptManifest(null, wire(env), jwks, now, SCREEN);
    expect(d).toEqual({ kind: "rejected", reason: expect.stringMatching(/someone-else/) });
  });

  it("rejects a manifest that expired before it arrived", async () => {
    const env = await signed(manifest(2, media, { issuedAt: now - 10_000, ttlMs: 5_000 }), key);
    const d = await acceptManifest(null, wire(env), jwks, now, SCREEN);
    expect(d).toEqual({ kind: "rejected", reason: expect.stringMatching(/expired/) });
  });

  it("rejects garbage", async () => {
    for (const raw of [null, 42, "x", {}, { payload: {}, keyId: "k", signature: "!!" }]) {
      expect((await acceptManifest(null, raw, jwks, now, SCREEN)).kind).toBe("rejected");
    }
  });
});

describe("restoreManifest", () => {
  it("re-verifies what was stored, whatever its expiry", async () => {
    const h = await held(7);
    expect((await restoreManifest(wire(h.envelope), jwks, SCREEN))?.manifest.version).toBe(7);
  });

  it("refuses a stored manifest that was tampered with or is for another screen", async () => {
    const h = await held(7);
    const tampered = wire(h.envelope);
    tampered.payload.version = 8;
    expect(await restoreManifest(tampered, jwks, SCREEN)).toBeNull();
    expect(await restoreManifest(wire(h.envelope), jwks, "other")).toBeNull();
    expect(await restoreManifest(undefined, jwks, SCREEN)).toBeNull();
    expect(await restoreManifest({ nonsense: true }, jwks, SCREEN)).toBeNull();
  });
});

describe("batch-signed manifests", () => {
  const sha256 = (d: Uint8Array) => new Uint8Array(createHash("sha256").update(d).digest());
  const signer = async (d: Uint8Array) =>
    new Uint8Array(await crypto.subtle.sign("Ed25519", key.privateKey, d as BufferSource));
  async function batchOf(ms: ManifestPayload[], issuedAt: string, expiresAt: string) {
    const texts = ms.map((m) => canonicalJson(m));
    return (await signBatchToJson(texts, { keyId: key.keyId, signer, hash: sha256, issuedAt, expiresAt })).map(
      (e) => JSON.parse(e) as unknown,
    );
  }

  it("takes its own manifest from a batch, through the same version and screen rules", async () => {
    const m = manifest(5, media);
    const others = [{ ...m, screenId: "hn-other" }, m, { ...m, screenId: "hn-third" }];
    const envs = await batchOf(others, m.issuedAt, m.expiresAt);
    const d = await acceptManifest(await held(4), envs[1], jwks, now, SCREEN);
    expect(d.kind).toBe("accepted");
    if (d.kind !== "accepted") return;
    // the same message again (a retained re-delivery) changes nothing; a neighbour's is not ours
    expect(await acceptManifest(d.held, envs[1], jwks, now, SCREEN)).toEqual({ kind: "ignored" });
    expect((await acceptManifest(null, envs[0], jwks, now, SCREEN)).kind).toBe("rejected");
    // and it is kept, and checked again on load, like a manifest signed alone
    expect((await restoreManifest(wire(d.held.envelope), jwks, SCREEN))?.manifest.version).toBe(5);
    // a manifest signed alone still verifies (the kiosk takes both during the migration)
    expect(
      (await acceptManifest(await held(4), wire(await signed(manifest(6, media), key)), jwks, now, SCREEN)).kind,
    ).toBe("accepted");
  });

  it("refuses a batch whose signed instants are not the manifest's", async () => {
    const m = manifest(5, media);
    const [env] = await batchOf([m], m.issuedAt, "2030-01-01T00:00:00.000Z");
    const d = await acceptManifest(null, env, jwks, now, SCREEN);
    expect(d).toMatchObject({ kind: "rejected", reason: expect.stringMatching(/signed batch/) });
  });
});

describe("acceptGateAlerts", () => {
  const alert = {
    id: "fog",
    severity: "warning" as const,
    message: { vi: "Sương mù", zh: "大雾" },
    targets: {},
    startsAt: "2026-11-23T00:00:00Z",
    expiresAt: "2026-11-25T00:00:00Z",
  };

  it("accepts newer signed alerts for the gate and ignores re-deliveries", async () => {
    const env = await signed(gateAlerts(1, [alert]), key);
    const d = await acceptGateAlerts(null, wire(env), jwks, GATE);
    expect(d.kind).toBe("accepted");
    if (d.kind !== "accepted") return;
    expect(d.held.alerts.map((a) => a.id)).toEqual(["fog"]);
    expect(await acceptGateAlerts(d.held, wire(env), jwks, GATE)).toEqual({ kind: "ignored" });
    const older = await signed(gateAlerts(1, []), key);
    expect((await acceptGateAlerts(d.held, wire(older), jwks, GATE)).kind).toBe("rejected");
  });

  it("ignores an empty payload: only a signed empty list with a newer seq clears, and replays stay refused", async () => {
    const env = await signed(gateAlerts(4, [alert]), key);
    const d = await acceptGateAlerts(null, wire(env), jwks, GATE);
    if (d.kind !== "accepted") throw new Error("expected accepted");
    // anyone who may write the topic can delete its retained message: the critical alert stays up
    expect(await acceptGateAlerts(d.held, null, jwks, GATE)).toEqual({ kind: "ignored" });
    const clear = await signed(gateAlerts(5, []), key);
    const cleared = await acceptGateAlerts(d.held, wire(clear), jwks, GATE);
    expect(cleared.kind).toBe("accepted");
    if (cleared.kind !== "accepted") return;
    expect(cleared.held).toMatchObject({ gate: GATE, seq: 5, alerts: [] });
    expect((await acceptGateAlerts(cleared.held, wire(env), jwks, GATE)).kind).toBe("rejected");
    const forged = await signed(gateAlerts(6, []), stranger);
    expect((await acceptGateAlerts(d.held, wire(forged), jwks, GATE)).kind).toBe("rejected");
  });

  it("rejects alerts of another gate, unsigned or badly signed alerts", async () => {
    const other = await signed({ ...gateAlerts(1), gate: "tan-thanh" }, key);
    expect((await acceptGateAlerts(null, wire(other), jwks, GATE)).kind).toBe("rejected");
    const foreign = await signed(gateAlerts(1), stranger);
    expect((await acceptGateAlerts(null, wire(foreign), jwks, GATE)).kind).toBe("rejected");
    expect((await acceptGateAlerts(null, gateAlerts(1), jwks, GATE)).kind).toBe("rejected");
  });

  it("round-trips through storage", async () => {
    const env = await signed(gateAlerts(2, [alert]), key);
    const d = await acceptGateAlerts(null, wire(env), jwks, GATE);
    if (d.kind !== "accepted") throw new Error("expected accepted");
    const restored = await restoreGateAlerts(wire(storedGateAlerts(d.held)), jwks);
    expect(restored?.seq).toBe(2);
    expect(restored?.alerts[0]?.id).toBe("fog");
    expect(await restoreGateAlerts({ gate: GATE, seq: 3, envelope: wire(env) }, jwks)).toBeNull();
    expect(await restoreGateAlerts("corrupt", jwks)).toBeNull();
    expect(await restoreGateAlerts({ gate: GATE, seq: 5, envelope: null }, jwks)).toEqual({
      gate: GATE,
      seq: 5,
      envelope: null,
      alerts: [],
    });
  });
});
