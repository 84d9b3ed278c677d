import type { PairingStatus } from "@gatecast/playlists";
import { describe, expect, it } from "vitest";
import {
  type Fetch,
  type PairingApi,
  type PairingView,
  pairingApi,
  resolveWsUrl,
  runPairing,
  type StoredPairing,
} from "./pairing.ts";

const JWKS = { keys: [{ kty: "OKP" as const, crv: "Ed25519" as const, x: "A".repeat(43), kid: "k1" }] };
const CLAIMED: PairingStatus = {
  status: "claimed",
  screenId: "hn-arrivals-1",
  mqtt: {
    url: "mqtt://127.0.0.1:1883",
    wsUrl: "ws://127.0.0.1:8080/mqtt",
    username: "screen:hn-arrivals-1",
    password: "pw",
  },
  jwks: JWKS,
};

function fakeApi(script: (PairingStatus | null | Error)[], expiresAt = "2026-11-23T00:10:00Z") {
  let created = 0;
  const api: PairingApi = {
    async create() {
      created++;
      return { pairingId: `p${created}`, code: `ABC12${created}`, expiresAt };
    },
    async poll() {
      const next = script.shift();
      if (next instanceof Error) throw next;
      return next === undefined ? { status: "pending" } : next;
    },
  };
  return { api, created: () => created };
}

function deps(api: PairingApi, now = () => Date.parse("2026-11-23T00:00:00Z")) {
  const views: PairingView[] = [];
  let stored: StoredPairing | null = null;
  const waits: number[] = [];
  return {
    views,
    waits,
    stored: () => stored,
    d: {
      api,
      now,
      load: async () => stored,
      save: async (p: StoredPairing | null) => {
        stored = p;
      },
      onView: (v: PairingView) => views.push(v),
      random: () => 0.5,
      wait: async (ms: number) => {
        waits.push(ms);
      },
    },
  };
}

describe("runPairing", () => {
  it("shows a code, polls, and returns the credentials once claimed", async () => {
    const { api } = fakeApi([{ status: "pending" }, { status: "pending" }, CLAIMED]);
    const { d, views, waits, stored } = deps(api);
    const creds = await runPairing(d);
    expect(creds.screenId).toBe("hn-arrivals-1");
    expect(creds.mqtt.username).toBe("screen:hn-arrivals-1");
    expect(creds.jwks).toEqual(JWKS);
    expect(views.filter((v) => v.kind === "code").map((v) => v.kind === "code" && v.code)).toContain("ABC121");
    expect(waits).toEqual([2000, 2000]);
    expect(stored()).toBeNull();
  });

  it("starts a new pairing when the controller forgets the old one", async () => {
    const fake = fakeApi([null, CLAIMED]);
    const { d } = deps(fake.api);
    await runPairing(d);
    expect(fake.created()).toBe(2);
  });

  it("starts a new pairing when the code expires", async () => {
    let now = Date.parse("2026-11-23T00:00:00Z");
    const fake = fakeApi([{ status: "pending" }, CLAIMED], "2026-11-23T00:00:30Z");
    const { d } = deps(fake.api, () => now);
    d.wait = async () => {
      now += 60_000;
    };
    await runPairing(d);
    expect(fake.created()).toBe(2);
  });

  it("keeps the stored code across a reload", async () => {
    const fake = fakeApi([CLAIMED]);
    const { d, views } = deps(fake.api);
    await d.save({ pairingId: "kept", code: "KEEP01", expiresAt: "2026-11-23T00:10:00Z" });
    await runPairing(d);
    expect(fake.created()).toBe(0);
    expect(views[0]).toMatchObject({ kind: "code", code: "KEEP01" });
  });

  it("backs off while the controller cannot be reached and says so", async () => {
    const fake = fakeApi([new Error("Failed to fetch"), new Error("Failed to fetch"), CLAIMED]);
    const { d, views, waits } = deps(fake.api);
    await runPairing(d);
    expect(waits).toEqual([1000, 2000]);
    expect(views.some((v) => v.kind === "code" && v.offline)).toBe(true);
  });
});

describe("pairingApi", () => {
  const respond =
    (status: number, body: unknown): Fetch =>
    async () =>
      new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

  it("creates and parses a pairing", async () => {
    const api = pairingApi(
      "https://c.test",
      respond(201, { pairingId: "p1", code: "ABC123", expiresAt: "2026-11-23T00:10:00Z" }),
    );
    expect(await api.create()).toEqual({ pairingId: "p1", code: "ABC123", expiresAt: "2026-11-23T00:10:00Z" });
  });

  it("maps 404 to a forgotten pairing and parses a claim", async () => {
    expect(await pairingApi("https://c.test", respond(404, {})).poll("p1")).toBeNull();
    expect(await pairingApi("https://c.test", respond(200, CLAIMED)).poll("p1")).toEqual(CLAIMED);
  });

  it("refuses a claim it cannot use", async () => {
    const bad = { ...CLAIMED, jwks: { keys: [{ kty: "RSA" }] } };
    await expect(pairingApi("https://c.test", respond(200, bad)).poll("p1")).rejects.toThrow(/jwks/);
  });
});

describe("resolveWsUrl", () => {
  it("keeps absolute URLs and resolves paths with the page's scheme", () => {
    expect(resolveWsUrl("ws://127.0.0.1:8080/mqtt", "https://x.test")).toBe("ws://127.0.0.1:8080/mqtt");
    expect(resolveWsUrl("/mqtt", "https://gate.test")).toBe("wss://gate.test/mqtt");
    expect(resolveWsUrl("/mqtt", "http://127.0.0.1:8080")).toBe("ws://127.0.0.1:8080/mqtt");
  });
});
