import type { Context } from "../../context.ts";
import type { Services } from "../../services.ts";
import type { Api } from "../api.ts";

export function registerPairingRoutes(_api: Api, _ctx: Context, _services: Services): void {}
