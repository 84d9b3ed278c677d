import { routes } from "@gatecast/playlists/api";
import type { Context } from "../../context.ts";
import { diskSpace, runMediaGc } from "../../usecases/maintenance.ts";
import type { Api } from "../api.ts";
import { caller } from "../request.ts";

export function registerMaintenanceRoutes(api: Api, ctx: Context): void {
  api.handle(routes.maintenance.disk, () => diskSpace(ctx));
  api.handle(routes.maintenance.mediaGc, ({ body, user }) => runMediaGc(ctx, caller(user), body));
}
