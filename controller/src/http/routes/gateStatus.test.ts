import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, startTestController, type TestController } from "../../testing/harness.ts";
import { loginAs, userWithRole } from "../testUsers.ts";

let t: TestController;
let editor: ApiClient;

beforeAll(async () => {
  t = await startTestController();
  const admin = await loginAs(t.url);
  editor = (await userWithRole(admin, "editor")).client;
});
afterAll(() => t?.stop());

const HEADER =
  "crossing_vi,crossing_zh,state,hours_from,hours_to,from,to,reason_vi,reason_zh,agency_vi,agency_zh,issued_at";
const AGENCY = "Chi cục Hải quan cửa khẩu Hữu Nghị,友谊口岸海关分局";
const line = (crossing: string, zh: string, state: string, to = "2026-12-31T23:59:00+07:00") =>
  `${crossing},${zh},${state},07:00,18:00,2026-12-01T00:00:00+07:00,${to},,,${AGENCY},2026-11-30T16:00:00+07:00`;

describe("gate status import", () => {
  it("replaces a gate-status item's rows from a CSV file", async () => {
    const csv = [
      HEADER,
      line("Làn xe hàng", "货运通道", "restricted"),
      line("Làn hành khách", "旅客通道", "open"),
    ].join("\n");
    const r = await editor.json<{ rows: { state: string }[] }>("POST", "/api/v1/items/status-huu-nghi/status-import", {
      format: "csv",
      text: csv,
    });
    expect(r.status).toBe(200);
    expect(r.body.rows.map((x) => x.state)).toEqual(["restricted", "open"]);
    const stored = t.controller.ctx.store.draft.get("items", "status-huu-nghi");
    expect(stored?.kind === "gate-status" && stored.rows[0]?.crossing).toEqual({ vi: "Làn xe hàng", zh: "货运通道" });
  });

  it("names bad rows by line and column, the content check's too, and stores nothing", async () => {
    const before = t.controller.ctx.store.draft.get("items", "status-huu-nghi");
    const csv = [
      HEADER,
      line("Làn xe hàng", "货运通道", "open"),
      line("Làn hành khách", "旅客通道", "ajar", "soon"),
    ].join("\n");
    const r = await editor.json<{ code: string; issues: { path: string; params: { line: number; column: string } }[] }>(
      "POST",
      "/api/v1/items/status-huu-nghi/status-import",
      { format: "csv", text: csv },
    );
    expect(r.status).toBe(400);
    expect(r.body.issues.map((i) => [i.path, i.params.line, i.params.column])).toEqual([
      ["lines.3.state", 3, "state"],
      ["lines.3.to", 3, "to"],
    ]);
    // a row without Chinese passes its schema, but not the gate's languages
    const noZh = [HEADER, line("Làn xe hàng", "", "open")].join("\n");
    const lang = await editor.json<{ issues: { path: string; code: string }[] }>(
      "POST",
      "/api/v1/items/status-huu-nghi/status-import",
      { format: "csv", text: noZh },
    );
    expect(lang.status).toBe(400);
    expect(lang.body.issues.map((i) => [i.path, i.code])).toEqual([["lines.2.crossing_zh", "language-required"]]);
    expect(t.controller.ctx.store.draft.get("items", "status-huu-nghi")).toEqual(before);
  });

  it("reads JSON, and refuses an item that is not a gate status", async () => {
    const row = {
      crossing: { vi: "Mốc 1119–1120", zh: "1119–1120号界碑通道" },
      state: "suspended",
      from: "2026-12-01T00:00:00+07:00",
      to: "2026-12-02T00:00:00+07:00",
      agency: { vi: "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn", zh: "谅山省边防部队指挥部" },
      issuedAt: "2026-11-30T20:00:00+07:00",
    };
    const ok = await editor.json("POST", "/api/v1/items/status-huu-nghi/status-import", {
      format: "json",
      text: JSON.stringify([row]),
    });
    expect(ok.status).toBe(200);
    const bad = await editor.json<{ issues: { path: string }[] }>(
      "POST",
      "/api/v1/items/status-huu-nghi/status-import",
      {
        format: "json",
        text: JSON.stringify([row, { ...row, state: "?" }]),
      },
    );
    expect(bad.body.issues.map((i) => i.path)).toEqual(["lines.2.state"]);
    const notStatus = await editor.json("POST", "/api/v1/items/notice-emergency/status-import", {
      format: "json",
      text: "[]",
    });
    expect(notStatus.status).toBe(400);
  });
});
