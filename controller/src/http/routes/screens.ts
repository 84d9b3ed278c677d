import { routes } from "@gatecast/playlists/api";
import { verifyMqttPassword } from "../../auth/passwords.ts";
import type { Context } from "../../context.ts";
import { AppError, invalid, issue, notFound } from "../../errors.ts";
import {
  getScreen,
  listScreens,
  readScreenshot,
  removeScreen,
  renewCredentials,
  saveScreen,
  screenView,
  sendCommand,
  storeScreenshot,
} from "../../usecases/screens.ts";
import { type Api, Reply } from "../api.ts";
import { caller, requestOrigin } from "../request.ts";

export function registerScreenRoutes(api: Api, ctx: Context): void {
  const r = routes.screens;
  api.handle(r.list, () => listScreens(ctx));
  api.handle(r.get, ({ params }) => screenView(ctx, getScreen(ctx, params.id)));
  api.handle(r.manifest, ({ params }) => {
    const row = ctx.store.published.screen(params.id);
    if (!row) throw notFound("manifest for screen", params.id);
    return (JSON.parse(row.envelope) as { payload: never }).payload;
  });
  api.handle(r.create, ({ body, user }) => {
    saveScreen(ctx, caller(user), body, { create: true });
    return screenView(ctx, body);
  });
  api.handle(r.put, ({ params, body, user }) => {
    if (body.id && body.id !== params.id)
      throw invalid([issue("id", "id-mismatch", "must match the URL", { id: params.id })], "invalid body");
    const screen = { ...body, id: params.id };
    const { created } = saveScreen(ctx, caller(user), screen, { create: false });
    return new Reply(created ? 201 : 200, screenView(ctx, screen));
  });
  api.handle(r.remove, async ({ params, user }) => {
    await removeScreen(ctx, caller(user), params.id);
  });
  api.handle(r.credentials, ({ params, user, c }) =>
    renewCredentials(ctx, caller(user), params.id, requestOrigin(c, ctx.config.publicUrl)),
  );
  api.handle(r.command, ({ params, body, user }) => sendCommand(ctx, caller(user), params.id, body.cmd));

  // The screen uploads its own capture with its MQTT credentials (HTTP Basic).
  api.handle(r.uploadScreenshot, async ({ params, c }) => {
    const [scheme, encoded] = (c.req.header("authorization") ?? "").split(" ");
    const [username, ...rest] =
      scheme === "Basic" && encoded ? Buffer.from(encoded, "base64").toString("utf8").split(":") : [];
    const creds = ctx.store.fleet.credentials(params.id);
    if (!creds || username !== creds.username || !verifyMqttPassword(rest.join(":"), creds.passwordHash))
      throw new AppError("screen-credentials", "screen credentials required", {
        headers: { "WWW-Authenticate": 'Basic realm="gatecast screen"' },
      });
    await storeScreenshot(
      ctx,
      params.id,
      c.req.header("content-type") ?? "",
      new Uint8Array(await c.req.arrayBuffer()),
    );
  });

  api.handle(r.screenshot, async ({ params, c }) =>
    c.body(await readScreenshot(ctx, params.id), 200, { "Content-Type": "image/jpeg", "Cache-Control": "no-cache" }),
  );
}
