import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";
import type { Context } from "../context.ts";
import { repoRoot } from "../paths.ts";
import type { Env } from "./auth.ts";

const ROOT = repoRoot();

export const APP_DIRS = {
  kiosk: join(ROOT, "kiosk/dist"),
  console: join(ROOT, "console/dist"),
} as const;

/**
 * Serves the built kiosk at `/kiosk/` and console at `/console/`; unknown paths inside an app get its
 * index.html (client-side routes). Hashed assets are immutable; index.html and the service worker are not.
 */
export function serveApps(app: Hono<Env>, ctx: Context): void {
  app.get("/", (c) => c.redirect("/console/"));
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
      return c.html(await readFile(index, "utf8"));
    });
  }
}
