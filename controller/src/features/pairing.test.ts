import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { TestClock } from "../testing/harness.ts";
import { PAIRING_TTL_MS, Pairings } from "./pairing.ts";

const ORIGIN = "https://gatecast.example";

function pairings(max: number, clock = new TestClock()) {
  const ctx = { clock } as unknown as ConstructorParameters<typeof Pairings>[0];
  const endpoints = () => ({ url: "mqtt://broker", wsUrl: "wss://broker/mqtt" });
  return { p: new Pairings(ctx, endpoints, max), clock };
}

describe("pairing slots", () => {
  it("a flood of pairings nobody polls does not keep a real kiosk out: the oldest unpolled one goes", () => {
    const { p } = pairings(5);
    const kiosk = p.create();
    expect(p.poll(kiosk.pairingId, ORIGIN)?.status).toBe("pending");
    const flood = Array.from({ length: 20 }, () => p.create());
    // the kiosk that polls keeps its code; the flood only pushes out itself
    expect(p.poll(kiosk.pairingId, ORIGIN)).toMatchObject({ status: "pending", code: kiosk.code });
    expect(p.isOpen(kiosk.code)).toBe(true);
    const newcomer = p.create();
    expect(p.poll(newcomer.pairingId, ORIGIN)?.status).toBe("pending");
    // the oldest flood entries were evicted first, the newest still stand
    expect(p.poll(flood[0]?.pairingId ?? "", ORIGIN)).toBeUndefined();
    expect(p.isOpen(flood[19]?.code ?? "")).toBe(true);
  });

  it("answers 503 busy with Retry-After only when every slot is a kiosk that polls", () => {
    const { p, clock } = pairings(3);
    const open = [p.create(), p.create(), p.create()];
    for (const o of open) p.poll(o.pairingId, ORIGIN);
    clock.advance(60_000);
    let err: unknown;
    try {
      p.create();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe("busy");
    const retryAfterS = (PAIRING_TTL_MS - 60_000) / 1000;
    expect(e.params).toEqual({ retryAfterS, scope: "pairing" });
    expect(e.headers).toEqual({ "Retry-After": String(retryAfterS) });
    // once the first expires, a slot frees up
    clock.advance(PAIRING_TTL_MS);
    expect(p.create().code).toMatch(/^[A-Z0-9]{6}$/);
  });
});
