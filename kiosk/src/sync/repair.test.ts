import { describe, expect, it } from "vitest";
import { REFUSALS_BEFORE_REPAIR, RepairPolicy } from "./repair.ts";

describe("RepairPolicy: when a kiosk pairs again", () => {
  it(`after ${REFUSALS_BEFORE_REPAIR} refused logins in a row, with nothing to play`, () => {
    const p = new RepairPolicy();
    for (let i = 1; i < REFUSALS_BEFORE_REPAIR; i++) expect(p.refused(5, false)).toBe(false);
    expect(p.refused(4, false)).toBe(true);
  });

  it("never while it has a manifest to play: a misconfigured broker must not blank a fleet", () => {
    const p = new RepairPolicy();
    for (let i = 0; i < 2 * REFUSALS_BEFORE_REPAIR; i++) expect(p.refused(5, true)).toBe(false);
  });

  it("only for codes that refuse the credentials, not for a busy or unavailable broker", () => {
    const p = new RepairPolicy();
    for (let i = 0; i < 2 * REFUSALS_BEFORE_REPAIR; i++) expect(p.refused(3, false)).toBe(false); // server unavailable
    expect(p.refused(137, false)).toBe(false); // MQTT 5: server busy
  });

  it("counts again from zero after an accepted connection", () => {
    const p = new RepairPolicy();
    for (let i = 1; i < REFUSALS_BEFORE_REPAIR; i++) p.refused(135, false);
    p.connected();
    expect(p.refused(135, false)).toBe(false);
  });
});
