import type { ContentDiff, Item } from "@gatecast/playlists";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Release } from "../../store/releases.ts";
import { ApiClient, startTestController, type TestController } from "../../testing/harness.ts";
import { type ErrorBody, loginAs, userWithRole } from "../testUsers.ts";

let t: TestController;
let editor: ApiClient;
let approver: ApiClient;
let viewer: ApiClient;
const released: number[] = [];

beforeAll(async () => {
  t = await startTestController();
  const admin = await loginAs(t.url);
  editor = (await userWithRole(admin, "editor")).client;
  approver = (await userWithRole(admin, "approver")).client;
  viewer = (await userWithRole(admin, "viewer")).client;
  t.controller.ctx.bus.on("release", (e) => released.push(e.release.id));
});
afterAll(() => t?.stop());

const store = () => t.controller.ctx.store;
const latestId = () => store().releases.latest()?.id;

type Summary = Omit<Release, "content">;

describe("POST /api/v1/releases", () => {
  it('refuses "nothing changed" when the draft equals the latest release, screens aside', async () => {
    const screen = store().draft.get("screens", "huu-nghi-arrivals-1");
    if (!screen) throw new Error("sample screen missing");
    store().draft.put("screens", { ...screen, name: "Renamed live" }, t.controller.ctx.clock.now()); // live inventory, not released
    const r = await approver.json<ErrorBody>("POST", "/api/v1/releases", { note: "no change" });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: "unchanged", params: { release: expect.any(Number) } });
    expect(latestId()).toBe(1);
    expect(released).toEqual([]);
  });

  it("needs the approver role and a note", async () => {
    expect((await editor.json("POST", "/api/v1/releases", { note: "x" })).status).toBe(403);
    expect((await viewer.json("POST", "/api/v1/releases", { note: "x" })).status).toBe(403);
    expect((await new ApiClient(t.url).json("POST", "/api/v1/releases", { note: "x" })).status).toBe(401);
    const r = await approver.json<ErrorBody>("POST", "/api/v1/releases", { note: "  " });
    expect(r.status).toBe(400);
    expect(r.body.issues?.map((i) => i.path)).toEqual(["note"]);
  });

  it("shows the draft's changes for review, then releases them and tells the publisher", async () => {
    const item = (await viewer.json<Item>("GET", "/api/v1/items/notice-currency")).body;
    expect((await editor.json("PUT", "/api/v1/items/notice-currency", { ...item, duration: 30 })).status).toBe(200);

    const review = await viewer.json<{ against: number; changes: ContentDiff }>("GET", "/api/v1/draft/diff");
    expect(review.body.against).toBe(1);
    expect(review.body.changes.items).toEqual({
      added: [],
      removed: [],
      changed: [{ id: "notice-currency", before: item, after: { ...item, duration: 30 } }],
    });
    expect(review.body.changes.playlists.changed).toEqual([]);

    const r = await approver.json<Summary>("POST", "/api/v1/releases", { note: "Tỷ giá: 30 giây" });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      id: 2,
      createdBy: "approver",
      note: "Tỷ giá: 30 giây",
      createdAt: expect.any(Number),
    });
    expect(released).toEqual([2]);
    expect(latestId()).toBe(2);
    expect(
      store()
        .releases.latest()
        ?.content.items.find((i) => i.id === "notice-currency")?.duration,
    ).toBe(30);
    expect(store().audit.list({ objectKind: "release", objectId: "2" })[0]).toMatchObject({
      actor: "approver",
      action: "release",
      before: { release: 1 },
      after: { note: "Tỷ giá: 30 giây" },
    });

    const after = await viewer.json<{ changes: ContentDiff }>("GET", "/api/v1/draft/diff");
    expect(after.body.changes.items.changed).toEqual([]);
    expect((await approver.json("POST", "/api/v1/releases", { note: "again" })).status).toBe(409);
  });

  it("refuses Traditional Chinese in a procedure notice at release; a promotion's only warns", async () => {
    // written before the check existed: the draft still reads, the release refuses it
    const now = t.controller.ctx.clock.now();
    const base = { kind: "notice", duration: 10, layout: "stacked" } as const;
    store().draft.put(
      "items",
      {
        ...base,
        id: "trad-proc",
        category: "procedure",
        source: { agency: { vi: "Cục Hải quan tỉnh Lạng Sơn", zh: "谅山省海关局" } },
        title: { vi: "Tiền mặt", zh: "攜帶現金須申報" },
        body: { vi: "Khai báo", zh: "申报" },
      },
      now,
    );
    const index = store()
      .draftContent()
      .items.findIndex((i) => i.id === "trad-proc");
    const r = await approver.json<ErrorBody>("POST", "/api/v1/releases", { note: "trad" });
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([
      expect.objectContaining({
        path: `items.${index}.title.zh`,
        code: "traditional-chinese",
        params: { chars: "攜帶現須報", simplified: "携带现金须申报" },
      }),
    ]);
    store().draft.delete("items", "trad-proc");
  });

  it("refuses a draft with problems (422) naming each", async () => {
    // a draft can hold problems the API would refuse, e.g. written by an older version or by hand
    store().draft.put("playlists", { id: "broken", name: "Hỏng", items: ["gone"] }, t.controller.ctx.clock.now());
    const index = store()
      .draftContent()
      .playlists.findIndex((p) => p.id === "broken");
    const r = await approver.json<ErrorBody>("POST", "/api/v1/releases", { note: "broken" });
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([
      {
        path: `playlists.${index}.items.0`,
        code: "unknown-ref",
        params: { kind: "item", id: "gone" },
        message: 'unknown item "gone"',
      },
    ]);
    const draft = await viewer.json<{ issues: { kind: string; id: string }[] }>("GET", "/api/v1/draft");
    expect(draft.body.issues).toMatchObject([{ kind: "playlists", id: "broken" }]);
    expect(latestId()).toBe(2);
    expect((await editor.json("DELETE", "/api/v1/playlists/broken")).status).toBe(204);
  });

  it("counts a new schedule order as a change (it decides priority ties)", async () => {
    const ids = store()
      .draft.list("schedules")
      .map((s) => s.id);
    expect((await editor.json("PUT", "/api/v1/schedules/order", { ids: [...ids].reverse() })).status).toBe(200);
    const review = await viewer.json<{ changes: ContentDiff }>("GET", "/api/v1/draft/diff");
    expect(review.body.changes.scheduleOrder).toEqual({ before: ids, after: [...ids].reverse() });
    expect((await approver.json("POST", "/api/v1/releases", { note: "order" })).status).toBe(201);
    expect(released).toEqual([2, 3]);
  });
});

describe("reading releases", () => {
  it("lists releases newest first without their content", async () => {
    const r = await viewer.json<Summary[]>("GET", "/api/v1/releases");
    expect(r.body.map((x) => x.id)).toEqual([3, 2, 1]);
    expect(r.body[0]).not.toHaveProperty("content");
    expect(r.body[2]).toMatchObject({ createdBy: "system", rollbackOf: null });
    expect((await viewer.json<Summary[]>("GET", "/api/v1/releases?limit=1")).body).toHaveLength(1);
  });

  it("returns one release with its content; 404 and 400 for unknown and malformed ids", async () => {
    const r = await viewer.json<Release>("GET", "/api/v1/releases/2");
    expect(r.body.content).toEqual(store().releases.get(2)?.content);
    expect((await viewer.json("GET", "/api/v1/releases/99")).status).toBe(404);
    expect((await viewer.json("GET", "/api/v1/releases/two")).status).toBe(400);
  });

  it("diffs a release against the one before it; the first against nothing", async () => {
    const second = await viewer.json<{ id: number; against: number; changes: ContentDiff }>(
      "GET",
      "/api/v1/releases/2/diff",
    );
    expect(second.body).toMatchObject({ id: 2, against: 1 });
    expect(second.body.changes.items.changed.map((c) => c.id)).toEqual(["notice-currency"]);
    expect(second.body.changes.gates).toEqual({ added: [], removed: [], changed: [] });
    const first = await viewer.json<{ against: null; changes: ContentDiff }>("GET", "/api/v1/releases/1/diff");
    expect(first.body.against).toBeNull();
    expect(first.body.changes.gates.added).toEqual(["huu-nghi", "tan-thanh"]);
  });
});

describe("POST /api/v1/releases/:id/rollback", () => {
  it("creates a new release holding the older snapshot, and tells the publisher", async () => {
    expect((await editor.json("POST", "/api/v1/releases/1/rollback", {})).status).toBe(403);
    const r = await approver.json<Summary>("POST", "/api/v1/releases/1/rollback", {});
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      id: 4,
      rollbackOf: 1,
      createdBy: "approver",
      note: expect.stringMatching(/release 1/),
    });
    expect(store().releases.get(4)?.content).toEqual(store().releases.get(1)?.content);
    expect(latestId()).toBe(4);
    expect(released).toEqual([2, 3, 4]);
    expect(store().audit.list({ objectKind: "release", objectId: "4" })[0]).toMatchObject({
      action: "rollback",
      after: { rollbackOf: 1 },
    });

    const diff = await viewer.json<{ changes: ContentDiff }>("GET", "/api/v1/releases/4/diff");
    expect(diff.body.changes.items.changed).toMatchObject([
      { id: "notice-currency", before: { duration: 30 }, after: { duration: 12 } },
    ]);
    // the draft keeps its edits: releasing it again is a decision of its own
    const draft = await viewer.json<{ against: number; changes: ContentDiff }>("GET", "/api/v1/draft/diff");
    expect(draft.body.against).toBe(4);
    expect(draft.body.changes.items.changed.map((c) => c.id)).toEqual(["notice-currency"]);
  });

  it("takes a note, refuses rolling back to what is already live, and 404s an unknown release", async () => {
    expect((await approver.json<ErrorBody>("POST", "/api/v1/releases/1/rollback", {})).status).toBe(409);
    const r = await approver.json<Summary>("POST", "/api/v1/releases/2/rollback", { note: "back to 30 s" });
    expect(r).toMatchObject({ status: 201, body: { id: 5, rollbackOf: 2, note: "back to 30 s" } });
    expect((await approver.json("POST", "/api/v1/releases/99/rollback", {})).status).toBe(404);
  });

  it("refuses an old release whose media files are gone (422)", async () => {
    const sha = store().releases.get(1)?.content.media[0]?.sha256 ?? "";
    store().db.prepare("DELETE FROM media WHERE sha256 = ?").run(sha); // as if removed since
    const r = await approver.json<ErrorBody>("POST", "/api/v1/releases/1/rollback", {});
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: "media-missing" });
    expect(r.body.issues).toEqual([
      { path: "media.0", code: "media-missing", params: { sha256: sha }, message: `media ${sha} is no longer stored` },
    ]);
    expect(latestId()).toBe(5);
  });
});
