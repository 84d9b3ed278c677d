/**
 * The periodic report over a year of data for 100 screens (`npm run bench:report`; not in npm test).
 *
 * - A year of daily aggregates is seeded directly into `plays_daily` (one row per day × screen × item
 *   the screen plays, 28 items, one release per month), and `plays_monthly` summed from it: seeding ~300 million raw plays and rolling them
 *   up would take hours, and the report reads only the aggregates.
 * - One day of raw plays (100 screens × 8,640 plays of 10 s) is stored through the store's own path
 *   and rolled up: bytes per raw play are measured on it, and the database size with 30, 90 and 400
 *   days of raw plays is extrapolated from that measured day.
 * - The yearly report is then written as docx and xlsx, timed.
 *
 * `--out DIR` keeps the store and the generated files there (to open the docx).
 */
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { dayNumber } from "@gatecast/playlists";
import { loadConfig } from "../controller/src/config.ts";
import { Store } from "../controller/src/store/index.ts";
import { SAMPLE_CONTENT } from "../controller/src/testing/harness.ts";
import { importContent } from "../controller/src/usecases/content.ts";
import { reportFile } from "../controller/src/usecases/reportFiles.ts";

const { values } = parseArgs({ options: { out: { type: "string" }, screens: { type: "string" } } });
const SCREENS = Number(values.screens ?? 100);
const dir = values.out ?? (await mkdtemp(join(tmpdir(), "gatecast-bench-report-")));
const dataDir = join(dir, "data");
const store = await Store.open(dataDir);
const mb = (b: number) => `${(b / 1_048_576).toFixed(1)} MB`;
const dbBytes = () => {
  store.db.pragma("wal_checkpoint(TRUNCATE)");
  const pages = store.db.pragma("page_count", { simple: true }) as number;
  const free = store.db.pragma("freelist_count", { simple: true }) as number;
  return (pages - free) * (store.db.pragma("page_size", { simple: true }) as number);
};

const YEAR = 2025;
const t0 = Date.parse(`${YEAR}-01-01T00:00:00+07:00`);
await importContent(store, SAMPLE_CONTENT, t0 - 86_400_000);
const gates = ["huu-nghi", "tan-thanh"];
for (let i = 0; i < SCREENS; i++)
  store.draft.put(
    "screens",
    { id: `bench-${i}`, gate: gates[i % 2] as string, name: `Màn hình ${i + 1}`, tags: [], orientation: "landscape" },
    0,
  );
const releases: number[] = [];
for (let m = 0; m < 12; m++) {
  const at = Date.parse(`${YEAR}-${String(m + 1).padStart(2, "0")}-01T08:00:00+07:00`);
  releases.push(store.releases.create(store.draftContent(), "bench", `month ${m + 1}`, at).id);
}
const items = store.draft.list("items").map((i) => i.id);
const empty = dbBytes();

// a year of aggregates, seeded directly
let started = performance.now();
const insert = store.db.prepare(
  "INSERT INTO plays_daily (day, gate, screen, item, release_id, lang, plays, ms) VALUES (?, ?, ?, ?, ?, '*', ?, ?)",
);
const first = dayNumber(`${YEAR}-01-01`);
const gateKeys = gates.map((g) => store.plays.key("gate", g));
const itemKeys = items.map((i) => store.plays.key("item", i));
let rows = 0;
for (let d = 0; d < 365; d++) {
  const release = releases[Math.floor(d / 30.5)] as number;
  store.db.transaction(() => {
    for (let s = 0; s < SCREENS; s++) {
      const screen = store.plays.key("screen", `bench-${s}`);
      for (const item of itemKeys) {
        const plays = 280 + ((d * 7 + s * 3 + item) % 40);
        insert.run(first + d, gateKeys[s % 2], screen, item, release, plays, plays * 10_000);
        rows++;
      }
    }
  })();
}
store.db.exec(`INSERT INTO plays_monthly (month, gate, screen, item, release_id, lang, plays, ms)
  SELECT CAST(strftime('%Y', day * 86400, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', day * 86400, 'unixepoch') AS INTEGER) - 1,
    gate, screen, item, release_id, lang, SUM(plays), SUM(ms) FROM plays_daily GROUP BY 1, gate, screen, item, release_id, lang`);
const uptime = [];
for (let d = 0; d < 365; d++)
  for (let s = 0; s < SCREENS; s++)
    uptime.push({
      screenId: `bench-${s}`,
      day: new Date((first + d) * 86_400_000).toISOString().slice(0, 10),
      gate: gates[s % 2] as string,
      shouldOnMs: 16 * 3_600_000,
      onlineOnMs: 16 * 3_600_000 - ((d + s) % 13) * 60_000,
    });
store.incidents.upsertDaily(uptime);
const seedS = (performance.now() - started) / 1000;
const withAggregates = dbBytes();
console.log(
  `seeded ${rows.toLocaleString("en")} daily aggregate rows (a year, ${SCREENS} screens, ${items.length} items) in ${seedS.toFixed(1)} s`,
);
console.log(`aggregates + uptime roll-up for a year: ${mb(withAggregates - empty)} (target < 200 MB)`);

// one measured day of raw plays through the store's path, rolled up
started = performance.now();
const rawDay = Date.parse(`${YEAR + 1}-01-05T00:00:00+07:00`);
const perScreen = 8_640;
for (let s = 0; s < SCREENS; s++) {
  const recs = Array.from({ length: perScreen }, (_, k) => ({
    id: crypto.randomUUID(),
    item: items[k % items.length] as string,
    startedAt: rawDay + k * 10_000,
    durationMs: 10_000,
    releaseId: releases[11] as number,
  }));
  store.plays.store(`bench-${s}`, gates[s % 2] as string, recs, rawDay + 86_400_000);
}
const rawStoreS = (performance.now() - started) / 1000;
started = performance.now();
while (store.plays.rollupBatch(() => "Asia/Ho_Chi_Minh") > 0);
const rollupS = (performance.now() - started) / 1000;
const withRawDay = dbBytes();
const rawPlays = SCREENS * perScreen;
const withIds = (withRawDay - withAggregates) / rawPlays;
// the play ids go after 14 days: measure what a play costs without its id
let n = -1;
while (n !== 0) n = store.plays.forgetIds(Number.MAX_SAFE_INTEGER, 50_000);
const compact = (dbBytes() - withAggregates) / rawPlays;
console.log(
  `one day of raw plays (${rawPlays.toLocaleString("en")}): stored in ${rawStoreS.toFixed(1)} s, rolled up in ${rollupS.toFixed(1)} s; ` +
    `${withIds.toFixed(0)} bytes per raw play with its play id (first 14 days), ${compact.toFixed(0)} bytes without (measured)`,
);
for (const days of [30, 90, 400]) {
  const idDays = Math.min(days, 14);
  const raw = rawPlays * (idDays * withIds + (days - idDays) * compact);
  console.log(`  with ${days} days of raw plays: ~${mb(withAggregates + raw)} (extrapolated from the measured day)`);
}

// the yearly report
const config = loadConfig({ DATA_DIR: dataDir, PLAYS_RETENTION_DAYS: "90" });
const ctx = { store, clock: { now: () => Date.parse(`${YEAR + 1}-01-06T00:00:00Z`) }, config };
for (const format of ["docx", "xlsx"] as const) {
  started = performance.now();
  const f = await reportFile(ctx, { from: `${YEAR}-01-01`, to: `${YEAR}-12-31`, format, table: "items" });
  const s = (performance.now() - started) / 1000;
  await writeFile(join(dir, f.filename), f.body);
  console.log(`yearly report (${format}, every gate): ${s.toFixed(2)} s, ${mb(f.body.length)} (target < 5 s)`);
}
started = performance.now();
const csv = await reportFile(ctx, { from: `${YEAR}-01-01`, to: `${YEAR}-12-31`, format: "csv", table: "months" });
console.log(`yearly CSV by month: ${((performance.now() - started) / 1000).toFixed(2)} s, ${csv.body.length} bytes`);
console.log(`database file: ${mb((await stat(join(dataDir, "gatecast.db"))).size)}; files in ${dir}`);
store.close();
if (!values.out) await rm(dir, { recursive: true, force: true });
