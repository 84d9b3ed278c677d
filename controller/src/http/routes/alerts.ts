import { routes } from "@gatecast/playlists/api";
import type { Context } from "../../context.ts";
import { alertView, cancelAlert, listAlerts, sendAlert } from "../../usecases/alerts.ts";
import type { Api } from "../api.ts";
import { caller } from "../request.ts";

/** Urgent notices: signed, published at once, acked by each screen that showed one. */
export function registerAlertRoutes(api: Api, ctx: Context): void {
  const r = routes.alerts;
  api.handle(r.list, () => listAlerts(ctx));
  api.handle(r.get, ({ params }) => alertView(ctx, params.id));
  api.handle(r.send, ({ body, user }) => sendAlert(ctx, caller(user), body));
  api.handle(r.cancel, ({ params, user }) => cancelAlert(ctx, caller(user), params.id));
}
