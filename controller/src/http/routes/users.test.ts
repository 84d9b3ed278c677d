import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, startTestController, type TestController } from "../../testing/harness.ts";
import { type ErrorBody, loginAs, passwordOf, userWithRole } from "../testUsers.ts";

interface UserOut {
  id: number;
  username: string;
  role: string;
  displayName: string | null;
  createdAt: number;
  disabled: boolean;
}

let t: TestController;
let admin: ApiClient;
let adminId: number;

beforeAll(async () => {
  t = await startTestController();
  admin = await loginAs(t.url);
  adminId = (await admin.json<{ user: { id: number } }>("GET", "/api/v1/auth/me")).body.user.id;
});
afterAll(() => t?.stop());

const users = () => t.controller.ctx.store.users.list();

describe("roles", () => {
  it("only admins manage users: 401 without a session, 403 below admin", async () => {
    expect((await new ApiClient(t.url).json("GET", "/api/v1/users")).status).toBe(401);
    const { client: approver } = await userWithRole(admin, "approver", "role-approver");
    const r = await approver.json<ErrorBody>("GET", "/api/v1/users");
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: "forbidden", params: { need: "admin", have: "approver" } });
    expect(
      (await approver.json("POST", "/api/v1/users", { username: "x1", password: "x".repeat(12), role: "admin" }))
        .status,
    ).toBe(403);
  });
});

describe("GET /api/v1/users", () => {
  it("lists accounts without password hashes", async () => {
    const r = await admin.json<UserOut[]>("GET", "/api/v1/users");
    expect(r.status).toBe(200);
    expect(r.body.map((u) => u.username)).toContain("admin");
    for (const u of r.body)
      expect(Object.keys(u).sort()).toEqual([
        "createdAt",
        "disabled",
        "displayName",
        "id",
        "role",
        "scope",
        "username",
      ]);
    expect(JSON.stringify(r.body)).not.toMatch(/scrypt|hash/i);
  });
});

describe("POST /api/v1/users", () => {
  it("creates an account that can log in, and audits it without the password", async () => {
    const r = await admin.json<UserOut>("POST", "/api/v1/users", {
      username: "new-editor",
      password: passwordOf("new-editor"),
      role: "editor",
      displayName: "Biên tập viên",
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      username: "new-editor",
      role: "editor",
      displayName: "Biên tập viên",
      disabled: false,
    });
    expect((await new ApiClient(t.url).login("new-editor", passwordOf("new-editor"))).status).toBe(200);
    const [entry] = t.controller.ctx.store.audit
      .list({ objectKind: "user", objectId: "new-editor", limit: 10 })
      .filter((e) => e.action === "create");
    expect(entry).toMatchObject({ actor: "admin", before: null, after: { username: "new-editor", role: "editor" } });
    expect(JSON.stringify(entry)).not.toContain(passwordOf("new-editor"));
  });

  it("refuses a short password, an unknown role and a bad username, naming each field, and stores nothing", async () => {
    const before = users();
    const r = await admin.json<ErrorBody>("POST", "/api/v1/users", {
      username: "-bad name",
      password: "short",
      role: "boss",
    });
    expect(r.status).toBe(400);
    expect(r.body.issues?.map((i) => i.path).sort()).toEqual(["password", "role", "username"]);
    expect(r.body.issues?.find((i) => i.path === "password")).toMatchObject({
      code: "too_small",
      params: { minimum: 12 },
    });
    expect(users()).toEqual(before);
  });

  it("refuses a taken username, whatever its case", async () => {
    const r = await admin.json("POST", "/api/v1/users", {
      username: "ADMIN",
      password: "a-long-password-1",
      role: "viewer",
    });
    expect(r.status).toBe(409);
  });
});

describe("PATCH /api/v1/users/:id", () => {
  it("changes role and display name, with before and after in the audit log", async () => {
    const { id } = await userWithRole(admin, "viewer", "promote-me");
    const r = await admin.json<UserOut>("PATCH", `/api/v1/users/${id}`, { role: "approver", displayName: "Phê duyệt" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id, role: "approver", displayName: "Phê duyệt" });
    const [entry] = t.controller.ctx.store.audit.list({ objectKind: "user", objectId: "promote-me", limit: 1 });
    expect(entry).toMatchObject({
      action: "update",
      actor: "admin",
      before: { role: "viewer", displayName: null },
      after: { role: "approver", displayName: "Phê duyệt" },
    });
  });

  it("a new password ends the account's sessions; the new one works", async () => {
    const { client, id } = await userWithRole(admin, "editor", "change-pw");
    const r = await admin.json<UserOut>("PATCH", `/api/v1/users/${id}`, { password: "brand-new-password-1" });
    expect(r.status).toBe(200);
    expect((await client.json("GET", "/api/v1/auth/me")).status).toBe(401);
    expect((await new ApiClient(t.url).login("change-pw", passwordOf("change-pw"))).status).toBe(401);
    expect((await new ApiClient(t.url).login("change-pw", "brand-new-password-1")).status).toBe(200);
    const [entry] = t.controller.ctx.store.audit
      .list({ objectKind: "user", objectId: "change-pw" })
      .filter((e) => e.action === "reset-password");
    expect(entry?.after).toMatchObject({ passwordChanged: true });
    expect(JSON.stringify(entry)).not.toContain("brand-new-password-1");
  });

  it("disabling an account ends its sessions and refuses its logins", async () => {
    const { client, id } = await userWithRole(admin, "viewer", "to-disable");
    expect((await admin.json("PATCH", `/api/v1/users/${id}`, { disabled: true })).status).toBe(200);
    expect((await client.json("GET", "/api/v1/auth/me")).status).toBe(401);
    expect((await new ApiClient(t.url).login("to-disable", passwordOf("to-disable"))).status).toBe(401);
  });

  it("refuses an empty patch, a short password and an unknown or malformed id", async () => {
    expect((await admin.json<ErrorBody>("PATCH", `/api/v1/users/${adminId}`, {})).status).toBe(400);
    const short = await admin.json<ErrorBody>("PATCH", `/api/v1/users/${adminId}`, { password: "short" });
    expect(short.body.issues?.map((i) => i.path)).toEqual(["password"]);
    expect((await admin.json("PATCH", "/api/v1/users/99999", { displayName: "x" })).status).toBe(404);
    const bad = await admin.json<ErrorBody>("PATCH", "/api/v1/users/abc", { displayName: "x" });
    expect(bad.status).toBe(400);
    expect(bad.body.issues?.map((i) => i.path)).toEqual(["id"]);
  });
});

describe("POST /api/v1/auth/password", () => {
  it("everyone changes their own: the current one is checked, other sessions end, this one goes on", async () => {
    const { client } = await userWithRole(admin, "viewer", "own-pw");
    const other = new ApiClient(t.url);
    await other.login("own-pw", passwordOf("own-pw"));
    const wrong = await client.json<ErrorBody>("POST", "/api/v1/auth/password", {
      current: "not-it",
      password: "my-own-new-password",
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.issues?.map((i) => [i.path, i.code])).toEqual([["current", "wrong-password"]]);
    const short = await client.json<ErrorBody>("POST", "/api/v1/auth/password", {
      current: passwordOf("own-pw"),
      password: "short",
    });
    expect(short.body.issues?.map((i) => [i.path, i.code])).toEqual([["password", "too_small"]]);

    const res = await client.request("POST", "/api/v1/auth/password", {
      current: passwordOf("own-pw"),
      password: "my-own-new-password",
    });
    expect(res.status).toBe(200);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    client.csrfToken = csrfToken;
    // the answer's cookie is the new session
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const me = await fetch(`${t.url}/api/v1/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await other.json("GET", "/api/v1/auth/me")).status).toBe(401);
    expect((await new ApiClient(t.url).login("own-pw", "my-own-new-password")).status).toBe(200);
    const entry = t.controller.ctx.store.audit
      .list({ objectKind: "user", objectId: "own-pw" })
      .find((e) => e.action === "change-password");
    expect(entry).toMatchObject({ actor: "own-pw", after: { passwordChanged: true } });
  });
});

describe("the last enabled admin", () => {
  it("cannot be demoted, disabled or deleted", async () => {
    const before = users();
    for (const patch of [{ role: "approver" }, { disabled: true }]) {
      const r = await admin.json<ErrorBody>("PATCH", `/api/v1/users/${adminId}`, patch);
      expect(r.status).toBe(409);
      expect(r.body.code).toBe("last-admin");
    }
    expect((await admin.json("DELETE", `/api/v1/users/${adminId}`)).status).toBe(409);
    expect(users()).toEqual(before);
  });

  it("can be demoted once there is another admin; no one can delete themselves", async () => {
    const { client: second, id: secondId } = await userWithRole(admin, "admin", "second-admin");
    const self = await second.json<ErrorBody>("DELETE", `/api/v1/users/${secondId}`);
    expect(self.status).toBe(409);
    expect(self.body.code).toBe("own-account");
    expect((await second.json("PATCH", `/api/v1/users/${adminId}`, { role: "approver" })).status).toBe(200);
    expect((await second.json("PATCH", `/api/v1/users/${secondId}`, { role: "editor" })).status).toBe(409);
    expect((await second.json("PATCH", `/api/v1/users/${adminId}`, { role: "admin" })).status).toBe(200);
  });
});

describe("DELETE /api/v1/users/:id", () => {
  it("deletes an account, its sessions with it", async () => {
    const { client, id } = await userWithRole(admin, "viewer", "to-delete");
    expect((await admin.json("DELETE", `/api/v1/users/${id}`)).status).toBe(204);
    expect(users().map((u) => u.username)).not.toContain("to-delete");
    expect((await client.json("GET", "/api/v1/auth/me")).status).toBe(401);
    expect((await admin.json("DELETE", `/api/v1/users/${id}`)).status).toBe(404);
    const [entry] = t.controller.ctx.store.audit.list({ objectKind: "user", objectId: "to-delete", limit: 1 });
    expect(entry).toMatchObject({ action: "delete", before: { username: "to-delete" }, after: null });
  });
});
