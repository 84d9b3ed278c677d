import type { Context } from "../../context.ts";
import type { Api } from "../api.ts";

export function registerAlertRoutes(_api: Api, _ctx: Context): void {}
