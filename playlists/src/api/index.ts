import { capRoutes } from "./cap.ts";
import { contentRoutes, mediaRoutes } from "./content.ts";
import type { Route } from "./contract.ts";
import { alertRoutes, pairingRoutes, screenRoutes } from "./fleet.ts";
import { gateStatusRoutes } from "./gateStatus.ts";
import { leafletRoutes } from "./leaflets.ts";
import { maintenanceRoutes } from "./maintenance.ts";
import { channelRoutes, incidentRoutes } from "./operations.ts";
import { releaseRoutes } from "./releases.ts";
import { auditRoutes, reportRoutes, targetRoutes } from "./reports.ts";
import { reviewRoutes } from "./review.ts";
import { authRoutes, tokenRoutes, userRoutes } from "./session.ts";
import { systemRoutes } from "./system.ts";

export * from "../issues.ts";
export * from "./cap.ts";
export * from "./content.ts";
export * from "./contract.ts";
export * from "./errors.ts";
export * from "./events.ts";
export * from "./fleet.ts";
export * from "./gateStatus.ts";
export * from "./leaflets.ts";
export * from "./maintenance.ts";
export * from "./operations.ts";
export * from "./params.ts";
export * from "./releases.ts";
export * from "./reports.ts";
export * from "./review.ts";
export * from "./session.ts";
export * from "./system.ts";

/** Every route of the controller's HTTP API, by area. */
export const routes = {
  system: systemRoutes,
  auth: authRoutes,
  tokens: tokenRoutes,
  users: userRoutes,
  content: contentRoutes,
  media: mediaRoutes,
  gateStatus: gateStatusRoutes,
  review: reviewRoutes,
  releases: releaseRoutes,
  leaflets: leafletRoutes,
  screens: screenRoutes,
  pairings: pairingRoutes,
  alerts: alertRoutes,
  cap: capRoutes,
  reports: reportRoutes,
  targets: targetRoutes,
  audit: auditRoutes,
  incidents: incidentRoutes,
  channels: channelRoutes,
  maintenance: maintenanceRoutes,
};

const isRoute = (v: unknown): v is Route =>
  typeof v === "object" && v !== null && "method" in v && "path" in v && "response" in v;

function collect(tree: object): Route[] {
  return Object.values(tree).flatMap((v: unknown) =>
    isRoute(v) ? [v] : typeof v === "object" && v !== null ? collect(v) : [],
  );
}

/** The same routes as one list, in declaration order (fixed paths before `:id` ones of the same prefix). */
export const ALL_ROUTES: readonly Route[] = collect(routes);
