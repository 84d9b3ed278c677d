import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { ManifestPayload } from "@gatecast/playlists";
import { HtmlValidate } from "html-validate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { ApiClient, startTestController, type TestController } from "../testing/harness.ts";
import { siteFiles, verifySite } from "./verify.ts";

const SITE_URL = "https://thongtin.langson.gov.vn/site";
let t: TestController;
let admin: ApiClient;
let out: string;

const ctrl = () => t.controller;
const siteDir = () => ctrl().features.site.dir;

/** What a CLI command prints, and its exit code. */
async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const o: string[] = [];
  const e: string[] = [];
  const before = process.env.DATA_DIR;
  process.env.DATA_DIR = t.dataDir;
  try {
    const code = await main(argv, { out: (l) => o.push(l), err: (l) => e.push(l) });
    return { code, out: o, err: e };
  } finally {
    if (before === undefined) delete process.env.DATA_DIR;
    else process.env.DATA_DIR = before;
  }
}

beforeAll(async () => {
  t = await startTestController({ env: { SITE_URL, SITE_SERVE: "1" } });
  admin = new ApiClient(t.url);
  expect((await admin.login()).status).toBe(200);
  await ctrl().features.site.request();
  out = await mkdtemp(join(tmpdir(), "gatecast-site-"));
}, 60_000);
afterAll(async () => {
  await t?.stop();
  if (out) await rm(out, { recursive: true, force: true });
});

describe("the gate site of the sample release", () => {
  it("has a home page per gate, a page per item in each of its languages, the urgent page and no originals", async () => {
    const files = await siteFiles(siteDir());
    const release = ctrl().ctx.store.releases.latest();
    if (!release) throw new Error("no release");
    for (const g of release.content.gates) expect(files).toContain(`gates/${g.id}.html`);
    for (const i of release.content.items) expect(files).toContain(`items/${i.id}.html`);
    expect(files).toContain("items/notice-border-zone.zh.html");
    expect(files).toContain("items/notice-border-zone.en.html");
    expect(files).toEqual(
      expect.arrayContaining(["index.html", "urgent.html", "style.css", "release.json", "keys.json"]),
    );
    const images = files.filter((f) => f.startsWith("img/"));
    expect(images.length).toBe(release.content.media.filter((m) => m.mime.startsWith("image/")).length);
    for (const img of images) {
      expect(img).toMatch(/\.webp$/);
      const bytes = await readFile(join(siteDir(), img));
      expect(bytes.length).toBeLessThan(120_000);
    }
    // no file of the site is a stored original
    const originals = new Set(release.content.media.map((m) => m.sha256));
    for (const f of files) expect(originals.has(f.split("/").pop() ?? "")).toBe(false);
  });

  it("shows the gate-status board as a table with each state in words, and every item's source line", async () => {
    const vi = await readFile(join(siteDir(), "items/status-huu-nghi.html"), "utf8");
    expect(vi).toContain('<th scope="col">Tình trạng</th>');
    expect(vi).toContain("Làn hành khách");
    expect(vi).toContain("Mở cửa");
    expect(vi).toContain("07:00–20:00");
    const zh = await readFile(join(siteDir(), "items/status-huu-nghi.zh.html"), "utf8");
    expect(zh).toContain("旅客通道");
    expect(zh).toContain("开放");
    const customs = await readFile(join(siteDir(), "items/notice-border-zone.html"), "utf8");
    expect(customs).toMatch(/<p class="source">Nguồn: [^<]+<\/p>/);
  });

  it("is valid HTML with lang set, no script, every link inside the site, each page under 50 KB", async () => {
    const validator = new HtmlValidate({
      extends: ["html-validate:standard", "html-validate:a11y"],
    });
    const files = await siteFiles(siteDir());
    const pages = files.filter((f) => f.endsWith(".html"));
    expect(pages.length).toBeGreaterThan(60);
    const fileSet = new Set(files);
    for (const page of pages) {
      const html = await readFile(join(siteDir(), page), "utf8");
      expect(Buffer.byteLength(html), page).toBeLessThan(50 * 1024);
      const report = await validator.validateString(html, page);
      expect(
        report.results.flatMap((r) => r.messages.map((m) => `${page}:${m.line}: ${m.ruleId} ${m.message}`)),
      ).toEqual([]);
      expect(html).toMatch(/^<!doctype html>\n<html lang="(vi|zh-Hans|en)">/);
      expect(html).not.toMatch(/<script|\son[a-z]+=|javascript:/i);
      for (const [, link] of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
        if (link === undefined || /^https?:\/\//.test(link)) continue;
        const target = posix.normalize(posix.join(posix.dirname(page), link.split("#")[0] ?? ""));
        expect(fileSet.has(target), `${page} links to ${link}`).toBe(true);
      }
    }
    // chinese text is marked as such, so a phone picks a Chinese font
    const item = await readFile(join(siteDir(), "items/notice-border-zone.html"), "utf8");
    expect(item).toContain('<section class="text" lang="zh-Hans"');
    expect(item).toContain("边境地区管理规定");
    expect(item).toContain("Quy định khu vực biên giới");
    expect(item).toContain(
      `<link rel="alternate" hreflang="zh-Hans" href="${SITE_URL}/items/notice-border-zone.zh.html">`,
    );
  });

  it("carries a signed release.json: the unchanged site passes, one altered byte fails", async () => {
    const keys = ctrl().ctx.keys.jwks;
    const ok = await verifySite(siteDir(), keys);
    expect(ok).toMatchObject({ ok: true, release: { format: "gatecast-site", release: 1 } });

    const r = await cli(["site", join(out, "copy")]);
    expect(r.code, r.err.join("\n")).toBe(0);
    const copy = join(out, "copy");
    expect((await cli(["verify-site", copy, "--key", join(copy, "keys.json")])).code).toBe(0);
    const page = join(copy, "items/notice-currency.html");
    const bytes = await readFile(page);
    const at = bytes.indexOf("<main>") + 2;
    bytes[at] = (bytes[at] ?? 0) ^ 1;
    await writeFile(page, bytes);
    const bad = await cli(["verify-site", copy, "--key", join(copy, "keys.json")]);
    expect(bad.code).toBe(1);
    expect(bad.err.join("\n")).toContain("altered: items/notice-currency.html");
    const r2 = await verifySite(copy, keys);
    expect(r2).toMatchObject({ ok: false, reason: "files", problems: [{ path: "items/notice-currency.html" }] });
  });

  it("is served at /site/ without login, read-only, with no script allowed; the API still needs a login", async () => {
    const home = await fetch(`${t.url}/site/`);
    expect(home.status).toBe(200);
    expect(home.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await home.text()).toContain("Cửa khẩu Quốc tế Hữu Nghị");
    const item = await fetch(`${t.url}/site/items/notice-border-zone.zh.html`);
    expect(item.status).toBe(200);
    expect(await item.text()).toContain('<html lang="zh-Hans">');
    expect((await fetch(`${t.url}/api/v1/draft`)).status).toBe(401);
    expect((await fetch(`${t.url}/site/../api/v1/draft`)).status).toBe(401);
    expect((await fetch(`${t.url}/site/%2e%2e/gatecast.db`)).status).toBe(404);
    expect((await fetch(`${t.url}/site/index.html`, { method: "POST" })).status).toBe(404);
  });

  it("points a kiosk's QR at the item's site page unless the item has its own link", () => {
    const row = ctrl().ctx.store.published.screen("huu-nghi-arrivals-1");
    if (!row) throw new Error("no manifest");
    const text = typeof row.envelope === "string" ? row.envelope : Buffer.from(row.envelope).toString();
    const payload = ManifestPayload.parse((JSON.parse(text) as { payload: unknown }).payload);
    const links = new Map(payload.items.map((i) => [i.id, i.link]));
    expect(links.get("notice-border-zone")).toBe(`${SITE_URL}/items/notice-border-zone.html`);
    expect(links.get("notice-customs-declaration")).toBe("https://www.customs.gov.vn");
  });
});

describe("after the draft changes", () => {
  it("never shows the draft; a deleted item's page is gone after the next release; notices follow at once", async () => {
    const { store, clock } = ctrl().ctx;
    const secret = "BẢN NHÁP CHƯA DUYỆT 草稿";
    const notice = store.draft.get("items", "notice-currency");
    if (notice?.kind !== "notice") throw new Error("sample item missing");
    store.draft.put("items", { ...notice, title: { ...notice.title, vi: secret } }, clock.now());
    // the item leaves every playlist and the content
    for (const p of store.draft.list("playlists")) {
      const items = p.items.filter((e) => (typeof e === "string" ? e : e.item) !== "notice-duty-free");
      if (items.length !== p.items.length) store.draft.put("playlists", { ...p, items }, clock.now());
    }
    store.draft.delete("items", "notice-duty-free");
    await ctrl().features.site.request();
    const all = async () =>
      (await Promise.all((await siteFiles(siteDir())).map((f) => readFile(join(siteDir(), f), "utf8")))).join("\n");
    expect(await all()).not.toContain(secret);
    expect(await all()).not.toContain("BẢN NHÁP");
    expect((await fetch(`${t.url}/site/items/notice-duty-free.html`)).status).toBe(200);

    const alert = {
      id: "site-fog",
      severity: "warning",
      message: { vi: "Sương mù dày trên QL1A, đi chậm", zh: "1A国道有浓雾，请减速慢行" },
      startsAt: new Date(clock.now() - 60_000).toISOString(),
      expiresAt: new Date(clock.now() + 3_600_000).toISOString(),
    };
    expect((await admin.json("POST", "/api/v1/alerts", alert)).status).toBe(201);
    await ctrl().features.site.request();
    const urgent = await (await fetch(`${t.url}/site/urgent.zh.html`)).text();
    expect(urgent).toContain("1A国道有浓雾，请减速慢行");

    const cache = join(t.dataDir, "site/images");
    const cached = async () =>
      Promise.all((await siteFiles(cache)).map(async (f) => `${f} ${(await stat(join(cache, f))).mtimeMs}`));
    const copies = await cached();
    expect(copies.length).toBe(6);
    const before = ctrl().features.site.builds;
    expect((await admin.json("POST", "/api/v1/releases", { note: "site test" })).status).toBe(201);
    await ctrl().features.site.request();
    expect(ctrl().features.site.builds).toBeGreaterThan(before);
    expect(ctrl().features.site.release).toBe(2);
    // the images were not resized again: their copies come from the cache, by content hash
    expect(await cached()).toEqual(copies);
    expect((await fetch(`${t.url}/site/items/notice-duty-free.html`)).status).toBe(404);
    expect(await (await fetch(`${t.url}/site/items/notice-currency.html`)).text()).toContain(secret);
    expect(await verifySite(siteDir(), ctrl().ctx.keys.jwks)).toMatchObject({ ok: true, release: { release: 2 } });
    // an older release on demand, from the command line
    const r = await cli(["site", join(out, "r1"), "--release", "1"]);
    expect(r.code, r.err.join("\n")).toBe(0);
    expect((await siteFiles(join(out, "r1"))).includes("items/notice-duty-free.html")).toBe(true);
  });

  it("refuses to replace a folder that is not a gate site", async () => {
    const dir = join(out, "not-a-site");
    await rm(dir, { recursive: true, force: true });
    await cli(["site", join(dir, "x")]);
    await writeFile(join(dir, "notes.txt"), "keep me");
    const r = await cli(["site", dir]);
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toContain("holds no gate site");
    expect(await readFile(join(dir, "notes.txt"), "utf8")).toBe("keep me");
  });
});
