import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { Context } from "../../context.ts";
import { Role, SESSION_TTL_MS, type User } from "../../store/users.ts";
import type { Api } from "../api.ts";
import { audit } from "../audit.ts";
import { clearSessionCookie, setSessionCookie } from "../cookies.ts";
import { HttpError, notFound } from "../errors.ts";
import { LoginThrottle } from "../loginThrottle.ts";
import { IntIdParams } from "../params.ts";
import { caller, clientAddress, isHttps } from "../request.ts";

const TAG = "auth";

const LoginBody = z.strictObject({
  username: z.string().trim().min(1, { error: "required" }).max(200),
  password: z.string().min(1, { error: "required" }).max(1024),
});

const PublicUser = z.object({ id: z.int(), username: z.string(), role: Role, displayName: z.string().nullable() });
const SessionInfo = z.object({ user: PublicUser, csrfToken: z.string().nullable() });

export const publicUser = (u: User): z.infer<typeof PublicUser> => ({
  id: u.id,
  username: u.username,
  role: u.role,
  displayName: u.displayName,
});

const WRONG_CREDENTIALS = "wrong username or password";

export function registerAuthRoutes(api: Api, ctx: Context): void {
  registerSessionRoutes(api, ctx);
  registerTokenRoutes(api, ctx);
}

function registerSessionRoutes(api: Api, ctx: Context): void {
  const throttle = new LoginThrottle();
  const secure = (c: Parameters<typeof isHttps>[0]) => isHttps(c) || !!ctx.config.publicUrl?.startsWith("https:");

  api.route(
    {
      method: "post",
      path: "/api/v1/auth/login",
      summary: "Log in: sets the session cookie and returns the CSRF token for writes",
      tag: TAG,
      role: null,
      body: LoginBody,
      response: { description: "the user and the CSRF token", schema: SessionInfo },
    },
    async (c, { body }) => {
      const now = ctx.clock.now();
      const address = clientAddress(c);
      const retryAfterS = throttle.retryAfterS(body.username, address, now);
      if (retryAfterS !== null) {
        ctx.log.warn({ username: body.username, address }, "login refused: too many failures");
        throw new HttpError(429, "too many failed logins; try again later", undefined, {
          "Retry-After": String(retryAfterS),
        });
      }
      const user = ctx.store.users.checkPassword(body.username, body.password);
      if (!user) {
        const delayMs = throttle.failed(body.username, address, now);
        audit(ctx, null, "login-failed", "user", body.username, null, { address });
        await sleep(delayMs);
        throw new HttpError(401, WRONG_CREDENTIALS);
      }
      throttle.succeeded(body.username, address);
      const session = ctx.store.users.createSession(user.id, now);
      setSessionCookie(c, session.token, { secure: secure(c), maxAgeS: Math.floor(SESSION_TTL_MS / 1000) });
      audit(ctx, user, "login", "user", user.username, null, { address });
      return c.json({ user: publicUser(user), csrfToken: session.csrfToken });
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/auth/logout",
      summary: "Log out: ends the session and clears its cookie",
      tag: TAG,
      role: "viewer",
      response: { status: 204, description: "logged out" },
    },
    (c, { user }) => {
      const token = c.get("auth")?.sessionToken;
      if (token) ctx.store.users.deleteSession(token);
      clearSessionCookie(c, secure(c));
      audit(ctx, caller(user), "logout", "user", caller(user).username, null, null);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/auth/me",
      summary: "Who is logged in, with the session's CSRF token (null for API tokens)",
      tag: TAG,
      role: "viewer",
      response: { description: "the user and the CSRF token", schema: SessionInfo },
    },
    (c, { user }) => c.json({ user: publicUser(caller(user)), csrfToken: c.get("auth")?.csrfToken ?? null }),
  );
}

function registerTokenRoutes(api: Api, ctx: Context): void {
  api.route(
    {
      method: "get",
      path: "/api/v1/tokens",
      summary: "API tokens: your own; an admin sees everyone's",
      tag: TAG,
      role: "viewer",
      response: { description: "tokens without their secret" },
    },
    (c, { user }) => {
      const me = caller(user);
      const names = new Map(ctx.store.users.list().map((u) => [u.id, u.username]));
      const tokens = ctx.store.users.listApiTokens(me.role === "admin" ? undefined : me.id);
      return c.json(tokens.map((t) => ({ ...t, username: names.get(t.userId) ?? null })));
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/tokens",
      summary: "Create an API token that acts as you; its secret is shown only in this answer",
      tag: TAG,
      role: "viewer",
      body: z.strictObject({ name: z.string().trim().min(1, { error: "must not be empty" }).max(100) }),
      response: {
        status: 201,
        description: "`{id, name, token}`",
        schema: z.object({ id: z.int(), name: z.string(), token: z.string() }),
      },
    },
    (c, { body, user }) => {
      const me = caller(user);
      // a leaked token must not be able to mint more of itself
      if (c.get("auth")?.via !== "session") throw new HttpError(403, "API tokens are created from a logged-in session");
      const created = ctx.store.users.createApiToken(me.id, body.name, ctx.clock.now());
      audit(ctx, me, "create", "api-token", created.id, null, { name: body.name, user: me.username });
      return c.json({ id: created.id, name: body.name, token: created.token }, 201);
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/tokens/:id",
      summary: "Revoke an API token (your own; an admin may revoke anyone's)",
      tag: TAG,
      role: "viewer",
      params: IntIdParams,
      response: { status: 204, description: "revoked" },
    },
    (c, { params, user }) => {
      const me = caller(user);
      const token = ctx.store.users
        .listApiTokens(me.role === "admin" ? undefined : me.id)
        .find((t) => t.id === params.id);
      // someone else's token is "not found" too: its existence is none of the caller's business
      if (!token) throw notFound(`API token ${params.id}`);
      const now = ctx.clock.now();
      if (ctx.store.users.revokeApiToken(token.id, now))
        audit(
          ctx,
          me,
          "revoke",
          "api-token",
          token.id,
          { name: token.name, revokedAt: null },
          { name: token.name, revokedAt: now },
        );
      return c.body(null, 204);
    },
  );
}
