import { existsSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";
import type { Context } from "../context.ts";
import type { Env } from "../http/auth.ts";
import { siteDir } from "./feature.ts";
import { sitePaths } from "./paths.ts";

/** No script, no frames, nothing from elsewhere: the site is text, its style sheet and its images. */
export const SITE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The gate site of the newest release at `/site/`, without login: only the files `SiteBuilder` wrote
 * (the release's approved text and the urgent notices in force), never the API or the draft.
 */
export function serveSite(app: Hono<Env>, ctx: Context): void {
  if (!ctx.config.siteServe) return;
  const root = siteDir(ctx.config.dataDir);
  app.get("/site", (c) => c.redirect("/site/"));
  app.use(
    "/site/*",
    serveStatic({
      root,
      rewriteRequestPath: (p) => p.slice("/site".length),
      onFound: (_path, c) => {
        c.header("Cache-Control", "public, max-age=60");
        c.header("Content-Security-Policy", SITE_CSP);
      },
    }),
  );
  app.get("/site/*", (c) => {
    c.header("Cache-Control", "no-cache");
    return existsSync(join(root, sitePaths.release))
      ? c.text("not found / không tìm thấy / 未找到", 404)
      : c.text("the gate site is being built / trang đang được tạo", 503);
  });
}
