import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context as HonoContext, MiddlewareHandler } from "hono";
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";
import type { User } from "../store/users.ts";
import type { Env } from "./auth.ts";
import { TrustedProxies } from "./proxies.ts";

/** Who is on the other end, worked out once per request from the peer and trusted proxies' headers. */
export interface ClientInfo {
  address: string;
  https: boolean;
}

/**
 * Sets the request's client: the TCP peer, or, when the peer is a trusted proxy (TRUSTED_PROXIES), the
 * address in X-Forwarded-For and the scheme in X-Forwarded-Proto. From anyone else those headers are
 * ignored: they could send new ones with each request and walk around the login throttle.
 */
export function identifyClient(config: Pick<Config, "trustedProxies">): MiddlewareHandler<Env> {
  const proxies = new TrustedProxies(config.trustedProxies);
  return async (c, next) => {
    const peer = peerAddress(c);
    c.set("client", {
      address: proxies.clientAddress(peer, c.req.header("x-forwarded-for")),
      https:
        new URL(c.req.url).protocol === "https:" || proxies.forwardedHttps(peer, c.req.header("x-forwarded-proto")),
    });
    await next();
  };
}

function peerAddress(c: HonoContext<Env>): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // no Node bindings (app.request() in unit tests)
    return "unknown";
  }
}

/** The client's address (see `identifyClient`). */
export function clientAddress(c: HonoContext<Env>): string {
  return c.get("client")?.address ?? peerAddress(c);
}

/** True when the browser reached us over TLS, directly or through a trusted proxy that says so. */
export function isHttps(c: HonoContext<Env>): boolean {
  return c.get("client")?.https ?? new URL(c.req.url).protocol === "https:";
}

/** The logged-in caller of a route declared with a role (Api.handle has already answered 401 otherwise). */
export function caller(user: User | null): User {
  if (!user) throw new AppError("unauthenticated", "log in first");
  return user;
}

/**
 * The origin for URLs we hand back (the broker's address in pairing credentials): PUBLIC_URL, or
 * without it (allowed only when listening on loopback) the address the connection actually arrived
 * at. Never the Host header: that is the client's to choose.
 */
export function requestOrigin(c: HonoContext<Env>, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl;
  const socket = c.env?.incoming?.socket;
  const url = new URL(c.req.url);
  const address = socket?.localAddress;
  if (!address || !socket?.localPort) return `${url.protocol}//127.0.0.1${url.port ? `:${url.port}` : ""}`;
  const host =
    address.includes(":") && !address.startsWith("::ffff:") ? `[${address}]` : address.replace(/^::ffff:/, "");
  return `${url.protocol}//${host}:${socket.localPort}`;
}
