import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("settings", () => {
  it("GATECAST_PUBLISH_CHUNK goes through the schema: a number is used, anything else stops start-up by name", () => {
    expect(loadConfig({}).publishChunk).toBe(50);
    expect(loadConfig({ GATECAST_PUBLISH_CHUNK: "200" }).publishChunk).toBe(200);
    for (const bad of ["fifty", "0", "-3", "2.5"]) {
      expect(() => loadConfig({ GATECAST_PUBLISH_CHUNK: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ GATECAST_PUBLISH_CHUNK: bad })).toThrow(/^GATECAST_PUBLISH_CHUNK: /);
    }
  });
});
