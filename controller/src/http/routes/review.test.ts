import { ROLES, type Role, roleAtLeast } from "@gatecast/playlists";
import { ALL_ROUTES } from "@gatecast/playlists/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, startTestController, type TestController } from "../../testing/harness.ts";
import { loginAs, passwordOf, userWithRole } from "../testUsers.ts";

let t: TestController;
let admin: ApiClient;
let editor: ApiClient;
let approver: ApiClient;
let contributor: ApiClient;
const clients = {} as Record<Role, ApiClient>;

const HQ_HUU_NGHI = { vi: "Chi cục Hải quan cửa khẩu Hữu Nghị", zh: "友谊口岸海关分局" };
const SCOPE = { agency: "hq-huu-nghi", categories: ["procedure"], gates: ["huu-nghi"] };

beforeAll(async () => {
  t = await startTestController();
  admin = await loginAs(t.url);
  editor = (await userWithRole(admin, "editor")).client;
  approver = (await userWithRole(admin, "approver")).client;
  const created = await admin.json("POST", "/api/v1/users", {
    username: "hq.huunghi",
    password: passwordOf("hq.huunghi"),
    role: "contributor",
    displayName: "Nguyễn Văn Hải",
    scope: SCOPE,
  });
  expect(created.status).toBe(201);
  contributor = await loginAs(t.url, "hq.huunghi", passwordOf("hq.huunghi"));
  Object.assign(clients, {
    viewer: (await userWithRole(admin, "viewer")).client,
    contributor,
    editor,
    approver,
    admin,
  });
});
afterAll(() => t?.stop());

const notice = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  kind: "notice",
  category: "procedure",
  duration: 12,
  gates: ["huu-nghi"],
  title: { vi: "Thủ tục hải quan mới", zh: "海关新手续" },
  body: { vi: "Xuất trình tờ khai tại quầy số 3", zh: "请在3号柜台出示申报单" },
  source: { agency: HQ_HUU_NGHI },
  ...extra,
});

/** A path with its parameters filled in: the role check comes before any of them is read. */
const fill = (path: string) =>
  path.replace(/:kind/g, "items").replace(/:(\w+)/g, (_, p) => (p.endsWith("d") ? "1" : "x"));
const WRITES = ALL_ROUTES.filter((r) => r.method !== "get" && r.role !== null && r.role !== undefined);

/** Every write route a contributor may call: its own session and tokens, and items and review within its scope. */
const CONTRIBUTOR_WRITES = [
  "post /api/v1/auth/logout",
  "post /api/v1/tokens",
  "delete /api/v1/tokens/:id",
  "post /api/v1/auth/password",
  "post /api/v1/items",
  "put /api/v1/items/:id",
  "delete /api/v1/items/:id",
  "post /api/v1/items/:id/status-import",
  "post /api/v1/review/:kind/:id/submit",
];

describe("who may write what", () => {
  it("refuses every write route to every role below the route's, on the server", async () => {
    expect(WRITES.length).toBeGreaterThan(30);
    const wrong: string[] = [];
    for (const route of WRITES)
      for (const role of ROLES) {
        if (roleAtLeast(role, route.role as Role)) continue;
        const client = clients[role];
        if (!client) throw new Error(role);
        const r = await client.json<{ code: string }>(route.method.toUpperCase(), fill(route.path), {});
        if (r.status !== 403 || r.body.code !== "forbidden")
          wrong.push(`${role} ${route.method} ${route.path}: ${r.status}`);
      }
    expect(wrong).toEqual([]);
  });

  it("lets a contributor call only the item and review routes, each within its scope", () => {
    const open = WRITES.filter((r) => roleAtLeast("contributor", r.role as Role)).map((r) => `${r.method} ${r.path}`);
    expect(open.sort()).toEqual([...CONTRIBUTOR_WRITES].sort());
  });

  it.each([
    ["a category it does not write for", { category: "border-law" }, "category"],
    ["a gate it does not write for", { gates: ["tan-thanh"] }, "gates"],
    [
      "another agency as the source",
      { source: { agency: { vi: "Cục Hải quan tỉnh Lạng Sơn", zh: "谅山省海关局" } } },
      "source.agency",
    ],
    ["no gates named on a new item", { gates: undefined }, "gates"],
  ])("refuses a contributor's item with %s (403 out-of-scope)", async (_, extra, path) => {
    const r = await contributor.json<{ code: string; issues: { path: string }[] }>(
      "POST",
      "/api/v1/items",
      notice("out-of-scope-item", extra),
    );
    expect(r.status).toBe(403);
    expect(r.body.code).toBe("out-of-scope");
    expect(r.body.issues.map((i) => i.path)).toContain(path);
  });

  it("refuses a contributor an item outside its scope that exists already, and one in a playlist of another gate", async () => {
    const other = await contributor.json<{ code: string }>(
      "PUT",
      "/api/v1/items/notice-emergency",
      notice("notice-emergency"),
    );
    expect([other.status, other.body.code]).toEqual([403, "out-of-scope"]);
    const del = await contributor.json<{ code: string }>("DELETE", "/api/v1/items/notice-currency");
    expect(del.status).toBe(403);
    const status = await contributor.json<{ code: string }>("POST", "/api/v1/items/status-huu-nghi/status-import", {
      format: "json",
      text: JSON.stringify([
        {
          crossing: { vi: "Làn xe hàng", zh: "货运通道" },
          state: "open",
          from: "2026-12-01T00:00:00+07:00",
          to: "2026-12-02T00:00:00+07:00",
          agency: HQ_HUU_NGHI,
          issuedAt: "2026-11-30T20:00:00+07:00",
        },
      ]),
    });
    // the sample board's rows are the economic-zone board's, not this agency's
    expect([status.status, status.body.code]).toEqual([403, "out-of-scope"]);
  });
});

describe("review: draft → submitted → approved | rejected → released", () => {
  const state = async (id: string) => {
    const q = await editor.json<{ id: string; state: string; updatedByName: string | null; agency: string | null }[]>(
      "GET",
      "/api/v1/review",
    );
    return q.body.find((e) => e.id === id);
  };

  it("walks a contributor's notice through review into a release", async () => {
    expect((await contributor.json("POST", "/api/v1/items", notice("hq-new-form"))).status).toBe(201);
    expect(await state("hq-new-form")).toMatchObject({
      state: "draft",
      updatedByName: "Nguyễn Văn Hải",
      agency: "hq-huu-nghi",
    });
    // a release leaves out what is not approved
    const r1 = await approver.json<{ id: number }>("POST", "/api/v1/releases", { note: "without the draft" });
    expect([201, 409]).toContain(r1.status);
    expect(t.controller.ctx.store.releases.latest()?.content.items.some((i) => i.id === "hq-new-form")).toBe(false);

    // approving a draft is refused: it was not submitted
    const early = await editor.json<{ code: string }>("POST", "/api/v1/review/items/hq-new-form/approve", {});
    expect([early.status, early.body.code]).toEqual([409, "wrong-state"]);
    expect((await contributor.json("POST", "/api/v1/review/items/hq-new-form/submit", {})).status).toBe(200);
    expect((await state("hq-new-form"))?.state).toBe("submitted");
    // a contributor does not approve
    expect((await contributor.json("POST", "/api/v1/review/items/hq-new-form/approve", {})).status).toBe(403);

    const bare = await editor.json<{ issues: { code: string }[] }>(
      "POST",
      "/api/v1/review/items/hq-new-form/reject",
      {},
    );
    expect(bare.status).toBe(400);
    expect(bare.body.issues[0]?.code).toBe("comment-required");
    const rejected = await editor.json<{ state: string; comment: string }>(
      "POST",
      "/api/v1/review/items/hq-new-form/reject",
      { comment: "Ghi rõ số quầy bằng tiếng Trung" },
    );
    expect(rejected.body).toMatchObject({ state: "rejected", comment: "Ghi rõ số quầy bằng tiếng Trung" });

    // fixed and submitted again, approved, released
    expect(
      (await contributor.json("PUT", "/api/v1/items/hq-new-form", notice("hq-new-form", { duration: 15 }))).status,
    ).toBe(200);
    expect((await state("hq-new-form"))?.state).toBe("draft");
    await contributor.json("POST", "/api/v1/review/items/hq-new-form/submit", {});
    expect((await editor.json("POST", "/api/v1/review/items/hq-new-form/approve", {})).status).toBe(200);
    // an edit to an approved object sends it back to submitted
    await contributor.json("PUT", "/api/v1/items/hq-new-form", notice("hq-new-form", { duration: 14 }));
    expect((await state("hq-new-form"))?.state).toBe("submitted");
    await editor.json("POST", "/api/v1/review/items/hq-new-form/approve", {});

    const r2 = await approver.json<{ id: number }>("POST", "/api/v1/releases", { note: "with the new form" });
    expect(r2.status).toBe(201);
    const released = t.controller.ctx.store.releases.latest()?.content.items.find((i) => i.id === "hq-new-form");
    expect(released?.duration).toBe(14);
    expect(await state("hq-new-form")).toBeUndefined(); // released: off the queue
    expect(t.controller.ctx.store.review.get("items", "hq-new-form")).toMatchObject({
      state: "released",
      releasedIn: r2.body.id,
    });

    // the audit names who submitted, reviewed and released
    const log = t.controller.ctx.store.audit
      .list({ objectId: "hq-new-form" })
      .map((e: { actor: string; action: string }) => `${e.actor} ${e.action}`);
    expect(log).toEqual(expect.arrayContaining(["hq.huunghi submit", "editor reject", "editor approve"]));
    const releaseLog = t.controller.ctx.store.audit.list({ objectKind: "release", objectId: String(r2.body.id) });
    expect(releaseLog.map((e: { actor: string }) => e.actor)).toEqual(["approver"]);
  });

  it("keeps an editor's own save approved (no four-eyes yet), and an import exempt", async () => {
    expect((await editor.json("POST", "/api/v1/items", notice("editor-notice", { gates: undefined }))).status).toBe(
      201,
    );
    expect(t.controller.ctx.store.review.get("items", "editor-notice").state).toBe("approved");
    // the first start's sample import has no review rows: approved, released as release 1
    expect(t.controller.ctx.store.releases.get(1)?.content.items.length).toBeGreaterThan(20);
  });
});
