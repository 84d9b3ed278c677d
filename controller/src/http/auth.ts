import { type Role, roleAtLeast } from "@gatecast/playlists";
import type { TokenBinding } from "@gatecast/playlists/api";
import type { HttpBindings } from "@hono/node-server";
import type { Context as HonoContext, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Context } from "../context.ts";
import { AppError } from "../errors.ts";
import type { User } from "../store/users.ts";

export const SESSION_COOKIE = "gatecast_session";

export interface AuthInfo {
  user: User;
  /** "session" writes must carry the CSRF token; bearer tokens are not sent by browsers on their own. */
  via: "session" | "token";
  csrfToken: string | null;
  sessionToken: string | null;
  /** Whether the login still holds (not logged out, revoked or disabled): long streams ask again. */
  stillValid(now: number): boolean;
  /** A token bound to an agency and its gates: it opens only the routes that take one (CAP import). */
  binding: TokenBinding | null;
}

export type Env = {
  Bindings: HttpBindings;
  Variables: { auth: AuthInfo | null; client: { address: string; https: boolean } };
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Works out who is calling (session cookie or bearer token) and enforces CSRF on cookie writes. */
export function authenticate(ctx: Context): MiddlewareHandler<Env> {
  return async (c, next) => {
    const now = ctx.clock.now();
    let auth: AuthInfo | null = null;
    const header = c.req.header("authorization");
    if (header?.startsWith("Bearer ")) {
      const secret = header.slice(7).trim();
      const user = ctx.store.users.apiTokenUser(secret, now);
      if (!user) throw new AppError("invalid-token", "invalid, expired or revoked API token");
      auth = {
        user,
        via: "token",
        csrfToken: null,
        sessionToken: null,
        stillValid: (at) => ctx.store.users.apiTokenValid(secret, at),
        binding: ctx.store.users.apiTokenBinding(secret),
      };
    } else {
      const token = getCookie(c, SESSION_COOKIE);
      const session = token ? ctx.store.users.session(token, now) : undefined;
      if (session && token)
        auth = {
          user: session.user,
          via: "session",
          csrfToken: session.csrfToken,
          sessionToken: token,
          stillValid: (at) => ctx.store.users.session(token, at) !== undefined,
          binding: null,
        };
    }
    if (auth?.via === "session" && !SAFE_METHODS.has(c.req.method)) {
      if (c.req.header("x-csrf-token") !== auth.csrfToken)
        throw new AppError("csrf", "missing or wrong X-CSRF-Token header");
    }
    c.set("auth", auth);
    await next();
  };
}

/**
 * The caller, who must hold at least `role`: 401 when not logged in, 403 when the role is too low. A
 * token bound to an agency passes only where the route takes one (`boundToken`), whatever its role.
 */
export function requireRole(c: HonoContext<Env>, role: Role, opts: { boundToken?: boolean } = {}): User {
  const auth = c.get("auth");
  if (!auth) throw new AppError("unauthenticated", "log in first");
  if (auth.binding) {
    if (opts.boundToken) return auth.user;
    throw new AppError("token-bound", `this token is bound to ${auth.binding.agency}: it only sends CAP messages`, {
      params: { agency: auth.binding.agency },
    });
  }
  if (!roleAtLeast(auth.user.role, role))
    throw new AppError("forbidden", `needs the ${role} role (you are ${auth.user.role})`, {
      params: { need: role, have: auth.user.role },
    });
  return auth.user;
}
