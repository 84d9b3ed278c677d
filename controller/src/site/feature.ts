import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Context, Feature } from "../context.ts";
import { writeSite } from "./build.ts";
import { siteFromStore } from "./fromStore.ts";

/** Never wait longer than this for the next urgent notice to start or end (a clock may be adjusted). */
const MAX_WAIT_MS = 3_600_000;
/** How long after a release or a change of notices the site is rebuilt. */
const BUILD_DELAY_MS = 2_000;

export const siteDir = (dataDir: string) => join(dataDir, "site", "current");
const imageCacheDir = (dataDir: string) => join(dataDir, "site", "images");

/**
 * Keeps the gate site of the newest release in `DATA_DIR/site/current`, which HTTP serves at `/site/`:
 * built at start, again in the background (2 s) after each release and each change of urgent notices, and
 * when a notice comes into force or ends. Phone copies of images are cached by content hash, so a
 * rebuild costs the pages and a signature. Requests during a build make one more build after it.
 * Off with SITE_SERVE=false (the site is then exported with `gatecast site` only).
 */
export class SiteBuilder implements Feature {
  readonly name = "site";
  readonly dir: string;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private offs: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private pending: NodeJS.Timeout | null = null;
  /** Builds done (for tests and metrics), and the release of the last one. */
  builds = 0;
  release: number | null = null;

  constructor(private readonly ctx: Context) {
    this.dir = siteDir(ctx.config.dataDir);
  }

  start(): void {
    if (!this.ctx.config.siteServe) {
      this.stopped = true;
      return;
    }
    // served from the start (empty until the first build)
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    this.offs.push(
      this.ctx.bus.on("release", () => this.soon()),
      this.ctx.bus.on("alerts-changed", () => this.soon()),
    );
  }

  started(): void {
    this.request();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.offs) off();
    if (this.timer) clearTimeout(this.timer);
    if (this.pending) clearTimeout(this.pending);
    await this.running;
  }

  /**
   * A rebuild shortly after a release or a notice: screens come first (the publisher signs and sends in
   * the same moments), and a burst of changes makes one build.
   */
  private soon(): void {
    if (this.stopped || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      void this.request();
    }, BUILD_DELAY_MS);
    this.pending.unref();
  }

  /** Asks for a rebuild; resolves once the site on disk is at least as new as the store was when asked. */
  request(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.build();
      } while (this.again && !this.stopped);
      this.running = null;
    })();
    return this.running;
  }

  private async build(): Promise<void> {
    const { ctx } = this;
    if (!ctx.store.releases.latest()) return;
    const now = ctx.clock.now();
    try {
      const site = await siteFromStore(ctx.store, ctx.keys, {
        now,
        baseUrl: ctx.config.siteUrl,
        imageCacheDir: imageCacheDir(ctx.config.dataDir),
      });
      await writeSite(site, this.dir);
      this.builds++;
      this.release = site.release.release;
      ctx.log.info({ release: site.release.release, files: site.files.size }, "gate site built");
    } catch (err) {
      ctx.log.error({ err }, "gate site not built (the previous one is still served)");
    }
    this.scheduleBoundary(now);
  }

  /** A rebuild when the next urgent notice starts or ends, so the site's list is the one in force. */
  private scheduleBoundary(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    const next = this.ctx.store.alerts
      .live(now)
      .flatMap((a) => [Date.parse(a.startsAt), Date.parse(a.expiresAt)])
      .filter((t) => t > now)
      .sort((a, b) => a - b)[0];
    if (next === undefined) return;
    this.timer = setTimeout(() => void this.request(), Math.min(next - now + 1_000, MAX_WAIT_MS));
    this.timer.unref();
  }
}
