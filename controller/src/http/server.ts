import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { routes } from "@gatecast/playlists/api";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import type { Context, Feature } from "../context.ts";
import { AppError } from "../errors.ts";
import type { UpgradeHandler } from "../features/mqtt.ts";
import { fatalIfStoreDamaged } from "../features/storeHealth.ts";
import { serveSite } from "../site/http.ts";
import { isDiskFull } from "../store/integrity.ts";
import { Api } from "./api.ts";
import { authenticate, type Env } from "./auth.ts";
import { identifyClient } from "./request.ts";
import { registerRoutes } from "./routes/index.ts";
import { serveApps } from "./static.ts";

/** The Hono app: security headers, who is calling, every route of the contract, and the two web apps. */
export function createApp(ctx: Context): { app: Hono<Env>; api: Api } {
  const app = new Hono<Env>();
  const api = new Api(app, {
    checkResponses: ctx.config.checkResponses,
    log: ctx.log,
    uploadMaxBytes: ctx.config.mediaMaxBytes,
  });

  app.onError((err, c) => {
    if (err instanceof AppError) {
      if (err.code === "response-mismatch")
        ctx.log.error({ path: c.req.path, method: c.req.method, issues: err.issues }, err.message);
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
      const { status, body } = api.errorBody(err);
      return c.json(body, status as 400);
    }
    // a full disk refuses every write, logins included: say so (503 disk-full), not "internal error"
    if (isDiskFull(err)) {
      ctx.log.error({ err, path: c.req.path, method: c.req.method }, "the data disk is full: request refused");
      const full = new AppError("disk-full", "the data disk is full: nothing was saved; free space on DATA_DIR's disk");
      return c.json(api.errorBody(full).body, 503);
    }
    // a damaged store is not a failed request: the controller stops, saying how to restore
    fatalIfStoreDamaged(ctx, err);
    ctx.log.error({ err, path: c.req.path, method: c.req.method }, "request failed");
    return c.json(api.errorBody(new AppError("internal", "internal error")).body, 500);
  });
  app.notFound((c) =>
    c.json(api.errorBody(new AppError("no-route", `no route for ${c.req.method} ${c.req.path}`)).body, 404),
  );

  app.use("*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "same-origin");
    // the console previews screens in a same-origin frame; nothing else is ever framed
    if (!c.res.headers.has("X-Frame-Options") && !c.req.path.startsWith("/kiosk/")) {
      c.header("X-Frame-Options", c.req.path.startsWith("/console/") ? "SAMEORIGIN" : "DENY");
    }
  });
  app.use("*", identifyClient(ctx.config));
  app.use("/api/*", authenticate(ctx));

  registerRoutes(api, ctx);
  api.handle(routes.system.openapi, () => api.openapi({ title: "gatecast controller API", version: "1" }));
  serveSite(app, ctx);
  serveApps(app, ctx);
  return { app, api };
}

/** HTTP on HOST:PORT; `/mqtt` WebSocket upgrades go to the embedded broker when there is one. */
export class HttpServer implements Feature {
  readonly name = "http";
  private server: ReturnType<typeof createAdaptorServer> | null = null;
  private api: Api | null = null;
  /** The bound port (useful when 0 was asked for). */
  port = 0;

  constructor(
    private readonly ctx: Context,
    private readonly onUpgrade: UpgradeHandler,
  ) {}

  async start(): Promise<void> {
    const { app, api } = createApp(this.ctx);
    this.api = api;
    const server = createAdaptorServer({ fetch: app.fetch });
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!this.onUpgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.ctx.config.port, this.ctx.config.host, () => resolve());
    });
    this.server = server;
    const address = server.address();
    this.port = typeof address === "object" && address ? address.port : this.ctx.config.port;
  }

  stop(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    const node = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
    return new Promise<void>((resolve) => {
      // keep-alive sockets would hold the close open; in-flight responses finish first, and each
      // socket is closed as soon as it falls idle (an ended event stream's included)
      const idle = setInterval(() => node.closeIdleConnections?.(), 50);
      const all = setTimeout(() => node.closeAllConnections?.(), 5_000);
      all.unref();
      server.close(() => {
        clearInterval(idle);
        clearTimeout(all);
        resolve();
      });
      // an open event stream is an answer in flight: end it, or the close waits for it
      this.api?.close();
      node.closeIdleConnections?.();
    });
  }
}
