import { routes } from "@gatecast/playlists/api";
import type { Context } from "../../context.ts";
import { importGateStatus } from "../../usecases/gateStatus.ts";
import type { Api } from "../api.ts";
import { caller } from "../request.ts";

/** A gate-status item's rows from an agency's CSV or JSON file. */
export function registerGateStatusRoutes(api: Api, ctx: Context): void {
  api.handle(routes.gateStatus.importRows, ({ params, body, user }) =>
    importGateStatus(ctx, caller(user), params.id, body.format, body.text),
  );
}
