import { BlockList, isIP } from "node:net";

/** Loopback, the default proxy when the controller listens on loopback (Caddy or nginx on the same host). */
export const LOOPBACK_PROXIES = ["127.0.0.0/8", "::1"];

/** `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or `v6/n`: what TRUSTED_PROXIES lists. */
export function isProxyEntry(entry: string): boolean {
  const [addr = "", bits, ...rest] = entry.split("/");
  const family = isIP(addr);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
export function normalizeAddress(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return mapped?.[1] ?? a;
}

/**
 * The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed. Anyone else could send new
 * ones with each request and walk around the login throttle, or claim https.
 */
export class TrustedProxies {
  private readonly list = new BlockList();

  constructor(readonly entries: readonly string[]) {
    for (const e of entries) {
      const [addr = "", bits] = e.split("/");
      const type = isIP(addr) === 6 ? "ipv6" : "ipv4";
      if (bits === undefined) this.list.addAddress(addr, type);
      else this.list.addSubnet(addr, Number(bits), type);
    }
  }

  trusts(address: string): boolean {
    const a = normalizeAddress(address);
    const family = isIP(a);
    return family !== 0 && this.list.check(a, family === 6 ? "ipv6" : "ipv4");
  }

  /**
   * The client's address: the peer itself unless it is a trusted proxy; then X-Forwarded-For read from
   * the right (each proxy appends the address it saw), skipping trusted proxies, up to the first one
   * that is not. Entries left of that were written by the client and mean nothing.
   */
  clientAddress(peer: string, forwardedFor: string | undefined): string {
    let address = normalizeAddress(peer);
    if (!forwardedFor || !this.trusts(address)) return address;
    const hops = forwardedFor.split(",").map(normalizeAddress).reverse();
    for (const hop of hops) {
      if (!isIP(hop)) return address;
      address = hop;
      if (!this.trusts(hop)) return hop;
    }
    return address;
  }

  /** The scheme the browser used: X-Forwarded-Proto counts only from a trusted proxy. */
  forwardedHttps(peer: string, forwardedProto: string | undefined): boolean {
    return this.trusts(peer) && forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https";
  }
}

export const isLoopbackHost = (host: string): boolean =>
  host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
