import { createHash } from "node:crypto";
import { canonicalJson } from "@gatecast/playlists";
import { ApiErrorBody } from "@gatecast/playlists/api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, startTestController, type TestController } from "../../controller/src/testing/harness.ts";

let t: TestController;
let admin: ApiClient;

beforeAll(async () => {
  t = await startTestController();
  admin = new ApiClient(t.url);
  await admin.login();
});
afterAll(async () => {
  await t.stop();
});

/** Everything a rejected request must leave as it was (after publishing that earlier writes caused). */
async function snapshot(): Promise<string> {
  await t.controller.features.publisher.publishAll();
  const s = t.controller.ctx.store;
  const state = {
    draft: s.draftContent(),
    users: s.users.list(),
    releases: s.releases.list(),
    alerts: s.alerts.list(),
    published: s.published.screens().map((r) => [r.screenId, r.version]),
  };
  return createHash("sha256").update(canonicalJson(state)).digest("hex");
}

const valid = {
  notice: {
    id: "fuzz-notice",
    kind: "notice",
    category: "border-law",
    duration: 10,
    source: { agency: { vi: "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn", zh: "谅山省边防部队指挥部" } },
    title: { vi: "Khu vực biên giới", zh: "边境地区" },
    body: { vi: "Không vượt qua vạch", zh: "请勿越线" },
    layout: "stacked",
  },
  playlist: {
    id: "fuzz-playlist",
    name: "Fuzz",
    items: ["notice-customs-declaration", { item: "notice-currency", duration: 5 }],
  },
  schedule: {
    id: "fuzz-schedule",
    playlist: "rush-hour",
    targets: { gates: ["huu-nghi"] },
    days: ["mon"],
    window: { from: "06:00", to: "07:00" },
    priority: 3,
  },
  alert: {
    id: "fuzz-alert",
    severity: "warning",
    message: { vi: "Sương mù", zh: "大雾" },
    targets: { gates: ["tan-thanh"] },
    startsAt: "2026-11-23T00:00:00Z",
    expiresAt: "2030-01-01T00:00:00Z",
  },
  user: { username: "fuzz-user", password: "fuzz-password-123", role: "viewer" },
  screen: { id: "fuzz-screen", gate: "huu-nghi", name: "Fuzz", tags: ["arrivals"], orientation: "portrait" },
  gate: { id: "fuzz-gate", name: { vi: "Cửa khẩu thử", zh: "测试口岸" }, defaultPlaylist: "rush-hour" },
} as const;

const routes: { method: string; path: string; body: Record<string, unknown> }[] = [
  { method: "POST", path: "/api/v1/items", body: valid.notice },
  { method: "PUT", path: "/api/v1/items/notice-currency", body: { ...valid.notice, id: "notice-currency" } },
  { method: "POST", path: "/api/v1/playlists", body: valid.playlist },
  { method: "POST", path: "/api/v1/schedules", body: valid.schedule },
  { method: "POST", path: "/api/v1/gates", body: valid.gate },
  { method: "POST", path: "/api/v1/alerts", body: valid.alert },
  { method: "POST", path: "/api/v1/users", body: valid.user },
  { method: "POST", path: "/api/v1/screens", body: valid.screen },
  { method: "POST", path: "/api/v1/releases", body: { note: "fuzz" } },
  { method: "POST", path: "/api/v1/pairings/ABCDEF/claim", body: { screenId: "huu-nghi-arrivals-1" } },
];

/** A valid body with one field replaced by anything, removed, or nested garbage. */
function mutated(body: Record<string, unknown>) {
  const keys = Object.keys(body);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([k, v]) => ({ ...body, [k]: v })),
    fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(body).filter(([key]) => key !== k))),
    fc.tuple(fc.string(), fc.jsonValue()).map(([k, v]) => ({ ...body, [k]: v })),
    fc.jsonValue(),
  );
}

describe("API fuzzing from valid bodies", () => {
  for (const route of routes) {
    it(`${route.method} ${route.path}: never a 5xx, and a refused request changes nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(mutated(route.body), async (body) => {
          const before = await snapshot();
          const res = await admin.request(route.method, route.path, body);
          expect(res.status).toBeLessThan(500);
          const text = await res.text();
          if (res.status >= 400) {
            expect(await snapshot()).toBe(before);
            // every refusal has a code from the contract's closed list
            expect(ApiErrorBody.safeParse(JSON.parse(text)).success).toBe(true);
          } else {
            // undo a successful write so each run starts from the same store
            const id = (body as { id?: unknown }).id;
            if (
              typeof id === "string" &&
              route.method === "POST" &&
              !route.path.includes("claim") &&
              !route.path.includes("releases")
            ) {
              await admin.request("DELETE", `${route.path}/${id}`);
            }
          }
        }),
        { numRuns: 60 },
      );
    });
  }

  it("random text and binary bodies, and hostile path parameters", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }),
        fc.constantFrom("items", "playlists", "schedules", "gates", "screens", "alerts", "users"),
        async (junk, kind) => {
          const before = await snapshot();
          const res = await fetch(`${t.url}/api/v1/${kind}/${encodeURIComponent(junk)}`, {
            method: "PUT",
            headers: { ...admin.authHeaders("PUT"), "content-type": "application/json" },
            body: junk,
          });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expect(await snapshot()).toBe(before);
        },
      ),
      { numRuns: 100 },
    );
  });
});
