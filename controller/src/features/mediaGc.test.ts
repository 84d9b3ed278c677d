import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { Store } from "../store/index.ts";
import { startTestController, TestClock } from "../testing/harness.ts";
import { collectMediaGarbage } from "./mediaGc.ts";

const DAY = 86_400_000;
const PNG_HEAD = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const png = () => Buffer.concat([PNG_HEAD, randomBytes(48)]);

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A stopped controller's data folder: the sample content released and published once. */
async function dataFolder(clock: TestClock): Promise<string> {
  const t = await startTestController({ clock });
  await t.stop({ removeData: false });
  dirs.push(t.dataDir);
  return t.dataDir;
}

describe("media/tmp at start", () => {
  it("is emptied: partial uploads a crash left there do not stay for ever", async () => {
    const clock = new TestClock();
    const dataDir = await dataFolder(clock);
    await writeFile(join(dataDir, "media", "tmp", "0a1b2c.part"), randomBytes(1024));
    await mkdir(join(dataDir, "media", "tmp", "stray-dir"));
    const t = await startTestController({ clock, dataDir });
    try {
      expect(await readdir(join(dataDir, "media", "tmp"))).toEqual([]);
    } finally {
      await t.stop({ removeData: false });
    }
  });
});

describe("media garbage collection", () => {
  const clock = new TestClock();
  const now = clock.t;
  let dataDir: string;
  let store: Store;
  const sha: Record<string, string> = {};
  let sample: string[];

  beforeAll(async () => {
    dataDir = await dataFolder(clock);
    store = await Store.open(dataDir);
    sample = store.media.list().map((m) => m.sha256);
    const put = async (name: string, at: number) => {
      sha[name] = (await store.media.put(Readable.from([png()]), { maxBytes: 1 << 20, name, now: at })).sha256;
    };
    await put("unused.png", now - 3 * DAY);
    await put("in-draft.png", now - 3 * DAY);
    await put("in-newest-release.png", now - 3 * DAY);
    await put("in-old-release.png", now - 3 * DAY);
    await put("in-a-manifest.png", now - 3 * DAY);
    await put("just-uploaded.png", now - 3_600_000);

    const info = (name: string) => {
      const m = store.media.info(sha[name] as string);
      if (!m) throw new Error(name);
      return { sha256: m.sha256, bytes: m.bytes, mime: m.mime };
    };
    // only in a release that is no longer among the newest two
    const base = store.draftContent();
    store.releases.create(
      { ...base, media: [...base.media, info("in-old-release.png")] },
      "test",
      "old",
      now - 2 * DAY,
    );
    store.releases.create(base, "test", "middle", now - DAY);
    store.releases.create({ ...base, media: [...base.media, info("in-newest-release.png")] }, "test", "new", now);
    // used by an item of the draft
    store.draft.put(
      "items",
      {
        id: "gc-image",
        kind: "image",
        category: "promotion",
        duration: 8,
        media: info("in-draft.png").sha256,
        fit: "contain",
      },
      now,
    );
    // named by a screen's current signed manifest only
    const meta = store.published.meta("huu-nghi-arrivals-1");
    if (!meta) throw new Error("no manifest");
    const version = meta.version + 1;
    store.published.reserve([{ ...meta, version }]);
    store.published.saveEnvelopes([
      {
        screenId: "huu-nghi-arrivals-1",
        version,
        envelope: JSON.stringify({ payload: { media: [info("in-a-manifest.png")] }, keyId: "k", signature: "s" }),
      },
    ]);
    // files on disk the store never recorded: one old, one still being written
    for (const [name, age] of [
      ["orphan-old", 3 * DAY],
      ["orphan-new", 60_000],
    ] as const) {
      const h = randomBytes(32).toString("hex");
      sha[name] = h;
      const file = store.media.path(h);
      await mkdir(join(file, ".."), { recursive: true });
      await writeFile(file, png());
      const t = new Date(now - age);
      await utimes(file, t, t);
    }
  });
  afterAll(() => store?.close());

  it("a dry run lists exactly what nothing uses and removes nothing", async () => {
    const r = await collectMediaGarbage(store, { keepReleases: 2, graceMs: DAY, now, dryRun: true });
    expect(r.removed.map((f) => f.sha256).sort()).toEqual(
      [sha["unused.png"], sha["in-old-release.png"], sha["orphan-old"]].sort(),
    );
    expect(r.removed.find((f) => !f.known)?.sha256).toBe(sha["orphan-old"]);
    for (const h of Object.values(sha)) expect(existsSync(store.media.path(h))).toBe(true);
    expect(store.media.info(sha["unused.png"] as string)).toBeDefined();
  });

  it("removes them, rows and files, and keeps what the draft, the newest releases, a manifest or a fresh upload needs", async () => {
    const r = await collectMediaGarbage(store, { keepReleases: 2, graceMs: DAY, now, dryRun: false });
    expect(r.removed).toHaveLength(3);
    expect(r.bytes).toBe(r.removed.reduce((n, f) => n + f.bytes, 0));
    for (const name of ["unused.png", "in-old-release.png", "orphan-old"]) {
      expect(existsSync(store.media.path(sha[name] as string))).toBe(false);
      expect(store.media.info(sha[name] as string)).toBeUndefined();
    }
    for (const name of [
      "in-draft.png",
      "in-newest-release.png",
      "in-a-manifest.png",
      "just-uploaded.png",
      "orphan-new",
    ])
      expect(existsSync(store.media.path(sha[name] as string))).toBe(true);
    for (const h of sample) expect(await store.media.exists(h)).toBe(true);
    // nothing left to collect
    expect((await collectMediaGarbage(store, { keepReleases: 2, graceMs: DAY, now, dryRun: true })).removed).toEqual(
      [],
    );
  });
});

describe("gatecast media-gc", () => {
  it("gatecast media-gc: a dry run, then the real one (MEDIA_KEEP_RELEASES, --keep-releases)", async () => {
    const t = await startTestController();
    await t.stop({ removeData: false });
    dirs.push(t.dataDir);
    const dataDir = t.dataDir;
    const store = await Store.open(dataDir);
    const extra = (await store.media.put(Readable.from([png()]), { maxBytes: 1 << 20, name: "late.png", now: 0 }))
      .sha256;
    const saved = { ...process.env };
    Object.assign(process.env, { DATA_DIR: dataDir, MEDIA_KEEP_RELEASES: "2" });
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
      return { code, out: out.join("\n"), err: err.join("\n") };
    };
    try {
      const dry = await run("media-gc", "--dry-run");
      expect(dry.code).toBe(0);
      expect(dry.out).toContain(`${extra.slice(0, 12)}`);
      expect(dry.out).toMatch(
        /would remove 1 media file \(0\.0 MB\) .*kept \d+: used by the draft, the newest 2 releases/,
      );
      expect(existsSync(store.media.path(extra))).toBe(true);
      const real = await run("media-gc");
      expect(real.out).toMatch(/^ {2}[0-9a-f]{12} .* late\.png\nremoved 1 media file/);
      expect(existsSync(store.media.path(extra))).toBe(false);
      expect((await run("media-gc", "--keep-releases", "0")).code).toBe(2);
    } finally {
      process.env = saved;
      store.close();
    }
  });
});
