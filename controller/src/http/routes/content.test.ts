import type { Content } from "@gatecast/playlists";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, startTestController, type TestController } from "../../testing/harness.ts";
import { type ErrorBody, loginAs, userWithRole } from "../testUsers.ts";

let t: TestController;
let admin: ApiClient;
let editor: ApiClient;
let viewer: ApiClient;

beforeAll(async () => {
  t = await startTestController();
  admin = await loginAs(t.url);
  editor = (await userWithRole(admin, "editor")).client;
  viewer = (await userWithRole(admin, "viewer")).client;
});
afterAll(() => t?.stop());

const draft = () => t.controller.ctx.store.draftContent();
const paths = (body: ErrorBody) => body.issues?.map((i) => i.path);

const notice = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  kind: "notice",
  category: "promotion",
  duration: 10,
  title: { vi: "Chào mừng", zh: "欢迎" },
  body: { vi: "Chào mừng quý khách đến Lạng Sơn", zh: "欢迎来到谅山" },
  ...extra,
});

/** Sends a write that must be refused, and checks that the draft did not change. */
async function refused(client: ApiClient, method: string, path: string, body?: unknown) {
  const before: Content = draft();
  const r = await client.json<ErrorBody>(method, path, body);
  expect(draft()).toEqual(before);
  return r;
}

describe("roles", () => {
  it("viewers read, editors write; 401 without a session, 403 for a viewer's write", async () => {
    expect((await viewer.json("GET", "/api/v1/items")).status).toBe(200);
    expect((await viewer.json("GET", "/api/v1/draft")).status).toBe(200);
    expect((await new ApiClient(t.url).json("GET", "/api/v1/items")).status).toBe(401);
    const r = await refused(viewer, "POST", "/api/v1/items", notice("viewer-item"));
    expect(r.status).toBe(403);
    expect((await refused(viewer, "DELETE", "/api/v1/gates/huu-nghi")).status).toBe(403);
    expect((await refused(new ApiClient(t.url), "PUT", "/api/v1/web-hosts", { hosts: [] })).status).toBe(401);
  });
});

describe("items", () => {
  it("creates, reads, replaces and deletes, auditing each write with before and after", async () => {
    const created = await editor.json<Record<string, unknown>>("POST", "/api/v1/items", notice("welcome"));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: "welcome", layout: "stacked" }); // schema defaults applied
    expect((await viewer.json("GET", "/api/v1/items/welcome")).body).toEqual(created.body);

    const replaced = await editor.json("PUT", "/api/v1/items/welcome", { ...notice("welcome"), duration: 20 });
    expect(replaced.status).toBe(200);
    expect(t.controller.ctx.store.draft.get("items", "welcome")).toMatchObject({ duration: 20 });

    expect((await editor.json("DELETE", "/api/v1/items/welcome")).status).toBe(204);
    expect((await viewer.json("GET", "/api/v1/items/welcome")).status).toBe(404);

    const log = t.controller.ctx.store.audit.list({ objectKind: "item", objectId: "welcome" });
    expect(log.map((e) => [e.action, e.actor])).toEqual([
      ["delete", "editor"],
      ["update", "editor"],
      ["create", "editor"],
    ]);
    expect(log[0]).toMatchObject({ before: { duration: 20 }, after: null });
    expect(log[1]).toMatchObject({ before: { duration: 10 }, after: { duration: 20 } });
    expect(log[2]).toMatchObject({ before: null, after: { id: "welcome", duration: 10 } });
  });

  it("refuses a second item with the same id (409)", async () => {
    const first = notice("taken-id");
    expect((await editor.json("POST", "/api/v1/items", first)).status).toBe(201);
    const r = await refused(editor, "POST", "/api/v1/items", { ...first, duration: 99 });
    expect(r.status).toBe(409);
    expect(t.controller.ctx.store.draft.get("items", "taken-id")).toMatchObject({ duration: 10 });
  });

  it("names every field of an invalid body", async () => {
    const r = await refused(editor, "POST", "/api/v1/items", {
      ...notice("law"),
      category: "border-law",
      title: { vi: "Luật" },
      body: { vi: "" },
      duration: 0,
    });
    expect(r.status).toBe(400);
    expect(paths(r.body)?.sort()).toEqual(["body.vi", "body.zh", "duration", "title.zh"]);
    const zh = await refused(editor, "POST", "/api/v1/items", {
      ...notice("law"),
      category: "border-law",
      title: { vi: "Luật" },
    });
    expect(paths(zh.body)).toEqual(["title.zh"]);
    expect(zh.body.issues?.[0]).toMatchObject({ code: "zh-required", params: { category: "border-law" } });
  });

  it("refuses a border-law notice without its source, naming the field, and stores it with one", async () => {
    const law = notice("law-source", { category: "border-law" });
    const r = await refused(editor, "POST", "/api/v1/items", law);
    expect(r.status).toBe(400);
    expect(r.body.issues).toEqual([
      expect.objectContaining({ path: "source.agency", code: "source-required", params: { category: "border-law" } }),
    ]);
    expect(t.controller.ctx.store.draft.get("items", "law-source")).toBeUndefined();
    const source = { agency: { vi: "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn", zh: "谅山省边防部队指挥部" } };
    expect((await editor.json("POST", "/api/v1/items", { ...law, source })).status).toBe(201);
    expect(t.controller.ctx.store.draft.get("items", "law-source")).toMatchObject({ source });
  });

  it("refuses an image whose media is not in the store, and accepts one that is", async () => {
    const image = (media: string) => ({ id: "promo-new", kind: "image", category: "tourism", duration: 8, media });
    const r = await refused(editor, "POST", "/api/v1/items", image("f".repeat(64)));
    expect(r.status).toBe(400);
    expect(paths(r.body)).toEqual(["media"]);
    expect(r.body.issues?.[0]).toMatchObject({ code: "unknown-media" });
    const stored = t.controller.ctx.store.media.list()[0]?.sha256 ?? "";
    expect((await editor.json("POST", "/api/v1/items", image(stored))).status).toBe(201);
  });

  it("refuses a web item on a host that is not allowed", async () => {
    const web = { id: "web-x", kind: "web", category: "tourism", duration: 20, url: "https://example.com/x" };
    const r = await refused(editor, "POST", "/api/v1/items", web);
    expect(r.status).toBe(400);
    expect(paths(r.body)).toEqual(["url"]);
  });

  it("PUT takes the id from the path; a different id in the body is refused naming `id`", async () => {
    const { id: _, ...noId } = notice("x");
    const created = await editor.json<{ id: string }>("PUT", "/api/v1/items/from-path", noId);
    expect(created.status).toBe(201);
    expect(created.body.id).toBe("from-path");
    const mismatch = await refused(editor, "PUT", "/api/v1/items/from-path", notice("other-id"));
    expect(mismatch.status).toBe(400);
    expect(paths(mismatch.body)).toEqual(["id"]);
    const badPath = await refused(editor, "PUT", "/api/v1/items/Bad_Id", noId);
    expect(badPath.status).toBe(400);
    expect(paths(badPath.body)).toEqual(["id"]);
  });

  it("refuses to delete an item playlists use (409 listing them), and changes nothing", async () => {
    const r = await refused(editor, "DELETE", "/api/v1/items/notice-currency");
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: "in-use", params: { kind: "item", id: "notice-currency" } });
    expect(r.body.issues).toContainEqual({
      path: "playlists.huu-nghi-default.items.4",
      code: "in-use",
      params: { kind: "item", id: "notice-currency" },
      message: 'refers to item "notice-currency"',
    });
    expect(paths(r.body)).toEqual(expect.arrayContaining(["playlists.rush-hour.items.3", "playlists.tet.items.4"]));
  });

  it("a body that is not JSON is 400", async () => {
    const res = await editor.request("POST", "/api/v1/items", undefined, { "content-type": "application/json" });
    expect(res.status).toBe(400);
  });
});

describe("script checks", () => {
  it("refuses Traditional, Vietnamese and emoji in a procedure notice, beside each field", async () => {
    const r = await refused(
      editor,
      "POST",
      "/api/v1/items",
      notice("proc-scripts", {
        category: "procedure",
        source: { agency: { vi: "Cục Hải quan tỉnh Lạng Sơn", zh: "谅山省海关局" } },
        title: { vi: "Khai báo tiền mặt 💵", zh: "攜帶現金須申報" },
        body: { vi: "Khai báo", zh: "Khai báo tại quầy" },
      }),
    );
    expect(r.status).toBe(400);
    expect(r.body.issues?.map((i) => [i.path, i.code])).toEqual([
      ["title.vi", "undrawable"],
      ["title.zh", "traditional-chinese"],
      ["body.zh", "not-chinese"],
    ]);
  });

  it("saves the same in a promotion (the console warns)", async () => {
    const r = await editor.json(
      "POST",
      "/api/v1/items",
      notice("promo-scripts", { title: { vi: "Chợ đêm", zh: "谅山Kỳ Lừa夜市" } }),
    );
    expect(r.status).toBe(201);
  });
});

describe("playlists", () => {
  it("refuses a playlist naming an unknown item, with the path inside the body", async () => {
    const r = await refused(editor, "POST", "/api/v1/playlists", {
      id: "new-list",
      name: "Mới",
      items: ["notice-currency", "no-such-item", { item: "nor-this", duration: 5 }],
    });
    expect(r.status).toBe(400);
    expect(r.body.issues).toEqual([
      {
        path: "items.1",
        code: "unknown-ref",
        params: { kind: "item", id: "no-such-item" },
        message: 'unknown item "no-such-item"',
      },
      {
        path: "items.2.item",
        code: "unknown-ref",
        params: { kind: "item", id: "nor-this" },
        message: 'unknown item "nor-this"',
      },
    ]);
    expect((await viewer.json("GET", "/api/v1/playlists/new-list")).status).toBe(404);
  });

  it("refuses an empty playlist", async () => {
    const r = await refused(editor, "POST", "/api/v1/playlists", { id: "empty", name: "Trống", items: [] });
    expect(paths(r.body)).toEqual(["items"]);
  });

  it("lists in order", async () => {
    const r = await viewer.json<{ id: string }[]>("GET", "/api/v1/playlists");
    expect(r.body.map((p) => p.id).slice(0, 2)).toEqual(["huu-nghi-default", "tan-thanh-default"]);
  });
});

describe("gates", () => {
  it("refuses a gate whose default playlist does not exist", async () => {
    const r = await refused(editor, "POST", "/api/v1/gates", {
      id: "chi-ma",
      name: { vi: "Cửa khẩu Chi Ma", zh: "爱店口岸" },
      defaultPlaylist: "missing",
    });
    expect(r.status).toBe(400);
    expect(paths(r.body)).toEqual(["defaultPlaylist"]);
  });

  it("refuses to delete a gate that screens and schedules name", async () => {
    const r = await refused(editor, "DELETE", "/api/v1/gates/tan-thanh");
    expect(r.status).toBe(409);
    expect(paths(r.body)).toEqual(
      expect.arrayContaining(["screens.tan-thanh-arrivals-1.gate", "schedules.weekday-rush.targets.gates.1"]),
    );
  });
});

describe("schedules", () => {
  const schedule = (id: string, extra: Record<string, unknown> = {}) => ({ id, playlist: "weekend", ...extra });

  it("refuses an unknown playlist and unknown target gates, with paths inside the body", async () => {
    const r = await refused(
      editor,
      "POST",
      "/api/v1/schedules",
      schedule("bad", { playlist: "nope", targets: { gates: ["huu-nghi", "nowhere"] } }),
    );
    expect(r.status).toBe(400);
    expect(paths(r.body)).toEqual(["playlist", "targets.gates.1"]);
  });

  it('refuses the id "order", which its path would shadow', async () => {
    expect((await refused(editor, "POST", "/api/v1/schedules", schedule("order"))).status).toBe(400);
  });

  it("sets the order; ties go to the first listed", async () => {
    expect((await editor.json("POST", "/api/v1/schedules", schedule("evening", { priority: 5 }))).status).toBe(201);
    const ids = t.controller.ctx.store.draft.list("schedules").map((s) => s.id);
    expect(ids.at(-1)).toBe("evening");
    const order = ["evening", ...ids.filter((id) => id !== "evening")];
    const r = await editor.json("PUT", "/api/v1/schedules/order", { ids: order });
    expect(r.status).toBe(200);
    expect(t.controller.ctx.store.draft.list("schedules").map((s) => s.id)).toEqual(order);
    expect(t.controller.ctx.store.audit.list({ objectKind: "schedule", limit: 1 })[0]).toMatchObject({
      action: "reorder",
      before: { ids },
      after: { ids: order },
    });
  });

  it("refuses an order that misses, repeats or invents a schedule", async () => {
    const ids = t.controller.ctx.store.draft.list("schedules").map((s) => s.id);
    const [first = "", ...rest] = ids;
    const missing = await refused(editor, "PUT", "/api/v1/schedules/order", { ids: rest });
    expect(missing.status).toBe(400);
    expect(paths(missing.body)).toEqual(["ids"]);
    const twice = await refused(editor, "PUT", "/api/v1/schedules/order", { ids: [first, first, ...rest] });
    expect(paths(twice.body)).toEqual(["ids.1"]);
    const unknown = await refused(editor, "PUT", "/api/v1/schedules/order", { ids: [...ids, "ghost"] });
    expect(paths(unknown.body)).toEqual([`ids.${ids.length}`]);
  });
});

describe("web hosts", () => {
  it("editors read the list but cannot change it: it exists to constrain them (approver or admin only)", async () => {
    const r = await refused(editor, "PUT", "/api/v1/web-hosts", { hosts: ["langson.gov.vn", "evil.example"] });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: "forbidden", params: { need: "approver", have: "editor" } });
    expect((await editor.json("GET", "/api/v1/web-hosts")).body).toEqual({ hosts: ["langson.gov.vn"] });
    const approver = (await userWithRole(admin, "approver", "hosts-approver")).client;
    expect((await approver.json("PUT", "/api/v1/web-hosts", { hosts: ["langson.gov.vn"] })).status).toBe(200);
  });

  it("reads and replaces the list, sorted without duplicates", async () => {
    expect((await viewer.json("GET", "/api/v1/web-hosts")).body).toEqual({ hosts: ["langson.gov.vn"] });
    const r = await admin.json("PUT", "/api/v1/web-hosts", {
      hosts: ["vietnam.travel", "langson.gov.vn", "vietnam.travel"],
    });
    expect(r).toEqual({ status: 200, body: { hosts: ["langson.gov.vn", "vietnam.travel"] } });
  });

  it("refuses to drop a host a web item shows (409) and an invalid host (400)", async () => {
    const r = await refused(admin, "PUT", "/api/v1/web-hosts", { hosts: [] });
    expect(r.status).toBe(409);
    expect(paths(r.body)).toEqual(["items.promo-web-langson.url"]);
    const bad = await refused(admin, "PUT", "/api/v1/web-hosts", { hosts: ["Not A Host"] });
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(["hosts.0"]);
  });
});

describe("GET /api/v1/draft", () => {
  it("returns the whole draft and its problems, none here", async () => {
    const r = await viewer.json<{ content: Content; issues: unknown[] }>("GET", "/api/v1/draft");
    expect(r.status).toBe(200);
    expect(r.body.issues).toEqual([]);
    expect(r.body.content.gates.map((g) => g.id)).toEqual(["huu-nghi", "tan-thanh"]);
    expect(r.body.content.items.map((i) => i.id)).toContain("promo-new");
  });

  it("draft edits publish nothing: the latest release is still the first", () => {
    expect(t.controller.ctx.store.releases.latest()?.id).toBe(1);
    expect(t.controller.ctx.store.releases.latest()?.content.items.map((i) => i.id)).not.toContain("promo-new");
  });
});
