import { describe, expect, it } from "vitest";
import { mayUseClientId } from "./acl.ts";

describe("client ids a screen's login may use", () => {
  it("its own screen.<id>.<anything>, its bare username, and exactly the form kiosks built before", () => {
    for (const id of ["screen.a.kiosk", "screen.a.1f2e3d4c", "screen.a", "gatecast-a-deadbeef"])
      expect(mayUseClientId("a", id), id).toBe(true);
  });

  it("nothing that names another screen, however the ids are hyphenated", () => {
    for (const id of [
      "screen.a-b.kiosk", // screen a-b's
      "screen.b.a",
      "screen.ab",
      "gatecast-a-b-deadbeef", // screen a-b's legacy id
      "gatecast-a-deadbee",
      "gatecast-a-DEADBEEF",
      "gatecast-a-deadbeef0",
      "mqttjs_12ab34cd",
      "",
    ])
      expect(mayUseClientId("a", id), id).toBe(false);
    expect(mayUseClientId("a-b", "gatecast-a-b-deadbeef")).toBe(true);
  });
});
