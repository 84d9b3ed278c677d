/**
 * The readability check over a whole content set: every item × every screen that can show it,
 * rendered and measured in headless Chromium (`measure.ts`), judged by the domain's rules
 * (`judgeItem`). Measurements are kept by what decides them (the item, the screen's panel and gate,
 * the turn's length, the renderer's build), so a check after one edit renders only what changed.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  type Content,
  canonicalJson,
  type ItemMeasure,
  isBlocking,
  judgeItem,
  panelOf,
  readabilityTargets,
  type Shortfall,
  sortShortfalls,
} from "@gatecast/playlists";
import type { Browser } from "playwright-core";
import { withChromium } from "../browser/chromium.ts";
import { type MeasureJob, type MeasureSource, measureJobs } from "./measure.ts";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export interface ReadabilityResult {
  /** Blocking first, in one stable order. */
  shortfalls: Shortfall[];
  /** Item × screen pairs checked. */
  pairs: number;
  /** Pairs rendered for this check (the others came from earlier measurements). */
  rendered: number;
  /** sha256 of the shortfall set: what a release request names to say "I saw exactly these". */
  revision: string;
}

/** The shortfall set's fingerprint (sorted, canonical JSON). */
export function readabilityRevision(shortfalls: readonly Shortfall[]): string {
  return sha256(canonicalJson(sortShortfalls(shortfalls)));
}

/** Measurements by key, the most recent few thousand. */
export class MeasureCache {
  private readonly map = new Map<string, ItemMeasure>();
  constructor(private readonly limit = 5_000) {}
  get(key: string): ItemMeasure | undefined {
    const m = this.map.get(key);
    if (m) {
      this.map.delete(key);
      this.map.set(key, m);
    }
    return m;
  }
  set(key: string, m: ItemMeasure): void {
    this.map.delete(key);
    this.map.set(key, m);
    while (this.map.size > this.limit) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
  }
}

/** Which build of the renderer measures: the preview page names its hashed bundles, so its bytes change with them. */
export function rendererId(consoleDir: string): string {
  try {
    const file = join(consoleDir, "preview.html");
    return `${sha256(readFileSync(file, "utf8")).slice(0, 16)}:${statSync(file).size}`;
  } catch {
    return "none";
  }
}

function jobKey(job: MeasureJob, renderer: string): string {
  const { gate, screen, item, durationS } = job;
  return sha256(
    canonicalJson({
      renderer,
      item,
      durationS,
      gate: { name: gate.name },
      screen: { orientation: screen.orientation, panel: panelOf(screen) },
    }),
  );
}

export interface CheckOptions {
  cache?: MeasureCache;
  /** A browser to use (else one is started for this check and closed after). */
  browser?: Browser;
}

/** Checks every item × screen of `content`. Throws only when Chromium or the renderer is missing. */
export async function checkReadability(
  content: Content,
  source: MeasureSource,
  opts: CheckOptions = {},
): Promise<ReadabilityResult> {
  const renderer = rendererId(source.consoleDir);
  const jobs: MeasureJob[] = readabilityTargets(content).flatMap((t) =>
    t.pairs.map((p) => ({ gate: t.gate, screen: t.screen, item: p.item, durationS: p.durationS })),
  );
  const keyed = jobs.map((job) => ({ job, key: jobKey(job, renderer) }));
  const todo = keyed.filter(({ key }) => !opts.cache?.get(key));
  const fresh = new Map<string, ItemMeasure>();
  if (todo.length) {
    const run = (browser: Browser) =>
      measureJobs(
        browser,
        todo.map((t) => t.job),
        source,
      );
    const measured = opts.browser ? await run(opts.browser) : await withChromium(run);
    todo.forEach(({ job, key }) => {
      const m = measured.find((x) => x.item === job.item.id && x.screen === job.screen.id);
      if (!m) return;
      fresh.set(key, m);
      // a failed render is tried again next time
      if (!m.error) opts.cache?.set(key, m);
    });
  }
  const shortfalls = sortShortfalls(
    keyed.flatMap(({ job, key }) => {
      const m = fresh.get(key) ?? opts.cache?.get(key);
      return m ? judgeItem(job.item, panelOf(job.screen), m, job.durationS) : [];
    }),
  );
  return { shortfalls, pairs: jobs.length, rendered: todo.length, revision: readabilityRevision(shortfalls) };
}

export const blockingCount = (list: readonly Shortfall[]) => list.filter(isBlocking).length;
