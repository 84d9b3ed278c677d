import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  ApiClient,
  startTestController,
  TestClock,
  type TestController,
} from "../../testing/harness.ts";
import { FAILURES_PER_ADDRESS, FAILURES_PER_USER, FIRST_BACKOFF_MS, LOGIN_WINDOW_MS } from "../loginThrottle.ts";
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
    const put = await client.json("POST", "/api/v1/items", {
      id: "token-written",
      kind: "notice",
      category: "promotion",
      duration: 10,
      title: { vi: "Viết bằng mã", zh: "令牌" },
      body: { vi: "Viết bằng mã truy cập", zh: "令牌写入" },
    });
    expect(put.status).toBe(201);
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

  it("expires: 90 days by default, or as asked; then it is refused", async () => {
    const made = await editor.json<{ id: number; token: string; expiresAt: number }>("POST", "/api/v1/tokens", {
      name: "short-lived",
      expiresInDays: 2,
    });
    expect(made.status).toBe(201);
    expect(made.body.expiresAt).toBe(clock.now() + 2 * 86_400_000);
    const dflt = await editor.json<{ expiresAt: number }>("POST", "/api/v1/tokens", { name: "default expiry" });
    expect(dflt.body.expiresAt).toBe(clock.now() + 90 * 86_400_000);
    expect((await editor.json("POST", "/api/v1/tokens", { name: "forever", expiresInDays: 5000 })).status).toBe(400);
    expect((await bearer(made.body.token).json("GET", "/api/v1/auth/me")).status).toBe(200);
    clock.advance(2 * 86_400_000);
    const expired = await bearer(made.body.token).json<ErrorBody>("GET", "/api/v1/auth/me");
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe("invalid-token");
    // the sessions ended too (12 hours): log in again for the tests below
    admin = await loginAs(t.url);
    editor = await loginAs(t.url, "token-editor", passwordOf("token-editor"));
  });

  it("the list shows each token's expiry and when it was last used", async () => {
    const made = await editor.json<{ id: number; token: string }>("POST", "/api/v1/tokens", { name: "used once" });
    const created = clock.now();
    clock.advance(60_000);
    await bearer(made.body.token).json("GET", "/api/v1/draft");
    const own = await editor.json<{ id: number; expiresAt: number; lastUsedAt: number | null }[]>(
      "GET",
      "/api/v1/tokens",
    );
    expect(own.body.find((x) => x.id === made.body.id)).toMatchObject({
      expiresAt: created + 90 * 86_400_000,
      lastUsedAt: created + 60_000,
    });
  });

  it("a password reset revokes the account's tokens", async () => {
    const { client: owner, id } = await userWithRole(admin, "editor", "token-reset");
    const made = await owner.json<{ id: number; token: string }>("POST", "/api/v1/tokens", { name: "laptop" });
    expect((await bearer(made.body.token).json("GET", "/api/v1/auth/me")).status).toBe(200);
    expect((await admin.json("PATCH", `/api/v1/users/${id}`, { password: "a-brand-new-password" })).status).toBe(200);
    expect((await bearer(made.body.token).json("GET", "/api/v1/auth/me")).status).toBe(401);
    const all = await admin.json<{ id: number; revokedAt: number | null }[]>("GET", "/api/v1/tokens");
    expect(all.body.find((x) => x.id === made.body.id)?.revokedAt).toBe(clock.now());
  });

  it("an unknown bearer token is 401, not anonymous", async () => {
    expect((await bearer("gct_not-a-token").json("GET", "/api/v1/draft")).status).toBe(401);
  });
});

describe("login throttle", () => {
  /** A client behind the loopback proxy (trusted by default when HOST is loopback). */
  const from = (address: string) => ({ "x-forwarded-for": address });

  it(`after ${FAILURES_PER_USER} failures a username from one address backs off, doubling with each failure`, async () => {
    await userWithRole(admin, "viewer", "rate-limited");
    nextWindow();
    const a = from("203.0.113.7");
    for (let i = 0; i < FAILURES_PER_USER; i++)
      expect((await login("rate-limited", "bad-password-x", a)).status).toBe(401);
    const blocked = await login("rate-limited", "bad-password-x", a);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBe(FIRST_BACKOFF_MS / 1000);
    const right = await login("Rate-Limited", passwordOf("rate-limited"), a); // usernames ignore case
    expect(right.status).toBe(429);
    expect(right.headers.get("set-cookie")).toBeNull();

    // each further failure doubles the wait
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      clock.advance(Number((await login("rate-limited", "x-password-1", a)).headers.get("retry-after")) * 1000);
      const res = await login("rate-limited", "bad-password-x", a);
      expect(res.status).toBe(401);
      waits.push(Number((await login("rate-limited", "bad-password-x", a)).headers.get("retry-after")));
    }
    expect(waits).toEqual([2, 4, 8, 16]);
    clock.advance(16_000);
    expect((await login("rate-limited", passwordOf("rate-limited"), a)).status).toBe(200);
  });

  it("a stranger's guesses do not keep the account's owner out: the right password from a new address gets in", async () => {
    nextWindow();
    const stranger = from("198.51.100.66");
    for (let i = 0; i < FAILURES_PER_USER + 3; i++) await login("admin", "guessing-the-admin", stranger);
    expect((await login("admin", ADMIN_PASSWORD, stranger)).status).toBe(429);
    expect((await login("admin", ADMIN_PASSWORD, from("192.0.2.10"))).status).toBe(200);
    expect((await login("admin", ADMIN_PASSWORD)).status).toBe(200); // the proxy itself, another client
  });

  it(`backs off an address after ${FAILURES_PER_ADDRESS} failures across usernames, not other addresses`, async () => {
    nextWindow();
    const sprayer = from("198.51.100.99");
    for (let i = 0; i < FAILURES_PER_ADDRESS; i++)
      expect((await login(`spray-${i}`, "password-1234", sprayer)).status).toBe(401);
    expect((await login("spray-new", "password-1234", sprayer)).status).toBe(429);
    expect((await login("admin", ADMIN_PASSWORD, sprayer)).status).toBe(429);
    expect((await login("admin", ADMIN_PASSWORD, from("198.51.100.100"))).status).toBe(200);
    nextWindow();
    expect((await login("admin", ADMIN_PASSWORD, sprayer)).status).toBe(200);
  });

  it("reads the address through a chain of trusted proxies, and ignores what the client wrote left of them", async () => {
    nextWindow();
    // the client made up the first entry; the loopback proxy appended the address it saw
    for (let i = 0; i < FAILURES_PER_USER; i++)
      await login("admin", "bad-password-x", from(`10.9.9.${i}, 203.0.113.50, 127.0.0.1`));
    expect((await login("admin", ADMIN_PASSWORD, from("10.1.1.1, 203.0.113.50"))).status).toBe(429);
    expect((await login("admin", ADMIN_PASSWORD, from("203.0.113.51"))).status).toBe(200);
  });
});

describe("forwarding headers from a peer that is not a trusted proxy", () => {
  let direct: TestController;
  beforeAll(async () => {
    direct = await startTestController({ clock, env: { TRUSTED_PROXIES: "none" } });
  });
  afterAll(() => direct?.stop());

  const loginDirect = (password: string, headers: Record<string, string>) =>
    fetch(`${direct.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ username: "admin", password }),
    });

  it("a new X-Forwarded-For with each guess does not walk around the throttle", async () => {
    nextWindow();
    for (let i = 0; i < FAILURES_PER_USER; i++)
      expect((await loginDirect("bad-password-x", { "x-forwarded-for": `198.51.100.${i}` })).status).toBe(401);
    expect((await loginDirect(ADMIN_PASSWORD, { "x-forwarded-for": "198.51.100.200" })).status).toBe(429);
  });

  it("X-Forwarded-Proto: https does not make the cookie Secure", async () => {
    nextWindow();
    const res = await loginDirect(ADMIN_PASSWORD, { "x-forwarded-proto": "https" });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).not.toMatch(/Secure/);
  });
});
