import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatIssue, loadContentDir } from "./index.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);

const BASE: Record<string, string | Uint8Array> = {
  "gates.yaml": `gates:
  - id: huu-nghi
    name: { vi: "Cửa khẩu Quốc tế Hữu Nghị", zh: "友谊国际口岸" }
    defaultPlaylist: main
screens:
  - { id: arr-1, gate: huu-nghi, name: "Sảnh nhập cảnh", tags: [arrivals] }
`,
  "items.yaml": `webHosts: [langson.gov.vn]
items:
  - id: welcome
    kind: notice
    category: promotion
    duration: 10
    title: { vi: "Chào mừng", zh: "欢迎" }
    body: { vi: "Chào mừng đến Lạng Sơn", zh: "欢迎来到谅山" }
  - id: customs
    kind: notice
    category: border-law
    duration: 12
    source: { agency: { vi: "Cục Hải quan tỉnh Lạng Sơn", zh: "谅山省海关局" } }
    title: { vi: "Khai báo hải quan", zh: "海关申报" }
    body: { vi: "Hàng hoá phải khai báo", zh: "货物须申报" }
  - id: mau-son
    kind: image
    category: tourism
    duration: 8
    src: media/mau-son.png
  - id: portal
    kind: web
    category: promotion
    duration: 20
    url: https://langson.gov.vn/du-lich
`,
  "playlists.yaml": `playlists:
  - id: main
    name: Chính
    items: [welcome, customs, mau-son, { item: portal, duration: 15 }]
schedules:
  - id: rush
    playlist: main
    days: [mon, tue]
    window: { from: "06:30", to: "09:00" }
    priority: 10
`,
  "media/mau-son.png": PNG,
};

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function folder(files: Record<string, string | Uint8Array | null>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "gatecast-content-"));
  dirs.push(dir);
  for (const [name, body] of Object.entries({ ...BASE, ...files })) {
    if (body === null) continue;
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), body);
  }
  return dir;
}

async function problems(files: Record<string, string | Uint8Array | null>): Promise<string[]> {
  const { issues } = await loadContentDir(await folder(files));
  return issues.map(formatIssue);
}

const replace = (file: string, from: string, to: string) => {
  const text = BASE[file] as string;
  if (!text.includes(from)) throw new Error(`fixture ${file} has no ${from}`);
  return { [file]: text.replace(from, to) };
};

describe("content folder loading", () => {
  it("loads valid content, merging files and hashing media from their bytes", async () => {
    const { content, issues, mediaFiles } = await loadContentDir(await folder({}));
    expect(issues).toEqual([]);
    expect(content.items.map((i) => i.id)).toEqual(["welcome", "customs", "mau-son", "portal"]);
    const image = content.items.find((i) => i.id === "mau-son");
    expect(image).toMatchObject({ kind: "image", media: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(content.media).toEqual([
      { sha256: (image as { media: string }).media, bytes: PNG.length, mime: "image/png" },
    ]);
    expect(mediaFiles.size).toBe(1);
    expect(content.gates[0]?.timezone).toBe("Asia/Ho_Chi_Minh");
  });

  it("reads a gate's on-hours, unquoted dates for Tết included", async () => {
    const { content, issues } = await loadContentDir(
      await folder(
        replace(
          "gates.yaml",
          "    defaultPlaylist: main\n",
          `    defaultPlaylist: main
    onHours:
      on:
        - window: { from: "05:30", to: "23:00" }
      off:
        - dates: { from: 2027-02-05, to: 2027-02-09 }
          note: Tết Đinh Mùi
`,
        ),
      ),
    );
    expect(issues).toEqual([]);
    expect(content.gates[0]?.onHours).toEqual({
      on: [{ days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], window: { from: "05:30", to: "23:00" } }],
      off: [
        {
          days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
          dates: { from: "2027-02-05", to: "2027-02-09" },
          note: "Tết Đinh Mùi",
        },
      ],
    });
    expect(
      await problems(
        replace("gates.yaml", "    defaultPlaylist: main\n", "    defaultPlaylist: main\n    onHours: { on: [] }\n"),
      ),
    ).toEqual(["gates.yaml gates[0].onHours.on: name at least one period the screens are on"]);
  });

  it("names the file and field of a border-law text without Chinese", async () => {
    expect(
      await problems(
        replace(
          "items.yaml",
          'body: { vi: "Hàng hoá phải khai báo", zh: "货物须申报" }',
          'body: { vi: "Hàng hoá phải khai báo" }',
        ),
      ),
    ).toEqual(["items.yaml items[1].body.zh: required for border-law notices"]);
  });

  it("names the border-law item without its source, and the field to fill", async () => {
    expect(
      await problems(
        replace("items.yaml", '    source: { agency: { vi: "Cục Hải quan tỉnh Lạng Sơn", zh: "谅山省海关局" } }\n', ""),
      ),
    ).toEqual(["items.yaml items[1].source.agency: required for border-law items: name the agency that issued it"]);
  });

  it("rejects a time that does not exist", async () => {
    expect(await problems(replace("playlists.yaml", '"06:30"', '"25:00"'))).toEqual([
      'playlists.yaml schedules[0].window.from: invalid time "25:00", expected HH:MM (00:00–23:59)',
    ]);
  });

  it("rejects schema errors with the field path", async () => {
    const out = await problems(replace("items.yaml", "duration: 12", "duration: -3\n    colour: red"));
    expect(out).toContain("items.yaml items[1].duration: must be more than 0 seconds");
    expect(out.some((l) => l.startsWith("items.yaml items[1]") && l.includes("colour"))).toBe(true);
  });

  it("rejects references to unknown playlists, items, gates and screens", async () => {
    const out = await problems({
      ...replace("playlists.yaml", "playlist: main", "playlist: nope"),
      "more.yaml": `screens:
  - { id: dep-1, gate: tan-thanh, name: "Sảnh xuất cảnh" }
alerts:
  - id: fog
    severity: warning
    message: { vi: "Sương mù", zh: "大雾" }
    targets: { screens: [ghost] }
    startsAt: 2026-11-23T06:00:00+07:00
    expiresAt: 2026-11-23T12:00:00+07:00
playlists:
  - { id: extra, name: Thêm, items: [welcome, missing-item] }
`,
    });
    expect(out).toEqual(
      expect.arrayContaining([
        'playlists.yaml schedules[0].playlist: unknown playlist "nope"',
        'more.yaml screens[0].gate: unknown gate "tan-thanh"',
        'more.yaml alerts[0].targets.screens[0]: unknown screen "ghost"',
        'more.yaml playlists[0].items[1]: unknown item "missing-item"',
      ]),
    );
    expect(out).toHaveLength(4);
  });

  it("rejects a duplicate id, even across files", async () => {
    const out = await problems({
      "dup.yaml": `items:
  - { id: welcome, kind: notice, category: tourism, duration: 5, title: { vi: "A", zh: "甲" }, body: { vi: "B", zh: "乙" } }
`,
    });
    expect(out).toEqual(['items.yaml items[0].id: duplicate item id "welcome" (first in dup.yaml items[0])']);
  });

  it("rejects a missing media file and a path that leaves the folder", async () => {
    expect(await problems({ "media/mau-son.png": null })).toEqual([
      "items.yaml items[2].src: media file not found: media/mau-son.png",
    ]);
    expect(await problems(replace("items.yaml", "src: media/mau-son.png", "src: ../../etc/passwd"))).toEqual([
      "items.yaml items[2].src: must be a relative path inside the content folder",
    ]);
    expect(await problems({ "media/mau-son.png": "#!/bin/sh\necho hi\n" })).toEqual([
      "items.yaml items[2].src: not an image or video we can play (png, jpeg, webp, gif, mp4, webm): media/mau-son.png",
    ]);
  });

  it("rejects a web item whose host is not on the allowlist", async () => {
    expect(await problems(replace("items.yaml", "https://langson.gov.vn/du-lich", "https://example.com/x"))).toEqual([
      'items.yaml items[3].url: host "example.com" is not in webHosts',
    ]);
  });

  it("reports YAML syntax errors and unknown top-level lists by file", async () => {
    const out = await problems({ "bad.yaml": "items:\n  - id: [unclosed\n", "odd.yaml": "widgets: []\n" });
    expect(out.some((l) => /^bad\.yaml: YAML syntax error at line \d+/.test(l))).toBe(true);
    expect(out).toContain(
      'odd.yaml widgets: unknown list "widgets" (expected one of: gates, screens, items, playlists, schedules, alerts, webHosts)',
    );
  });

  it("does not repeat a problem as an unknown reference elsewhere", async () => {
    const out = await problems(replace("items.yaml", "category: border-law", "category: smuggling"));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^items\.yaml items\[1\]\.category: /);
  });

  it("says so when the folder does not exist", async () => {
    const { issues } = await loadContentDir("/nonexistent/gatecast");
    expect(issues.map(formatIssue)).toEqual(["/nonexistent/gatecast: content folder not found"]);
  });
});
