import { describe, expect, it } from "vitest";
import { ConfigError, checkServeSettings, loadConfig } from "./config.ts";

describe("settings", () => {
  it("GATECAST_PUBLISH_CHUNK goes through the schema: a number is used, anything else stops start-up by name", () => {
    expect(loadConfig({}).publishChunk).toBe(50);
    expect(loadConfig({ GATECAST_PUBLISH_CHUNK: "200" }).publishChunk).toBe(200);
    for (const bad of ["fifty", "0", "-3", "2.5"]) {
      expect(() => loadConfig({ GATECAST_PUBLISH_CHUNK: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ GATECAST_PUBLISH_CHUNK: bad })).toThrow(/^GATECAST_PUBLISH_CHUNK: /);
    }
  });

  it("TRUSTED_PROXIES: loopback by default while HOST is loopback, none otherwise; bad entries named", () => {
    expect(loadConfig({}).trustedProxies).toEqual(["127.0.0.0/8", "::1"]);
    expect(loadConfig({ HOST: "0.0.0.0", PUBLIC_URL: "https://g.example" }).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.7" }).trustedProxies).toEqual([
      "10.0.0.0/8",
      "192.0.2.7",
    ]);
    expect(loadConfig({ TRUSTED_PROXIES: "none" }).trustedProxies).toEqual([]);
    expect(() => loadConfig({ TRUSTED_PROXIES: "proxy.example" })).toThrow(/^TRUSTED_PROXIES\.0: expected IP/);
  });

  it("serving beyond loopback needs PUBLIC_URL: start refuses, saying why", () => {
    expect(() => checkServeSettings(loadConfig({ HOST: "0.0.0.0" }))).toThrow(ConfigError);
    expect(() => checkServeSettings(loadConfig({ HOST: "0.0.0.0" }))).toThrow(/^PUBLIC_URL: required when HOST/);
    expect(() => checkServeSettings(loadConfig({ HOST: "0.0.0.0", PUBLIC_URL: "https://g.example" }))).not.toThrow();
    expect(() => checkServeSettings(loadConfig({ HOST: "127.0.0.1" }))).not.toThrow();
    expect(() => checkServeSettings(loadConfig({ HOST: "::1" }))).not.toThrow();
  });
});
