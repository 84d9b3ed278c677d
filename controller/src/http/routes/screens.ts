import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CommandName, Id, ManifestPayload, Screen } from "@gatecast/playlists";
import { z } from "zod";
import { verifyMqttPassword } from "../../auth/passwords.ts";
import type { Context } from "../../context.ts";
import type { Services } from "../../services.ts";
import type { Api } from "../api.ts";
import { audit } from "../audit.ts";
import { HttpError, notFound } from "../errors.ts";
import { requestOrigin } from "../request.ts";

const IdParam = z.object({ id: Id });
const MAX_SCREENSHOT_BYTES = 2 * 1024 * 1024;

/** What the dashboard shows for one screen: inventory, live state, and how far behind it is. */
export function screenView(ctx: Context, screen: Screen) {
  const state = ctx.store.fleet.state(screen.id);
  const published = ctx.store.published.meta(screen.id);
  const hb = state?.heartbeat ?? null;
  const applied = state?.appliedVersion ?? null;
  return {
    ...screen,
    paired: ctx.store.fleet.credentials(screen.id) !== undefined,
    online: state?.online ?? false,
    since: state?.since ?? null,
    lastSeenAt: state?.lastSeenAt ?? null,
    lastHeartbeatAt: hb ? Date.parse(hb.at) : null,
    nowPlaying: hb?.nowPlaying ?? null,
    lastFrameAt: hb?.lastFrameAt ?? null,
    manifest: {
      published: published?.version ?? null,
      publishedAt: published?.publishedAt ?? null,
      applied,
      pending: hb?.pendingVersion ?? null,
      inSync: published !== undefined && applied === published.version,
    },
    media: hb?.media ?? null,
    storage: hb?.storage ?? null,
    memory: hb?.memory ?? null,
    uptimeS: hb?.uptimeS ?? null,
    appVersion: state?.appVersion ?? null,
    errors: state?.errors ?? [],
    screenshotAt: state?.screenshotAt ?? null,
  };
}

export function registerScreenRoutes(api: Api, ctx: Context, services: Services): void {
  const screenshots = join(ctx.config.dataDir, "screenshots");
  const must = (id: string) => {
    const s = ctx.store.draft.get("screens", id);
    if (!s) throw notFound(`screen ${id}`);
    return s;
  };

  api.route(
    {
      method: "get",
      path: "/api/v1/screens",
      summary: "Every screen with its live state",
      tag: "screens",
      role: "viewer",
    },
    (c) => c.json(ctx.store.draft.list("screens").map((s) => screenView(ctx, s))),
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/screens/:id",
      summary: "One screen with its live state",
      tag: "screens",
      role: "viewer",
      params: IdParam,
    },
    (c, { params }) => c.json(screenView(ctx, must(params.id))),
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/screens/:id/manifest",
      summary: "The manifest last published to the screen",
      tag: "screens",
      role: "viewer",
      params: IdParam,
      response: { description: "manifest payload", schema: ManifestPayload },
    },
    (c, { params }) => {
      const row = ctx.store.published.screen(params.id);
      if (!row) throw notFound(`manifest for screen ${params.id}`);
      return c.json((JSON.parse(row.envelope) as { payload: unknown }).payload);
    },
  );

  const save = (
    c: Parameters<Parameters<Api["route"]>[1]>[0],
    screen: Screen,
    user: Parameters<typeof audit>[1],
    create: boolean,
  ) => {
    if (!ctx.store.draft.get("gates", screen.gate)) {
      throw new HttpError(400, "invalid body", [{ path: "gate", message: `unknown gate "${screen.gate}"` }]);
    }
    const before = ctx.store.draft.get("screens", screen.id) ?? null;
    if (create && before) throw new HttpError(409, `screen ${screen.id} already exists`);
    ctx.store.draft.put("screens", screen, ctx.clock.now());
    audit(ctx, user, before ? "update" : "create", "screen", screen.id, before, screen);
    if (before && before.gate !== screen.gate) services.broker?.disconnectScreen(screen.id);
    ctx.bus.emit("screens-changed", { screenIds: [screen.id] });
    return c.json(screenView(ctx, screen), before ? 200 : 201);
  };

  api.route(
    {
      method: "post",
      path: "/api/v1/screens",
      summary: "Add a screen to the inventory",
      tag: "screens",
      role: "admin",
      body: Screen,
    },
    (c, { body, user }) => save(c, body, user, true),
  );

  api.route(
    {
      method: "put",
      path: "/api/v1/screens/:id",
      summary: "Change a screen (takes effect at once, no release needed)",
      tag: "screens",
      role: "admin",
      params: IdParam,
      body: Screen.extend({ id: Id.optional() }),
    },
    (c, { params, body, user }) => {
      if (body.id && body.id !== params.id)
        throw new HttpError(400, "invalid body", [{ path: "id", message: "must match the URL" }]);
      return save(c, { ...body, id: params.id }, user, false);
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/screens/:id",
      summary: "Remove a screen",
      tag: "screens",
      role: "admin",
      params: IdParam,
    },
    (c, { params, user }) => {
      const before = must(params.id);
      ctx.store.draft.delete("screens", params.id);
      audit(ctx, user, "delete", "screen", params.id, before, null);
      services.broker?.disconnectScreen(params.id);
      ctx.bus.emit("screens-changed", { screenIds: [params.id] });
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/screens/:id/credentials",
      summary: "Issue new MQTT credentials (the old ones stop working)",
      tag: "screens",
      role: "admin",
      params: IdParam,
    },
    (c, { params, user }) => {
      must(params.id);
      const issued = services.pairings.issueCredentials(params.id);
      audit(ctx, user, "issue-credentials", "screen", params.id, null, { username: issued.username });
      return c.json(services.pairings.credentialsFor(issued, requestOrigin(c, ctx.config.publicUrl)), 201);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/screens/:id/commands",
      summary: "Send reload, identify, screenshot or clear-cache",
      tag: "screens",
      role: "editor",
      params: IdParam,
      body: z.object({ cmd: CommandName }),
    },
    async (c, { params, body, user }) => {
      must(params.id);
      const sent = await services.commands.send(params.id, body.cmd);
      audit(ctx, user, `command:${body.cmd}`, "screen", params.id, null, sent);
      return c.json(sent, 202);
    },
  );

  // The screen uploads its own capture with its MQTT credentials (HTTP Basic).
  api.app.post("/api/v1/screens/:id/screenshot", async (c) => {
    const id = Id.safeParse(c.req.param("id"));
    if (!id.success) throw notFound("screen");
    const [scheme, encoded] = (c.req.header("authorization") ?? "").split(" ");
    const [username, ...rest] =
      scheme === "Basic" && encoded ? Buffer.from(encoded, "base64").toString("utf8").split(":") : [];
    const creds = ctx.store.fleet.credentials(id.data);
    if (!creds || username !== creds.username || !verifyMqttPassword(rest.join(":"), creds.passwordHash)) {
      throw new HttpError(401, "screen credentials required", undefined, {
        "WWW-Authenticate": 'Basic realm="gatecast screen"',
      });
    }
    if (!(c.req.header("content-type") ?? "").startsWith("image/jpeg")) throw new HttpError(415, "expected image/jpeg");
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (body.length > MAX_SCREENSHOT_BYTES) throw new HttpError(413, "screenshot too large");
    if (body[0] !== 0xff || body[1] !== 0xd8) throw new HttpError(415, "not a JPEG");
    await mkdir(screenshots, { recursive: true });
    const tmp = join(screenshots, `${id.data}.jpg.tmp`);
    await writeFile(tmp, body);
    await rename(tmp, join(screenshots, `${id.data}.jpg`));
    ctx.store.fleet.markScreenshot(id.data, ctx.clock.now());
    ctx.bus.emit("screen-state", { screenId: id.data });
    return c.body(null, 204);
  });

  api.route(
    {
      method: "get",
      path: "/api/v1/screens/:id/screenshot",
      summary: "The last screenshot the screen sent",
      tag: "screens",
      role: "viewer",
      params: IdParam,
      response: { description: "JPEG", contentType: "image/jpeg" },
    },
    async (c, { params }) => {
      const bytes = await readFile(join(screenshots, `${params.id}.jpg`)).catch(() => null);
      if (!bytes) throw notFound(`screenshot of ${params.id}`);
      return c.body(new Uint8Array(bytes), 200, { "Content-Type": "image/jpeg", "Cache-Control": "no-cache" });
    },
  );
}
