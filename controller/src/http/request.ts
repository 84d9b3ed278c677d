import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context as HonoContext } from "hono";
import { AppError } from "../errors.ts";
import type { User } from "../store/users.ts";
import type { Env } from "./auth.ts";

/**
 * The peer address of the TCP connection. X-Forwarded-For is not trusted: anyone could send a new one
 * with each request and walk around the login rate limit.
 */
export function clientAddress(c: HonoContext<Env>): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // no Node bindings (app.request() in unit tests)
    return "unknown";
  }
}

/** True when the browser reached us over TLS, directly or through a proxy that says so. */
export function isHttps(c: HonoContext<Env>): boolean {
  const forwarded = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https" || new URL(c.req.url).protocol === "https:";
}

/** The logged-in caller of a route declared with a role (Api.handle has already answered 401 otherwise). */
export function caller(user: User | null): User {
  if (!user) throw new AppError("unauthenticated", "log in first");
  return user;
}

/** The origin the caller used to reach us, for URLs we hand back (pairing credentials). */
export function requestOrigin(c: HonoContext<Env>, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl;
  const url = new URL(c.req.url);
  const proto = isHttps(c) ? "https" : url.protocol.replace(":", "");
  return `${proto}://${c.req.header("host") ?? url.host}`;
}
