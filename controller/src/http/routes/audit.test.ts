import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../store/audit.ts";
import { ApiClient, startTestController, TestClock, type TestController } from "../../testing/harness.ts";
import { type ErrorBody, loginAs, userWithRole } from "../testUsers.ts";

const clock = new TestClock(Date.parse("2026-11-23T01:00:00Z"));
let t: TestController;
let admin: ApiClient;
let editor: ApiClient;
let approver: ApiClient;

beforeAll(async () => {
  t = await startTestController({ clock });
  admin = await loginAs(t.url);
  editor = (await userWithRole(admin, "editor")).client;
  approver = (await userWithRole(admin, "approver")).client;
  clock.t = Date.parse("2026-11-23T02:00:00Z");
  await approver.json("PUT", "/api/v1/web-hosts", { hosts: ["langson.gov.vn", "vietnam.travel"] });
  clock.t = Date.parse("2026-11-23T03:00:00Z");
  await approver.json("PUT", "/api/v1/web-hosts", { hosts: ["langson.gov.vn"] });
});
afterAll(() => t?.stop());

const entries = async (query = "") => {
  const r = await approver.json<AuditEntry[]>("GET", `/api/v1/audit${query}`);
  expect(r.status).toBe(200);
  return r.body;
};

describe("GET /api/v1/audit", () => {
  it("is for approvers and admins: 401 without a session, 403 for an editor", async () => {
    expect((await new ApiClient(t.url).json("GET", "/api/v1/audit")).status).toBe(401);
    expect((await editor.json("GET", "/api/v1/audit")).status).toBe(403);
    expect((await admin.json("GET", "/api/v1/audit")).status).toBe(200);
  });

  it("returns entries newest first, with who, when, what, before and after", async () => {
    const all = await entries();
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
    expect(all.find((e) => e.objectKind === "web-hosts")).toEqual({
      id: expect.any(Number),
      at: Date.parse("2026-11-23T03:00:00Z"),
      actor: "approver",
      action: "update",
      objectKind: "web-hosts",
      objectId: null,
      before: { hosts: ["langson.gov.vn", "vietnam.travel"] },
      after: { hosts: ["langson.gov.vn"] },
    });
  });

  it("filters by actor, object and time, and limits", async () => {
    expect((await entries("?actor=approver&objectKind=web-hosts")).map((e) => e.at)).toEqual([
      Date.parse("2026-11-23T03:00:00Z"),
      Date.parse("2026-11-23T02:00:00Z"),
    ]);
    const window = await entries("?objectKind=web-hosts&from=2026-11-23T08:30:00%2B07:00&to=2026-11-23T03:00:00Z");
    expect(window.map((e) => e.at)).toEqual([Date.parse("2026-11-23T02:00:00Z")]);
    expect((await entries("?objectKind=user&objectId=approver")).map((e) => e.action)).toContain("create");
    expect(await entries("?limit=1")).toHaveLength(1);
    expect((await entries("?actor=&objectKind=")).length).toBeGreaterThan(3); // empty means no filter
  });

  it("names each bad parameter", async () => {
    const r = await approver.json<ErrorBody>("GET", "/api/v1/audit?from=yesterday&limit=0");
    expect(r.status).toBe(400);
    expect(r.body.issues?.map((i) => i.path).sort()).toEqual(["from", "limit"]);
    const reversed = await approver.json<ErrorBody>(
      "GET",
      "/api/v1/audit?from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z",
    );
    expect(reversed.body.issues?.map((i) => i.path)).toEqual(["to"]);
  });
});
