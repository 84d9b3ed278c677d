import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { ApiClient, ROOT, startTestController, type TestController } from "../testing/harness.ts";

/** Where the printed leaflets and their renderings are kept, to be looked at. */
const OUT = join(ROOT, "test-results/leaflet");
const SITE_URL = "https://thongtin.langson.gov.vn/site";
let t: TestController;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  t = await startTestController({ env: { SITE_URL } });
}, 60_000);
afterAll(() => t?.stop());

const text = (pdf: string) => execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });

describe("leaflets", () => {
  it("the console's PDF: both languages with diacritics intact, source, QR to the site, fonts embedded", async () => {
    // (this controller runs with SITE_SERVE off: no /site/ at all)
    expect((await fetch(`${t.url}/site/`)).status).toBe(404);
    const anonymous = await fetch(`${t.url}/api/v1/leaflet?items=notice-border-zone`);
    expect(anonymous.status).toBe(401);
    const admin = new ApiClient(t.url);
    await admin.login();
    const res = await admin.request(
      "GET",
      "/api/v1/leaflet?items=notice-border-zone,promo-mau-son,not-released&size=A4",
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const file = join(OUT, "leaflet-A4.pdf");
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));

    const words = text(file);
    for (const s of [
      "Cửa khẩu Quốc tế Hữu Nghị",
      "友谊国际口岸",
      "Quy định khu vực biên giới",
      "边境地区管理规定",
      "Bộ đội Biên phòng",
      "严禁经小道",
      "Mẫu Sơn",
      "Quét mã để đọc trên điện",
      "Bản phát hành số 1",
      `${SITE_URL}/items/notice-border-zone.html`,
    ])
      expect(words).toContain(s);
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    expect(info).toMatch(/Pages:\s+2\b/);
    expect(info).toContain("(A4)");
    // every font is embedded and subset: Noto Sans for Vietnamese, Noto Sans SC for Chinese
    const fonts = execFileSync("pdffonts", [file], { encoding: "utf8" }).split("\n").slice(2).filter(Boolean);
    expect(fonts.some((f) => /\+NotoSans-/.test(f))).toBe(true);
    expect(fonts.some((f) => /\+NotoSansSC/.test(f))).toBe(true);
    for (const f of fonts) expect(f).toMatch(/\syes\s+yes\s+yes\s/);
    // rendered for a person to look at: test-results/leaflet/leaflet-A4-1.png
    execFileSync("pdftoppm", ["-r", "70", "-png", file, join(OUT, "leaflet-A4")]);

    const none = await admin.request("GET", "/api/v1/leaflet?items=not-released");
    expect(none.status).toBe(404);
  }, 90_000);

  it("gatecast leaflet: A5 from the newest release, refusing items it does not hold", async () => {
    const before = process.env.DATA_DIR;
    process.env.DATA_DIR = t.dataDir;
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    try {
      const file = join(OUT, "leaflet-A5.pdf");
      const code = await main(
        ["leaflet", "--item", "notice-customs-declaration", "--out", file, "--size", "a5", "--base-url", SITE_URL],
        io,
      );
      expect(code, err.join("\n")).toBe(0);
      expect(readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");
      expect(execFileSync("pdfinfo", [file], { encoding: "utf8" })).toContain("(A5)");
      const words = text(file);
      expect(words).toContain("Khai báo hải quan");
      expect(words).toContain("海关申报");
      expect(words).toContain("Customs declaration");
      execFileSync("pdftoppm", ["-r", "70", "-png", file, join(OUT, "leaflet-A5")]);
      expect(await main(["leaflet", "--item", "nope", "--out", join(OUT, "x.pdf")], io)).toBe(1);
      expect(err.join("\n")).toContain("not in release 1: nope");
    } finally {
      if (before === undefined) delete process.env.DATA_DIR;
      else process.env.DATA_DIR = before;
    }
  }, 90_000);
});
