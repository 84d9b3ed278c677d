import { readFile } from "node:fs/promises";
import {
  type Content,
  canonicalJson,
  isBlocking,
  readabilityTargets,
  type Shortfall,
  sortShortfalls,
} from "@gatecast/playlists";
import type { ReadabilityReport, ReleaseReadability } from "@gatecast/playlists/api";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { AppError } from "../errors.ts";
import { APP_DIRS } from "../http/static.ts";
import { checkReadability, MeasureCache, readabilityRevision } from "../readability/check.ts";
import type { Release } from "../store/releases.ts";
import type { User } from "../store/users.ts";
import { makeRelease } from "./releases.ts";

/*
 * The draft's readability, checked on the controller (never taken from a client's word): rendered in
 * headless Chromium once per change of what decides it, kept per item × screen, and asked for again
 * by each release, which refuses a stale revision and blocking shortfalls without a written reason.
 */

type Ctx = Pick<Context, "store" | "clock" | "log" | "bus" | "config">;

interface State {
  cache: MeasureCache;
  /** The check of one draft (by its canonical JSON), shared by everyone asking meanwhile. */
  running: { key: string; result: Promise<ReadabilityReport> } | null;
  last: { key: string; report: ReadabilityReport } | null;
}

const states = new WeakMap<object, State>();
const stateOf = (ctx: Ctx): State => {
  let s = states.get(ctx.store);
  if (!s) {
    s = { cache: new MeasureCache(), running: null, last: null };
    states.set(ctx.store, s);
  }
  return s;
};

function reportOf(ctx: Ctx, shortfalls: Shortfall[], pairs: number): ReadabilityReport {
  const sorted = sortShortfalls(shortfalls);
  const blocking = sorted.filter(isBlocking).length;
  return {
    revision: readabilityRevision(sorted),
    checkedAt: ctx.clock.now(),
    checked: ctx.config.readabilityCheck,
    pairs,
    blocking,
    warnings: sorted.length - blocking,
    shortfalls: sorted,
  };
}

async function check(ctx: Ctx, content: Content): Promise<ReadabilityReport> {
  const state = stateOf(ctx);
  try {
    const r = await checkReadability(
      content,
      {
        consoleDir: APP_DIRS.console,
        mediaInfo: content.media,
        webHosts: content.webHosts,
        media: async (sha) =>
          ctx.store.media.info(sha) ? readFile(ctx.store.media.path(sha)).catch(() => null) : null,
      },
      { cache: state.cache },
    );
    if (r.rendered)
      ctx.log.info({ pairs: r.pairs, rendered: r.rendered, shortfalls: r.shortfalls.length }, "readability checked");
    return reportOf(ctx, r.shortfalls, r.pairs);
  } catch (e) {
    // no Chromium, no console build: every pair is unchecked (blocking; an approver may still release with a reason)
    const detail = (e instanceof Error ? e.message : String(e)).slice(0, 500);
    ctx.log.error({ err: detail }, "readability check could not run");
    const unchecked: Shortfall[] = readabilityTargets(content).flatMap((t) =>
      t.pairs.map((p) => ({
        item: p.item.id,
        screen: t.screen.id,
        lang: null,
        kind: "unchecked" as const,
        severity: "blocking" as const,
        measured: 0,
        required: 0,
        unit: "mm" as const,
        pages: 1,
        viewingDistanceM: t.screen.panel?.viewingDistanceM ?? 5,
        detail,
      })),
    );
    return reportOf(ctx, unchecked, unchecked.length);
  }
}

/** The readability of `content` (default: the draft), from the last check when nothing changed since. */
export async function readabilityReport(
  ctx: Ctx,
  content: Content = ctx.store.draftContent(),
): Promise<ReadabilityReport> {
  if (!ctx.config.readabilityCheck) return reportOf(ctx, [], 0);
  const state = stateOf(ctx);
  const key = canonicalJson(content);
  if (state.last?.key === key) return state.last.report;
  if (state.running?.key === key) return state.running.result;
  const result = check(ctx, content);
  state.running = { key, result };
  try {
    const report = await result;
    state.last = { key, report };
    return report;
  } finally {
    if (state.running?.result === result) state.running = null;
  }
}

/**
 * Releases the draft after checking its readability here: refused with `readability-stale` when the
 * request names another shortfall set than the draft has now, and with `readability-blocking` when a
 * blocking shortfall remains and no reason is given. A reason goes into the audit log with the list.
 */
export async function releaseChecked(
  ctx: Ctx,
  user: User | null,
  note: string,
  claim: ReleaseReadability | undefined,
): Promise<Release> {
  for (let attempt = 0; ; attempt++) {
    const content = ctx.store.draftContent();
    const report = await readabilityReport(ctx, content);
    // the draft changed while it was checked: check what is there now (the rest comes from the cache)
    if (canonicalJson(ctx.store.draftContent()) !== canonicalJson(content) && attempt < 3) continue;
    if (claim && claim.revision !== report.revision)
      throw new AppError("readability-stale", "the draft's readability changed since it was looked at", {
        params: { revision: report.revision },
      });
    if (report.blocking > 0 && !claim?.reason)
      throw new AppError(
        "readability-blocking",
        `${report.blocking} readability shortfall(s) block the release: fix them, or release with a reason`,
        { params: { blocking: report.blocking, revision: report.revision } },
      );
    const release = makeRelease(ctx, user, note);
    if (report.blocking > 0 && claim?.reason)
      audit(ctx, user, "release-despite-readability", "release", release.id, null, {
        reason: claim.reason,
        revision: report.revision,
        blocking: report.shortfalls.filter(isBlocking),
      });
    return release;
  }
}
