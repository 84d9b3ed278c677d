import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  ApiClient,
  startTestController,
  TestClock,
  type TestController,
} from "../../testing/harness.ts";
import { FAILURES_PER_ADDRESS, FAILURES_PER_USER, LOGIN_WINDOW_MS } from "../loginThrottle.ts";
import { type ErrorBody, loginAs, passwordOf, userWithRole } from "../testUsers.ts";

const clock = new TestClock();
let t: TestController;
let admin: ApiClient;

beforeAll(async () => {
  t = await startTestController({ clock });
  admin = await loginAs(t.url);
});
afterAll(() => t?.stop());

const login = (username: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${t.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ username, password }),
  });

/** Starts a fresh rate-limit window, so earlier failures in this file do not count. */
const nextWindow = () => clock.advance(LOGIN_WINDOW_MS);

describe("POST /api/v1/auth/login", () => {
  it("sets an HttpOnly, SameSite=Strict session cookie and returns the user and a CSRF token", async () => {
    const res = await login("admin", ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^gatecast_session=[A-Za-z0-9_-]{20,};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=43200/);
    expect(cookie).not.toMatch(/Secure/); // plain http on loopback
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      user: { id: expect.any(Number), username: "admin", role: "admin", displayName: "Quản trị viên" },
      csrfToken: expect.any(String),
    });
  });

  it("marks the cookie Secure when a proxy says the request came over https", async () => {
    const res = await login("admin", ADMIN_PASSWORD, { "x-forwarded-proto": "https" });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/; Secure/);
  });

  it("answers 401 with the same message for an unknown user and a wrong password", async () => {
    const unknown = await login("nobody-here", "whatever-password");
    const wrong = await login("admin", "not-the-password");
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.headers.get("set-cookie")).toBeNull();
    expect(await unknown.json()).toEqual(await wrong.json());
  });

  it("rejects a body without a password with the field named", async () => {
    const res = await fetch(`${t.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin" }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).issues?.map((i) => i.path)).toEqual(["password"]);
  });

  it("records logins and failed logins in the audit log, never the password", async () => {
    await login("admin", "wrong-password-for-audit");
    await login("admin", ADMIN_PASSWORD);
    const entries = t.controller.ctx.store.audit.list({ objectKind: "user", objectId: "admin", limit: 5 });
    const failed = entries.find((e) => e.action === "login-failed");
    const ok = entries.find((e) => e.action === "login");
    expect(failed).toMatchObject({ actor: "system", objectId: "admin", after: { address: expect.any(String) } });
    expect(ok).toMatchObject({ actor: "admin", objectId: "admin" });
    expect(JSON.stringify(entries)).not.toContain("wrong-password-for-audit");
    expect(JSON.stringify(entries)).not.toContain(ADMIN_PASSWORD);
  });
});

describe("GET /api/v1/auth/me and logout", () => {
  it("returns the session's user and CSRF token, and 401 without a session", async () => {
    const me = await admin.json<{ user: { username: string }; csrfToken: string }>("GET", "/api/v1/auth/me");
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe("admin");
    expect(me.body.csrfToken).toBe(admin.csrfToken);
    expect((await new ApiClient(t.url).json("GET", "/api/v1/auth/me")).status).toBe(401);
  });

  it("ends the session and clears its cookie", async () => {
    const client = await loginAs(t.url);
    const res = await client.request("POST", "/api/v1/auth/logout");
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toMatch(/^gatecast_session=;.*Max-Age=0/);
    expect((await client.json("GET", "/api/v1/auth/me")).status).toBe(401);
    expect((await admin.json("GET", "/api/v1/auth/me")).status).toBe(200); // other sessions live on
  });
});

describe("CSRF", () => {
  it("refuses a cookie-authenticated write without the X-CSRF-Token header", async () => {
    const client = await loginAs(t.url);
    const csrf = client.csrfToken;
    client.csrfToken = null;
    const r = await client.json<ErrorBody>("POST", "/api/v1/tokens", { name: "no csrf" });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe("csrf");
    client.csrfToken = "wrong-token";
    expect((await client.json("POST", "/api/v1/tokens", { name: "wrong csrf" })).status).toBe(403);
    client.csrfToken = csrf;
    expect((await client.json("POST", "/api/v1/tokens", { name: "with csrf" })).status).toBe(201);
  });
});

describe("API tokens", () => {
  let editor: ApiClient;
  let token: { id: number; name: string; token: string };

  beforeAll(async () => {
    editor = (await userWithRole(admin, "editor", "token-editor")).client;
    const r = await editor.json<typeof token>("POST", "/api/v1/tokens", { name: "ci deploy" });
    expect(r.status).toBe(201);
    token = r.body;
  });

  const bearer = (secret: string) => {
    const c = new ApiClient(t.url);
    c.bearer = secret;
    return c;
  };

  it("acts as its user, and writes without a CSRF token", async () => {
    expect(token.token).toMatch(/^gct_/);
    const client = bearer(token.token);
    const me = await client.json<{ user: { username: string; role: string }; csrfToken: null }>(
      "GET",
      "/api/v1/auth/me",
    );
    expect(me.body).toMatchObject({ user: { username: "token-editor", role: "editor" }, csrfToken: null });
    const hosts = await client.json<{ hosts: string[] }>("GET", "/api/v1/web-hosts");
    const put = await client.json("PUT", "/api/v1/web-hosts", { hosts: hosts.body.hosts });
    expect(put.status).toBe(200);
  });

  it("cannot mint more tokens", async () => {
    expect((await bearer(token.token).json("POST", "/api/v1/tokens", { name: "child" })).status).toBe(403);
  });

  it("lists a user's own tokens without secrets; an admin sees everyone's", async () => {
    const own = await editor.json<{ id: number; username: string }[]>("GET", "/api/v1/tokens");
    expect(own.body.map((x) => x.id)).toEqual([token.id]);
    expect(own.body[0]).toMatchObject({ name: "ci deploy", username: "token-editor", revokedAt: null });
    expect(JSON.stringify(own.body)).not.toContain(token.token);
    const all = await admin.json<{ id: number; username: string }[]>("GET", "/api/v1/tokens");
    expect(all.body.map((x) => x.id)).toContain(token.id);
    expect(new Set(all.body.map((x) => x.username)).size).toBeGreaterThan(1);
  });

  it("can be revoked by its owner only (others get 404), then stops working", async () => {
    const other = (await userWithRole(admin, "editor", "token-other")).client;
    expect((await other.json("DELETE", `/api/v1/tokens/${token.id}`)).status).toBe(404);
    expect((await editor.json("DELETE", `/api/v1/tokens/${token.id}`)).status).toBe(204);
    expect((await bearer(token.token).json("GET", "/api/v1/auth/me")).status).toBe(401);
    const revoke = t.controller.ctx.store.audit.list({ objectKind: "api-token", objectId: String(token.id) });
    expect(revoke[0]).toMatchObject({ actor: "token-editor", action: "revoke", after: { revokedAt: clock.now() } });
  });

  it("an admin may revoke anyone's token", async () => {
    const r = await editor.json<{ id: number }>("POST", "/api/v1/tokens", { name: "second" });
    expect((await admin.json("DELETE", `/api/v1/tokens/${r.body.id}`)).status).toBe(204);
  });

  it("an unknown bearer token is 401, not anonymous", async () => {
    expect((await bearer("gct_not-a-token").json("GET", "/api/v1/draft")).status).toBe(401);
  });
});

describe("login rate limit", () => {
  it(`refuses a username from an address after ${FAILURES_PER_USER} failures, the right password too, until the window passes`, async () => {
    await userWithRole(admin, "viewer", "rate-limited");
    nextWindow();
    for (let i = 0; i < FAILURES_PER_USER; i++)
      expect((await login("rate-limited", "bad-password-x")).status).toBe(401);
    const blocked = await login("rate-limited", "bad-password-x");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBe(LOGIN_WINDOW_MS / 1000);
    const right = await login("Rate-Limited", passwordOf("rate-limited")); // usernames ignore case
    expect(right.status).toBe(429);
    expect(right.headers.get("set-cookie")).toBeNull();
    expect((await login("admin", ADMIN_PASSWORD)).status).toBe(200); // other usernames are not locked out

    clock.advance(LOGIN_WINDOW_MS - 60_000);
    const later = await login("rate-limited", passwordOf("rate-limited"));
    expect(later.status).toBe(429);
    expect(Number(later.headers.get("retry-after"))).toBe(60);
    clock.advance(60_000);
    expect((await login("rate-limited", passwordOf("rate-limited"))).status).toBe(200);
  });

  it(`refuses an address after ${FAILURES_PER_ADDRESS} failures across usernames`, async () => {
    nextWindow();
    for (let i = 0; i < FAILURES_PER_ADDRESS; i++)
      expect((await login(`spray-${i}`, "password-1234")).status).toBe(401);
    expect((await login("spray-new", "password-1234")).status).toBe(429);
    expect((await login("admin", ADMIN_PASSWORD)).status).toBe(429);
    nextWindow();
    expect((await login("admin", ADMIN_PASSWORD)).status).toBe(200);
  });
});
