import type { Context } from "../../context.ts";
import type { Api } from "../api.ts";

export function registerReleaseRoutes(_api: Api, _ctx: Context): void {}
