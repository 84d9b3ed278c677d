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

/**
 * The kiosk's Content-Security-Policy: its own scripts only; media from the controller or the media
 * mirror; MQTT over any WebSocket (the broker may be elsewhere); web items in frames; and the display
 * hook the kiosk launcher runs on the loopback interface (`deploy/kiosk/gatecast-display-hook`).
 */
export function kioskCsp(ctx: Pick<Context, "config">): string {
  const mirror =
    ctx.config.mediaBaseUrl && /^https?:\/\//.test(ctx.config.mediaBaseUrl)
      ? ` ${new URL(ctx.config.mediaBaseUrl).origin}`
      : "";
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
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
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
            if (name === "kiosk") {
              c.header("Service-Worker-Allowed", "/kiosk/");
              c.header("Content-Security-Policy", csp);
            }
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
      if (name === "kiosk") c.header("Content-Security-Policy", csp);
      const html = await readFile(index, "utf8");
      return c.html(name === "kiosk" ? withTestHooks(html, ctx.config.testHooks) : html);
    });
  }
}
