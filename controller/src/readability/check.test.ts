import { join } from "node:path";
import type { Shortfall } from "@gatecast/playlists";
import type { ReadabilityReport } from "@gatecast/playlists/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { type ErrorBody, loginAs, userWithRole } from "../http/testUsers.ts";
import { type ApiClient, startTestController, type TestController } from "../testing/harness.ts";

/*
 * The readability check end to end on two fixture folders, in headless Chromium with the console's
 * built preview page (npm run build first): a 55" landscape screen read from 5 m and a 43" portrait
 * screen read from 8 m. `readable` must pass; `unreadable` holds a notice the kiosk must page, whose
 * pages are too short to read.
 */

const FIXTURES = join(import.meta.dirname, "fixtures");
const READABLE = join(FIXTURES, "readable");
const UNREADABLE = join(FIXTURES, "unreadable");

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("gatecast check-readability", () => {
  it("passes readable content: exit 0, warnings only", async () => {
    const r = await cli("check-readability", READABLE);
    expect(r.code).toBe(0);
    expect(r.out.every((l) => l.startsWith("warning "))).toBe(true);
    expect(r.err.at(-1)).toMatch(/^2 item × screen pairs in .*readable: 0 blocking, \d+ warnings?$/);
  }, 120_000);

  it("fails a notice too long to read: one line per shortfall, exit 1; --json for CI", async () => {
    const r = await cli("check-readability", UNREADABLE);
    expect(r.code).toBe(1);
    const blocking = r.out.filter((l) => l.startsWith("blocking "));
    // every language of the long notice, on both screens: its pages are too short to read
    for (const screen of ["landscape-55", "portrait-43"])
      for (const lang of ["vi", "zh", "en"])
        expect(blocking.some((l) => l.startsWith(`blocking long-rules ${screen} ${lang} reading-time: each of `))).toBe(
          true,
        );
    expect(blocking.every((l) => l.includes("long-rules"))).toBe(true);

    const j = await cli("check-readability", UNREADABLE, "--json");
    expect(j.code).toBe(1);
    const report = JSON.parse(j.out.join("\n")) as { revision: string; blocking: number; shortfalls: Shortfall[] };
    expect(report.revision).toMatch(/^[0-9a-f]{64}$/);
    expect(report.blocking).toBe(blocking.length);
    // the kiosk never shrinks the text below the screen's minimum: paging, not a size shortfall, is what blocks
    expect(report.shortfalls.filter((s) => s.kind === "text-size" && s.severity === "blocking")).toEqual([]);
    const portrait = report.shortfalls.find((s) => s.screen === "portrait-43" && s.kind === "reading-time");
    expect(portrait?.pages).toBeGreaterThan(3);
  }, 120_000);

  it("exits 2 on a wrong option", async () => {
    expect((await cli("check-readability", "--wat")).code).toBe(2);
  });
});

describe("releasing with readability shortfalls", () => {
  let t: TestController;
  let approver: ApiClient;
  beforeAll(async () => {
    t = await startTestController({ env: { GATECAST_CONTENT: UNREADABLE, READABILITY_CHECK: "on" } });
    const admin = await loginAs(t.url);
    approver = (await userWithRole(admin, "approver")).client;
  }, 60_000);
  afterAll(() => t?.stop());

  it("lists them, refuses a release without a reason or with a stale revision, and audits the reason", async () => {
    const report = (await approver.json<ReadabilityReport>("GET", "/api/v1/draft/readability")).body;
    expect(report.checked).toBe(true);
    expect(report.pairs).toBe(4);
    expect(report.blocking).toBe(6);

    // a change to release: the first start released the fixture as it is
    const item = (await approver.json<Record<string, unknown>>("GET", "/api/v1/items/short-passport")).body;
    expect((await approver.json("PUT", "/api/v1/items/short-passport", { ...item, duration: 11 })).status).toBe(200);
    const now = (await approver.json<ReadabilityReport>("GET", "/api/v1/draft/readability")).body;

    const plain = await approver.json<ErrorBody>("POST", "/api/v1/releases", { note: "no reason" });
    expect(plain.status).toBe(422);
    expect(plain.body).toMatchObject({ code: "readability-blocking", params: { blocking: 6, revision: now.revision } });

    // a client cannot claim a list it did not see
    const stale = await approver.json<ErrorBody>("POST", "/api/v1/releases", {
      note: "stale",
      readability: { revision: "0".repeat(64), reason: "Đã kiểm tra tại chỗ, chấp nhận tạm thời" },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: "readability-stale", params: { revision: now.revision } });

    const reason = "Thông báo khẩn, sẽ rút gọn trong tuần này";
    const ok = await approver.json<{ id: number }>("POST", "/api/v1/releases", {
      note: "with reason",
      readability: { revision: now.revision, reason },
    });
    expect(ok.status).toBe(201);
    const audit = (
      await approver.json<{ action: string; after: { reason: string; blocking: Shortfall[] } }[]>(
        "GET",
        "/api/v1/audit",
      )
    ).body;
    const entry = audit.find((e) => e.action === "release-despite-readability");
    expect(entry?.after.reason).toBe(reason);
    expect(entry?.after.blocking).toHaveLength(6);
  }, 180_000);
});
