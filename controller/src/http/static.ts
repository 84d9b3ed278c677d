import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono, Context as HonoContext } from "hono";
import type { Context } from "../context.ts";
import { repoRoot } from "../paths.ts";
import type { Env } from "./auth.ts";

const ROOT = repoRoot();

export const APP_DIRS = {
  kiosk: join(ROOT, "kiosk/dist"),
  console: join(ROOT, "console/dist"),
} as const;

/** The origin of the media mirror (MEDIA_BASE_URL), with a leading space, or "" when media are ours. */
function mirrorOrigin(ctx: Pick<Context, "config">): string {
  const base = ctx.config.mediaBaseUrl;
  return base && /^https?:\/\//.test(base) ? ` ${new URL(base).origin}` : "";
}

/**
 * The kiosk's Content-Security-Policy: its own scripts only; media from the controller or the media
 * mirror; MQTT over any WebSocket (the broker may be elsewhere, and a kiosk's shell is precached, so
 * a header naming today's broker would go stale); web items in frames (the hosts allowed are enforced
 * by the kiosk from the signed manifest); the display hook the kiosk launcher runs on the loopback
 * interface (`deploy/kiosk/gatecast-display-hook`); framed by no other site.
 */
export function kioskCsp(ctx: Pick<Context, "config">): string {
  const mirror = mirrorOrigin(ctx);
  const hook = "http://127.0.0.1:* http://localhost:*";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${mirror}`,
    `media-src 'self' blob:${mirror}`,
    "font-src 'self' data:",
    `connect-src 'self' ws: wss:${mirror} ${hook}`,
    "frame-src http: https:",
    // mqtt.js runs its keep-alive timers in a worker it makes from a blob (throttled tabs keep time)
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'self'",
  ].join("; ");
}

/**
 * The console's Content-Security-Policy: its own scripts only; images and media from the controller,
 * the media mirror and blob: (screenshots, previews); connections to the controller, the mirror and
 * the external broker's WebSocket (MQTT_WS_URL); web items of the screen preview in frames; framed by
 * nothing but itself (the preview's srcdoc frame).
 */
export function consoleCsp(ctx: Pick<Context, "config">): string {
  const mirror = mirrorOrigin(ctx);
  const ws = ctx.config.mqtt?.wsUrl;
  const broker = ws ? ` ${new URL(ws).origin}` : "";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${mirror}`,
    `media-src 'self' blob:${mirror}`,
    "font-src 'self' data:",
    `connect-src 'self'${mirror}${broker}`,
    "frame-src 'self' http: https:",
    // mqtt.js runs its keep-alive timers in a worker it makes from a blob (throttled tabs keep time)
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join("; ");
}

/** The kiosk reads `<meta name="gatecast-test-hooks" content="1">` before honouring any test hook. */
export function withTestHooks(html: string, on: boolean): string {
  return on ? html.replace("<head>", '<head>\n    <meta name="gatecast-test-hooks" content="1" />') : html;
}

/**
 * Serves the built kiosk at `/kiosk/` and console at `/console/`; unknown paths inside an app get its
 * index.html (client-side routes). Hashed assets are immutable; index.html and the service worker are not.
 */
export function serveApps(app: Hono<Env>, ctx: Context): void {
  const csp = kioskCsp(ctx);
  const policies: Record<string, string> = { kiosk: csp, console: consoleCsp(ctx) };
  app.get("/", (c) => c.redirect("/console/"));
  // the kiosk's shell says whether its test hooks count (GATECAST_TEST_HOOKS=1): never in production
  const kioskIndex = async (c: HonoContext<Env>) => {
    const index = join(APP_DIRS.kiosk, "index.html");
    if (!existsSync(index)) return c.text("kiosk is not built: run npm run build", 503);
    c.header("Cache-Control", "no-cache");
    c.header("Content-Security-Policy", csp);
    return c.html(withTestHooks(await readFile(index, "utf8"), ctx.config.testHooks));
  };
  app.get("/kiosk/", kioskIndex);
  app.get("/kiosk/index.html", kioskIndex);
  for (const [name, dir] of Object.entries(APP_DIRS)) {
    app.get(`/${name}`, (c) => c.redirect(`/${name}/`));
    if (existsSync(dir))
      app.use(
        `/${name}/*`,
        serveStatic({
          root: dir,
          rewriteRequestPath: (p) => p.slice(name.length + 1),
          onFound: (path, c) => {
            const hashed = /[.-][A-Za-z0-9_-]{8,}\.(js|css|woff2?)$/.test(path) && path.includes("/assets/");
            c.header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
            if (name === "kiosk") c.header("Service-Worker-Allowed", "/kiosk/");
            c.header("Content-Security-Policy", policies[name] ?? csp);
          },
        }),
      );
    app.get(`/${name}/*`, async (c) => {
      const index = join(dir, "index.html");
      if (!existsSync(index)) {
        ctx.log.warn({ app: name }, "web app not built");
        return c.text(`${name} is not built: run npm run build`, 503);
      }
      c.header("Cache-Control", "no-cache");
      c.header("Content-Security-Policy", policies[name] ?? csp);
      const html = await readFile(index, "utf8");
      return c.html(name === "kiosk" ? withTestHooks(html, ctx.config.testHooks) : html);
    });
  }
}
