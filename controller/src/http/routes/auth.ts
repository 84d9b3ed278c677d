import { setTimeout as sleep } from "node:timers/promises";
import { routes } from "@gatecast/playlists/api";
import { audit } from "../../audit.ts";
import type { Context } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { SESSION_TTL_MS, type User } from "../../store/users.ts";
import { changeOwnPassword, createToken, listTokens, revokeToken } from "../../usecases/users.ts";
import type { Api } from "../api.ts";
import { clearSessionCookie, setSessionCookie } from "../cookies.ts";
import { LoginThrottle } from "../loginThrottle.ts";
import { caller, clientAddress, isHttps } from "../request.ts";

export const publicUser = (u: User) => ({
  id: u.id,
  username: u.username,
  role: u.role,
  displayName: u.displayName,
  ...(u.scope ? { scope: u.scope } : {}),
});

export function registerAuthRoutes(api: Api, ctx: Context): void {
  registerSessionRoutes(api, ctx);
  registerTokenRoutes(api, ctx);
}

function registerSessionRoutes(api: Api, ctx: Context): void {
  const throttle = new LoginThrottle();
  const secure = (c: Parameters<typeof isHttps>[0]) => isHttps(c) || !!ctx.config.publicUrl?.startsWith("https:");

  api.handle(routes.auth.login, async ({ body, c }) => {
    const now = ctx.clock.now();
    const address = clientAddress(c);
    const retryAfterS = throttle.retryAfterS(body.username, address, now);
    if (retryAfterS !== null) {
      ctx.log.warn({ username: body.username, address }, "login refused: too many failures");
      throw new AppError("rate-limited", "too many failed logins; try again later", {
        params: { retryAfterS, scope: "login" },
        headers: { "Retry-After": String(retryAfterS) },
      });
    }
    const user = ctx.store.users.checkPassword(body.username, body.password);
    if (!user) {
      const delayMs = throttle.failed(body.username, address, now);
      audit(ctx, null, "login-failed", "user", body.username, null, { address });
      await sleep(delayMs);
      throw new AppError("wrong-credentials", "wrong username or password");
    }
    throttle.succeeded(body.username, address);
    const session = ctx.store.users.createSession(user.id, now);
    setSessionCookie(c, session.token, { secure: secure(c), maxAgeS: Math.floor(SESSION_TTL_MS / 1000) });
    audit(ctx, user, "login", "user", user.username, null, { address });
    return { user: publicUser(user), csrfToken: session.csrfToken };
  });

  api.handle(routes.auth.logout, ({ user, c }) => {
    const token = c.get("auth")?.sessionToken;
    if (token) ctx.store.users.deleteSession(token);
    clearSessionCookie(c, secure(c));
    audit(ctx, caller(user), "logout", "user", caller(user).username, null, null);
  });

  api.handle(routes.auth.password, ({ body, user, c }) => {
    const me = caller(user);
    changeOwnPassword(ctx, me, body.current, body.password);
    // the change ended every session of the account: this one goes on as a new session
    if (c.get("auth")?.via !== "session") return { user: publicUser(me), csrfToken: null };
    const session = ctx.store.users.createSession(me.id, ctx.clock.now());
    setSessionCookie(c, session.token, { secure: secure(c), maxAgeS: Math.floor(SESSION_TTL_MS / 1000) });
    return { user: publicUser(me), csrfToken: session.csrfToken };
  });

  api.handle(routes.auth.me, ({ user, c }) => ({
    user: publicUser(caller(user)),
    csrfToken: c.get("auth")?.csrfToken ?? null,
  }));
}

function registerTokenRoutes(api: Api, ctx: Context): void {
  api.handle(routes.tokens.list, ({ user }) => listTokens(ctx, caller(user)));
  api.handle(routes.tokens.create, ({ body, user, c }) => {
    // a leaked token must not be able to mint more of itself
    if (c.get("auth")?.via !== "session")
      throw new AppError("session-required", "API tokens are created from a logged-in session");
    return createToken(ctx, caller(user), body.name, body.expiresInDays, body.binding ?? null);
  });
  api.handle(routes.tokens.revoke, ({ params, user }) => {
    revokeToken(ctx, caller(user), params.id);
  });
}
