import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import type { Context } from "../context.ts";
import type { Services } from "../services.ts";
import { Api } from "./api.ts";
import { authenticate, type Env } from "./auth.ts";
import { HttpError } from "./errors.ts";
import { registerRoutes } from "./routes/index.ts";
import { serveApps } from "./static.ts";

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

/** The Hono app: security headers, who is calling, every `/api/v1` route, media and the two web apps. */
export function createApp(ctx: Context, services: Services): { app: Hono<Env>; api: Api } {
  const app = new Hono<Env>();
  const api = new Api(app);

  app.onError((err, c) => {
    if (err instanceof HttpError) {
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
      return c.json({ error: err.message, ...(err.issues ? { issues: err.issues } : {}) }, err.status);
    }
    ctx.log.error({ err, path: c.req.path, method: c.req.method }, "request failed");
    return c.json({ error: "internal error" }, 500);
  });
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));

  app.use("*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "same-origin");
    // the console previews screens in a same-origin frame; nothing else is ever framed
    if (!c.res.headers.has("X-Frame-Options") && !c.req.path.startsWith("/kiosk/")) {
      c.header("X-Frame-Options", c.req.path.startsWith("/console/") ? "SAMEORIGIN" : "DENY");
    }
  });
  app.use("/api/*", authenticate(ctx));

  registerRoutes(api, ctx, services);
  app.get("/api/v1/openapi.json", (c) => c.json(api.openapi({ title: "gatecast controller API", version: "1" })));
  serveApps(app, ctx);
  return { app, api };
}

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

/** Listens on HOST:PORT; `/mqtt` WebSocket upgrades go to the embedded broker when there is one. */
export async function listen(ctx: Context, app: Hono<Env>, onUpgrade: UpgradeHandler | null): Promise<HttpServer> {
  const server = createAdaptorServer({ fetch: app.fetch });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!onUpgrade?.(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(ctx.config.port, ctx.config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : ctx.config.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // keep-alive sockets would hold the close open; in-flight responses finish first
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        setTimeout(
          () => (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.(),
          5_000,
        ).unref();
      }),
  };
}
