/**
 * The machine-readable result every benchmark writes, so that anyone can compare runs:
 * `bench/results/latest.json` holds one row per figure with the fields below, each row self-contained.
 */
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";

export const BENCH_ROOT = resolve(import.meta.dirname, "..");
export const LATEST = join(BENCH_ROOT, "bench/results/latest.json");

export interface ResultRow {
  figure: string;
  broker: string;
  screens: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** p99 of the floor measured in the same run (the bare fan-out of the same broker), if the figure has one. */
  floorP99: number | null;
  /** p99 / floor p99. */
  ratio: number | null;
  machine: string;
  commit: string;
  date: string;
}

let commitHash: string | null = null;
export function commit(): string {
  if (commitHash === null) {
    try {
      commitHash = execFileSync("git", ["-C", BENCH_ROOT, "rev-parse", "--short", "HEAD"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
      const dirty = execFileSync("git", ["-C", BENCH_ROOT, "status", "--porcelain", "--untracked-files=no"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
      if (dirty) commitHash += "+changes";
    } catch {
      commitHash = "unknown";
    }
  }
  return commitHash;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** A row with its ratio, commit and date filled in and times rounded to 0.1 ms. */
export function resultRow<T extends Omit<ResultRow, "ratio" | "commit" | "date">>(
  r: T,
): T & Pick<ResultRow, "ratio" | "commit" | "date"> {
  const ratio = r.floorP99 === null || !(r.floorP99 > 0) ? null : Math.round((r.p99 / r.floorP99) * 100) / 100;
  return {
    ...r,
    p50: round(r.p50),
    p95: round(r.p95),
    p99: round(r.p99),
    max: round(r.max),
    floorP99: r.floorP99 === null ? null : round(r.floorP99),
    ratio,
    commit: commit(),
    date: new Date().toISOString(),
  };
}

export async function writeResults(
  rows: readonly ResultRow[],
  extra: Record<string, unknown> = {},
  file = LATEST,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const load = loadavg().map((x) => Math.round(x * 100) / 100);
  await writeFile(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), loadAverage: load, rows, ...extra }, null, 2)}\n`,
  );
}
