import { routes } from "@gatecast/playlists/api";
import type { Context } from "../../context.ts";
import {
  acknowledgeIncident,
  incidentDetail,
  incidentSettings,
  listChannels,
  listIncidents,
  removeChannel,
  saveChannel,
  saveIncidentSettings,
  testChannel,
} from "../../usecases/incidents.ts";
import type { Api } from "../api.ts";
import { caller } from "../request.ts";

/** Incidents and their history, the rules' settings, and the notification channels. */
export function registerIncidentRoutes(api: Api, ctx: Context): void {
  const r = routes.incidents;
  api.handle(r.list, ({ query }) => listIncidents(ctx, query));
  api.handle(r.settings, () => incidentSettings(ctx));
  api.handle(r.saveSettings, ({ body, user }) => saveIncidentSettings(ctx, caller(user), body));
  api.handle(r.get, ({ params }) => incidentDetail(ctx, params.id));
  api.handle(r.acknowledge, ({ params, user }) => acknowledgeIncident(ctx, caller(user), params.id));

  const ch = routes.channels;
  api.handle(ch.list, () => listChannels(ctx));
  api.handle(ch.put, ({ params, body, user }) => saveChannel(ctx, caller(user), params.id, { ...body, id: params.id }));
  api.handle(ch.remove, ({ params, user }) => removeChannel(ctx, caller(user), params.id));
  api.handle(ch.test, ({ params, user }) => testChannel(ctx, caller(user), params.id));
}
