import type { Context } from "../../context.ts";
import type { Api } from "../api.ts";

export function registerAuditRoutes(_api: Api, _ctx: Context): void {}
