import { describe, expect, it } from "vitest";
import { isProxyEntry, TrustedProxies } from "./proxies.ts";

describe("TRUSTED_PROXIES", () => {
  const proxies = new TrustedProxies(["127.0.0.0/8", "::1", "10.20.0.0/16"]);

  it("accepts addresses and CIDRs, and nothing else", () => {
    for (const ok of ["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8", "192.0.2.1/32"])
      expect(isProxyEntry(ok)).toBe(true);
    for (const bad of ["localhost", "10.0.0.0/33", "::1/129", "10.0.0/8", "1.2.3.4/8/1", "1.2.3.4/x"])
      expect(isProxyEntry(bad)).toBe(false);
  });

  it("takes the client from X-Forwarded-For only through a trusted peer", () => {
    expect(proxies.clientAddress("127.0.0.1", "203.0.113.9")).toBe("203.0.113.9");
    expect(proxies.clientAddress("::ffff:127.0.0.1", "203.0.113.9")).toBe("203.0.113.9");
    expect(proxies.clientAddress("198.51.100.1", "203.0.113.9")).toBe("198.51.100.1");
    expect(proxies.clientAddress("127.0.0.1", undefined)).toBe("127.0.0.1");
  });

  it("reads the chain from the right, past trusted hops, ignoring what the client wrote before them", () => {
    expect(proxies.clientAddress("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.20.3.4")).toBe("203.0.113.9");
    expect(proxies.clientAddress("127.0.0.1", "not-an-ip, 10.20.3.4")).toBe("10.20.3.4");
    expect(proxies.clientAddress("127.0.0.1", "10.20.3.4")).toBe("10.20.3.4");
  });

  it("believes X-Forwarded-Proto only from a trusted peer", () => {
    expect(proxies.forwardedHttps("127.0.0.1", "https")).toBe(true);
    expect(proxies.forwardedHttps("127.0.0.1", "http")).toBe(false);
    expect(proxies.forwardedHttps("198.51.100.1", "https")).toBe(false);
    expect(new TrustedProxies([]).forwardedHttps("127.0.0.1", "https")).toBe(false);
  });
});
