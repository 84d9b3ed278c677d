import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ControllerApi, type Fleet, provisionScreens, type SimScreen, startFleet } from "@gatecast/sim";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CapSpec, capXml, xmllint } from "../../cap/capFixtures.ts";
import { readCap } from "../../cap/read.ts";
import { main } from "../../cli/main.ts";
import {
  ADMIN_PASSWORD,
  type ApiClient,
  startTestController,
  type TestController,
  waitFor,
} from "../../testing/harness.ts";
import { type ErrorBody, loginAs, userWithRole } from "../testUsers.ts";

/*
 * CAP 1.2 through the running controller: an agency's message reaches a simulated screen (the kiosk's
 * own sync code, signature checked) as a signed alert, is updated and cancelled by later messages, and
 * comes back out as a schema-valid CAP message in the Atom feed. Every refused input changes nothing.
 */

let t: TestController;
let admin: ApiClient;
let approver: ApiClient;
let editor: ApiClient;
let fleet: Fleet;
const GATE = "huu-nghi";

beforeAll(async () => {
  t = await startTestController();
  admin = await loginAs(t.url);
  approver = (await userWithRole(admin, "approver")).client;
  editor = (await userWithRole(admin, "editor")).client;
  const api = await ControllerApi.connect(t.url, { user: "admin", password: ADMIN_PASSWORD });
  const creds = await provisionScreens(api, { count: 1, gates: [GATE] });
  fleet = startFleet({
    controllerUrl: t.url,
    credentials: creds,
    brokerUrl: `mqtt://127.0.0.1:${t.controller.mqttPort}`,
    rampPerSecond: Number.POSITIVE_INFINITY,
  });
}, 60_000);
afterAll(async () => {
  await fleet?.stop();
  await t?.stop();
});

interface Answer {
  status: number;
  body: Record<string, unknown> & ErrorBody;
}

async function postCap(
  xml: string,
  opts: { client?: ApiClient; bearer?: string; query?: string; type?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    "content-type": opts.type ?? "application/cap+xml",
    ...(opts.bearer ? { authorization: `Bearer ${opts.bearer}` } : (opts.client ?? approver).authHeaders("POST")),
  };
  const res = await fetch(`${t.url}/api/v1/alerts/cap${opts.query ?? ""}`, { method: "POST", headers, body: xml });
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

/**
 * A POST whose answer is read even when the controller answers before the body is all sent and closes:
 * the body goes out part by part, and stops once the answer is in.
 */
function rawPost(parts: string[], headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered: { status: number; body: string } | null = null;
    const req = request(`${t.url}/api/v1/alerts/cap`, {
      method: "POST",
      headers: { "content-type": "application/cap+xml", ...approver.authHeaders("POST"), ...headers },
    });
    req.on("response", (res) => {
      answered = { status: res.statusCode ?? 0, body: "" };
      const got = answered;
      res.on("data", (d: Buffer) => {
        got.body += d.toString();
      });
      res.on("end", () => resolve(got));
      res.on("error", () => resolve(got));
    });
    req.on("error", (e) => (answered ? resolve(answered) : reject(e)));
    req.flushHeaders();
    const send = async () => {
      for (const p of parts) {
        if (answered || req.destroyed) return;
        if (!req.write(p)) await new Promise((r) => req.once("drain", r));
        await new Promise((r) => setTimeout(r, 5));
      }
      if (!answered && !req.destroyed) req.end();
    };
    void send();
  });
}

const shown = (s: SimScreen) => s.snapshot.gateAlerts?.alerts ?? [];
const screen = () => fleet.screens[0] as SimScreen;
const storeState = () => ({
  alerts: JSON.stringify(t.controller.ctx.store.alerts.list()),
  gate: t.controller.ctx.store.published.gate(GATE)?.envelope ?? null,
});

describe("CAP round trip", () => {
  it("an agency's message reaches a screen signed, is updated and cancelled, and is in the feed as valid CAP", {
    timeout: 60_000,
  }, async () => {
    await waitFor(() => (screen().inSync ? true : undefined), 20_000, "the screen's manifest");
    const now = Date.now();
    const sent = now - 60_000;
    const first = await postCap(capXml({ identifier: "BDBP-LS-1", sent }, now));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ dryRun: false, status: "Actual", action: "send", gates: [GATE] });
    const id = (first.body.alert as { id: string }).id;
    expect((first.body.view as { targetedScreens: string[] }).targetedScreens).toContain(screen().id);

    // the simulated screen verified the gate's signed list and holds the notice in both languages
    const onScreen = await waitFor(() => shown(screen()).find((a) => a.id === id), 10_000, "the alert on the screen");
    expect(onScreen).toMatchObject({ severity: "critical" });
    expect(onScreen.message.vi).toContain("Tạm dừng thông quan hàng hóa");
    expect(onScreen.message.zh).toContain("货物暂停通关");

    // out again: the feed lists it, its link is a CAP message the OASIS schema accepts
    const feedRes = await fetch(`${t.url}/cap/feed.atom`);
    expect(feedRes.headers.get("content-type")).toContain("application/atom+xml");
    const feedText = await feedRes.text();
    expect(xmllint(feedText, null).ok).toBe(true);
    const feed = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === "entry" || n === "link" }).parse(
      feedText,
    );
    const entry = (feed.feed.entry as { link: { "@_href": string }[]; title: string }[]).find((e) =>
      e.link[0]?.["@_href"].endsWith(`/cap/${id}.xml`),
    );
    expect(entry?.title).toContain("Tạm dừng thông quan");
    const capRes = await fetch(entry?.link[0]?.["@_href"] ?? "");
    expect(capRes.headers.get("content-type")).toContain("application/cap+xml");
    const capText = await capRes.text();
    expect(xmllint(capText).output).toContain("validates");
    const back = readCap(capText);
    expect(back.info.map((i) => i.language)).toEqual(["vi-VN", "zh-CN"]);
    expect(back.info[0]?.description).toBe(onScreen.message.vi);
    expect(back.info[1]?.area[0]?.areaDesc).toBe("友谊国际口岸");

    // Update: new text, Extreme; the screen shows the new text
    const update = await postCap(
      capXml(
        {
          identifier: "BDBP-LS-2",
          msgType: "Update",
          references: `bdbp-langson@bienphong.gov.vn,BDBP-LS-1,2030-01-01T00:00:00+07:00`,
          infos: [
            { language: "vi-VN", severity: "Extreme", headline: "Đóng cửa khẩu đến 14:00", areas: [GATE] },
            { language: "zh-CN", severity: "Extreme", headline: "口岸关闭至14:00", areas: [GATE] },
          ],
        },
        now,
      ),
    );
    expect(update.status).toBe(200);
    expect(update.body).toMatchObject({ action: "update", alert: { id, message: { vi: "Đóng cửa khẩu đến 14:00" } } });
    await waitFor(
      () => (shown(screen()).find((a) => a.id === id)?.message.zh === "口岸关闭至14:00" ? true : undefined),
      10_000,
      "the updated alert on the screen",
    );
    // out, it is now an Update of gatecast's first message, valid CAP too
    const updatedCap = await (await fetch(`${t.url}/cap/${id}.xml`)).text();
    expect(xmllint(updatedCap).output).toContain("validates");
    const updated = readCap(updatedCap);
    expect(updated).toMatchObject({
      msgType: "Update",
      info: [{ severity: "Severe" }, { headline: "口岸关闭至14:00" }],
    });
    expect(updated.references).toContain(`,gatecast-alert-${id},`);

    // Cancel, referencing the update: the screen drops it, the feed and the CAP link forget it
    const cancel = await postCap(
      capXml(
        { identifier: "BDBP-LS-3", msgType: "Cancel", references: "bdbp-langson@bienphong.gov.vn,BDBP-LS-2,x" },
        now,
      ),
    );
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ action: "cancel" });
    await waitFor(
      () => (shown(screen()).some((a) => a.id === id) ? undefined : true),
      10_000,
      "the alert gone from the screen",
    );
    expect(await (await fetch(`${t.url}/cap/feed.atom`)).text()).not.toContain(id);
    expect((await fetch(`${t.url}/cap/${id}.xml`)).status).toBe(404);
    const audit = t.controller.ctx.store.audit.list({ objectKind: "alert", objectId: id }).map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(["send", "cap-send", "update", "cap-update", "cancel", "cap-cancel"]));
  });
});

describe("refused CAP messages change nothing", () => {
  const now = Date.now();
  const vi = { language: "vi-VN", headline: "Ùn tắc", areas: [GATE] };
  const zh = { language: "zh-CN", headline: "拥堵", areas: [GATE] };
  const cases: [string, () => string | CapSpec, number, string, RegExp][] = [
    ["no Chinese info", () => ({ infos: [vi] }), 422, "cap-missing-language", /huu-nghi needs an <info> in zh-CN/],
    ["an unknown area", () => ({ infos: [vi, { ...zh, areas: ["Hà Nội"] }] }), 422, "cap-unknown-area", /Hà Nội/],
    [
      "a past expiry",
      () => ({ infos: [vi, zh].map((i) => ({ ...i, onset: now - 7_200_000, expires: now - 3_600_000 })) }),
      422,
      "cap-expired",
      /already past/,
    ],
    ["malformed XML", () => capXml({}, now).replace("</sender>", ""), 400, "cap-malformed", /not well-formed/],
    ["another namespace", () => capXml({}, now).replace("cap:1.2", "cap:1.1"), 400, "cap-malformed", /expected <alert/],
    ["a DOCTYPE", () => ({ prolog: "<!DOCTYPE alert>\n" }), 400, "cap-doctype", /document type/],
    [
      "an external entity (XXE)",
      () => capXml({ prolog: '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' }, now).replace("Ùn", "&x;"),
      400,
      "cap-doctype",
      /document type/,
    ],
    [
      "a billion laughs",
      () => ({ prolog: `<!DOCTYPE a [<!ENTITY l "lol">${'<!ENTITY l2 "&l;&l;&l;&l;&l;&l;&l;&l;">'}]>\n` }),
      400,
      "cap-doctype",
      /document type/,
    ],
    ["msgType Ack", () => ({ msgType: "Ack" }), 422, "cap-unsupported", /Ack is not a notice/],
    [
      "an unknown reference",
      () => ({ msgType: "Cancel", references: "x@y,nope,z" }),
      404,
      "cap-unknown-reference",
      /references/,
    ],
  ];

  it.each(cases)("%s", async (_, make, status, code, message) => {
    const before = storeState();
    const made = make();
    const res = await postCap(typeof made === "string" ? made : capXml({ identifier: `R-${code}`, ...made }, now));
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(res.body.message).toMatch(message);
    expect(storeState()).toEqual(before);
  });

  it("an oversized body is refused from its Content-Length, before it is read; other types and roles too", async () => {
    const before = storeState();
    const big = capXml({}, now).replace("</alert>", `<note>${"x".repeat(300 * 1024)}</note></alert>`);
    const declared = await rawPost(big.match(/[\s\S]{1,16384}/g) ?? [], {
      "content-length": String(Buffer.byteLength(big)),
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ code: "too-large", params: { maxBytes: 256 * 1024 } });
    // sent in chunks with no Content-Length: cut off once past the limit
    const chunks = Array.from({ length: 40 }, () => `<!-- ${"y".repeat(10_000)} -->`);
    expect((await rawPost(chunks, { "transfer-encoding": "chunked" })).status).toBe(413);
    expect((await postCap(capXml({}, now), { type: "application/json" })).status).toBe(415);
    expect((await postCap(capXml({}, now), { client: editor })).body.code).toBe("forbidden");
    const anonymous = await fetch(`${t.url}/api/v1/alerts/cap`, { method: "POST", body: capXml({}, now) });
    expect(anonymous.status).toBe(401);
    expect(storeState()).toEqual(before);
  });

  it("the same message twice is taken once", async () => {
    const xml = capXml({ identifier: "TWICE", infos: [vi, zh] }, now);
    expect((await postCap(xml)).status).toBe(201);
    const before = storeState();
    const again = await postCap(xml);
    expect(again.body).toMatchObject({ code: "cap-unsupported", params: { field: "identifier" } });
    expect(storeState()).toEqual(before);
  });
});

describe("Test, Exercise and ?dryRun=1 say what would happen", () => {
  it.each(["Test", "Exercise"])("status %s", async (status) => {
    const before = storeState();
    const res = await postCap(capXml({ identifier: `DRY-${status}`, status }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, status, action: "send", gates: [GATE], view: null });
    expect(res.body.targetedScreens).toContain("huu-nghi-arrivals-1");
    expect(storeState()).toEqual(before);
  });

  it("an Actual message with ?dryRun=1, as the console checks it first", async () => {
    const before = storeState();
    const res = await postCap(capXml({ identifier: "DRY-ACTUAL" }), { query: "?dryRun=1" });
    expect(res.body).toMatchObject({ dryRun: true, status: "Actual", action: "send" });
    expect(storeState()).toEqual(before);
    expect((await postCap(capXml({ identifier: "DRY-ACTUAL" }))).status).toBe(201);
  });
});

describe("API tokens bound to an agency", () => {
  let token: string;
  beforeAll(async () => {
    const made = await admin.json<{ token: string }>("POST", "/api/v1/tokens", {
      name: "BĐBP Tân Thanh CAP",
      binding: { agency: "Đồn Biên phòng cửa khẩu Tân Thanh", gates: ["tan-thanh"] },
    });
    expect(made.status).toBe(201);
    token = made.body.token;
  });

  it("sends for its own gates only, and opens no other route", async () => {
    const tanThanh = [
      { language: "vi-VN", headline: "Ùn tắc xe hàng", areas: ["Cửa khẩu Tân Thanh"] },
      { language: "zh-CN", headline: "货车拥堵", areas: ["新清口岸"] },
    ];
    const ok = await postCap(capXml({ sender: "dbp-tanthanh@bienphong.gov.vn", identifier: "TT-1", infos: tanThanh }), {
      bearer: token,
    });
    expect(ok.status).toBe(201);
    expect(ok.body.gates).toEqual(["tan-thanh"]);

    const before = storeState();
    const other = await postCap(capXml({ sender: "dbp-tanthanh@bienphong.gov.vn", identifier: "TT-2" }), {
      bearer: token,
    });
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ code: "cap-out-of-scope", params: { gate: GATE } });
    // nor may it cancel a Hữu Nghị notice an approver's CAP message made
    const cancel = await postCap(
      capXml({ identifier: "TT-3", msgType: "Cancel", references: "bdbp-langson@bienphong.gov.vn,DRY-ACTUAL,x" }),
      { bearer: token },
    );
    expect(cancel.body.code).toBe("cap-out-of-scope");
    expect(storeState()).toEqual(before);

    const list = await fetch(`${t.url}/api/v1/alerts`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(403);
    expect(((await list.json()) as ErrorBody).code).toBe("token-bound");
  });

  it("only an admin makes one, for gates that exist", async () => {
    const byApprover = await approver.json<ErrorBody>("POST", "/api/v1/tokens", {
      name: "x",
      binding: { agency: "Hải quan", gates: [GATE] },
    });
    expect(byApprover.body.code).toBe("forbidden");
    const unknown = await admin.json<ErrorBody>("POST", "/api/v1/tokens", {
      name: "x",
      binding: { agency: "Hải quan", gates: ["nowhere"] },
    });
    expect(unknown.body.issues?.[0]).toMatchObject({ path: "binding.gates", code: "unknown-ref" });
  });
});

describe("gatecast alert import", () => {
  it("sends the file to the running controller, which publishes it; a refusal exits 1 with its code", async () => {
    const made = await approver.json<{ token: string }>("POST", "/api/v1/tokens", { name: "cli" });
    const dir = await mkdtemp(join(tmpdir(), "gatecast-cap-cli-"));
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const run = async (xml: string, ...flags: string[]) => {
      const file = join(dir, `${lines.length}.xml`);
      await writeFile(file, xml);
      lines.length = 0;
      return main(["alert", "import", file, "--controller", t.url, "--token", made.body.token, ...flags], io);
    };
    expect(await run(capXml({ identifier: "CLI-1" }), "--dry-run")).toBe(0);
    expect(lines[0]).toMatch(/^dry run \(status Actual\): would send alert cap-/);
    expect(t.controller.ctx.store.cap.alertOf("bdbp-langson@bienphong.gov.vn", "CLI-1")).toBeUndefined();
    expect(await run(capXml({ identifier: "CLI-1" }))).toBe(0);
    expect(lines[0]).toMatch(/^sent alert cap-/);
    expect(lines.join("\n")).toContain("zh: 货物暂停通关");
    expect(t.controller.ctx.store.cap.alertOf("bdbp-langson@bienphong.gov.vn", "CLI-1")).toMatch(/^cap-/);
    expect(await run(capXml({ identifier: "CLI-2", prolog: "<!DOCTYPE alert>" }))).toBe(1);
    expect(lines.join("\n")).toContain("refused (cap-doctype)");
    await rm(dir, { recursive: true, force: true });
  });
});

describe("the area table", () => {
  it("maps other area descriptions and geocodes to gates; admins keep it", async () => {
    const rules = [
      { areaDesc: "Tỉnh Lạng Sơn", gates: ["huu-nghi", "tan-thanh"] },
      { geocode: { valueName: "ISO3166-2", value: "VN-09" }, gates: ["tan-thanh"] },
    ];
    expect((await editor.json("PUT", "/api/v1/cap/areas", { rules })).status).toBe(403);
    const bad = await admin.json<ErrorBody>("PUT", "/api/v1/cap/areas", {
      rules: [{ areaDesc: "x", gates: ["nowhere"] }],
    });
    expect(bad.body.issues?.[0]).toMatchObject({ path: "rules.0.gates.0", code: "unknown-ref" });
    expect((await admin.json("PUT", "/api/v1/cap/areas", { rules })).status).toBe(200);
    expect((await editor.json("GET", "/api/v1/cap/areas")).body).toEqual({ rules });

    const infos = [
      { language: "vi-VN", headline: "Mưa lớn", areas: ["tỉnh lạng sơn"] },
      {
        language: "zh-CN",
        headline: "大雨",
        areas: [{ desc: "谅山省", geocode: ["ISO3166-2", "VN-09"] as [string, string] }],
      },
    ];
    const res = await postCap(capXml({ identifier: "RAIN", status: "Exercise", infos }));
    expect(res.body).toMatchObject({ dryRun: true, gates: ["huu-nghi", "tan-thanh"] });
  });
});
