import type { Context } from "../../context.ts";
import type { Api } from "../api.ts";

export function registerMediaRoutes(_api: Api, _ctx: Context): void {}
