import { randomBytes } from "node:crypto";
import type { DiskSpace, MediaGcReport } from "@gatecast/playlists/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, startTestController, type TestController } from "../../testing/harness.ts";
import { type ErrorBody, loginAs, userWithRole } from "../testUsers.ts";

const PNG_HEAD = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

let t: TestController;
let admin: ApiClient;
let editor: ApiClient;

beforeAll(async () => {
  t = await startTestController();
  admin = await loginAs(t.url);
  editor = (await userWithRole(admin, "editor")).client;
});
afterAll(() => t?.stop());

async function upload(bytes: Buffer): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)]), "unused.png");
  const res = await fetch(`${t.url}/api/v1/media`, { method: "POST", body: form, headers: admin.authHeaders("POST") });
  expect(res.status).toBe(201);
  return ((await res.json()) as { sha256: string }).sha256;
}

describe("media garbage collection over HTTP", () => {
  it("a dry run lists unused media with sizes and removes nothing; confirming removes them; admins only", async () => {
    const bytes = Buffer.concat([PNG_HEAD, randomBytes(5000)]);
    const sha = await upload(bytes);
    expect((await editor.json("POST", "/api/v1/media-gc", { dryRun: true })).status).toBe(403);

    const dry = await admin.json<MediaGcReport>("POST", "/api/v1/media-gc", { minAgeHours: 0 });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, keepReleases: 10, minAgeHours: 0 });
    expect(dry.body.removed).toEqual([{ sha256: sha, bytes: bytes.length, name: "unused.png", known: true }]);
    expect(dry.body.bytes).toBe(bytes.length);
    expect((await fetch(`${t.url}/media/${sha}`)).status).toBe(200);

    // young files are kept by default (an upload not yet used by an item)
    const young = await admin.json<MediaGcReport>("POST", "/api/v1/media-gc", {});
    expect(young.body.removed).toEqual([]);

    const done = await admin.json<MediaGcReport>("POST", "/api/v1/media-gc", { dryRun: false, minAgeHours: 0 });
    expect(done.body).toMatchObject({ dryRun: false, bytes: bytes.length });
    expect((await fetch(`${t.url}/media/${sha}`)).status).toBe(404);
    const log = t.controller.ctx.store.audit.list({ objectKind: "media", limit: 1 });
    expect(log[0]).toMatchObject({ actor: "admin", action: "media-gc", after: { removed: [sha] } });
    // the sample content's media are used by the draft and the release: untouched
    expect(done.body.kept).toBeGreaterThan(0);
  });
});

describe("disk space", () => {
  it("the dashboard reads free and total space of DATA_DIR's disk", async () => {
    const r = await editor.json<DiskSpace>("GET", "/api/v1/system/disk");
    expect(r.status).toBe(200);
    expect(r.body.totalBytes).toBeGreaterThan(0);
    expect(r.body.freeBytes).toBeLessThanOrEqual(r.body.totalBytes);
  });

  it("with the store full, a login is a 503 disk-full saying so, not a 500", async () => {
    const db = t.controller.ctx.store.db;
    const pages = Number(db.pragma("page_count", { simple: true }));
    db.pragma(`max_page_count = ${pages}`);
    try {
      let last: { status: number; body: ErrorBody } | undefined;
      for (let i = 0; i < 2000; i++) {
        const res = await fetch(`${t.url}/api/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "admin", password: "test-admin-password-123" }),
        });
        if (res.status !== 200) {
          last = { status: res.status, body: (await res.json()) as ErrorBody };
          break;
        }
      }
      expect(last?.status).toBe(503);
      expect(last?.body.code).toBe("disk-full");
      expect(last?.body.message).toMatch(/disk is full/);
    } finally {
      db.pragma("max_page_count = 1073741823");
    }
    expect((await new ApiClient(t.url).login()).status).toBe(200);
  });
});
