import type { Context as HonoContext } from "hono";
import type { Env } from "./auth.ts";

/** The peer address of the TCP connection (behind a proxy: the proxy; see deploy/ for trusting X-Forwarded-For). */
export function clientAddress(c: HonoContext<Env>): string {
  return c.env?.incoming?.socket?.remoteAddress ?? "unknown";
}

/** The origin the caller used to reach us, for URLs we hand back (pairing credentials). */
export function requestOrigin(c: HonoContext<Env>, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl;
  const url = new URL(c.req.url);
  const proto = c.req.header("x-forwarded-proto") ?? url.protocol.replace(":", "");
  return `${proto}://${c.req.header("host") ?? url.host}`;
}
