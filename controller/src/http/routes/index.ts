import type { Context } from "../../context.ts";
import { registerLeafletRoutes } from "../../leaflet/routes.ts";
import type { Api } from "../api.ts";
import { registerAlertRoutes } from "./alerts.ts";
import { registerAuditRoutes } from "./audit.ts";
import { registerAuthRoutes } from "./auth.ts";
import { registerCapRoutes } from "./cap.ts";
import { registerContentRoutes } from "./content.ts";
import { registerGateStatusRoutes } from "./gateStatus.ts";
import { registerIncidentRoutes } from "./incidents.ts";
import { registerMaintenanceRoutes } from "./maintenance.ts";
import { registerMediaRoutes } from "./media.ts";
import { registerPairingRoutes } from "./pairings.ts";
import { registerReleaseRoutes } from "./releases.ts";
import { registerReportRoutes } from "./reports.ts";
import { registerReviewRoutes } from "./review.ts";
import { registerScreenRoutes } from "./screens.ts";
import { registerSystemRoutes } from "./system.ts";
import { registerUserRoutes } from "./users.ts";

export function registerRoutes(api: Api, ctx: Context): void {
  registerSystemRoutes(api, ctx);
  registerAuthRoutes(api, ctx);
  registerUserRoutes(api, ctx);
  registerContentRoutes(api, ctx);
  registerGateStatusRoutes(api, ctx);
  registerReviewRoutes(api, ctx);
  registerReleaseRoutes(api, ctx);
  registerLeafletRoutes(api, ctx);
  registerAuditRoutes(api, ctx);
  registerMediaRoutes(api, ctx);
  registerScreenRoutes(api, ctx);
  registerPairingRoutes(api, ctx);
  registerAlertRoutes(api, ctx);
  registerCapRoutes(api, ctx);
  registerReportRoutes(api, ctx);
  registerIncidentRoutes(api, ctx);
  registerMaintenanceRoutes(api, ctx);
}
