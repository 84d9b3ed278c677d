import { z } from "zod";
import { ChannelId, IncidentRule, IncidentSettings } from "../fleet/incidents.ts";
import { ChannelInput, ChannelView } from "../fleet/notify.ts";
import { Instant } from "../schema/common.ts";
import { empty, json, route } from "./contract.ts";
import { IntIdParams, optionalQuery } from "./params.ts";

/** One incident as the console lists it. */
export const IncidentView = z.object({
  id: z.int(),
  rule: IncidentRule,
  /** `screen:<id>`, `gate:<id>`, `notice:<id>` or `controller`. */
  subject: z.string(),
  gate: z.string().nullable(),
  openedAt: z.int(),
  /** When the condition began (before the rule's threshold passed). */
  since: z.int(),
  clearSince: z.int().nullable(),
  remindedAt: z.int().nullable(),
  resolvedAt: z.int().nullable(),
  summary: z.string(),
  ackedAt: z.int().nullable(),
  ackedBy: z.string().nullable(),
  /** From `since` to its resolution, or to now while open. */
  durationMs: z.number().nonnegative(),
});
export type IncidentView = z.infer<typeof IncidentView>;

export const IncidentEventView = z.object({
  id: z.int(),
  at: z.int(),
  kind: z.enum(["opened", "reminded", "resolved", "acknowledged", "notified", "notify-failed", "notify-retry"]),
  channel: z.string().nullable(),
  actor: z.string().nullable(),
  detail: z.string().nullable(),
});
export type IncidentEventView = z.infer<typeof IncidentEventView>;

export const IncidentDetail = z.object({ incident: IncidentView, events: z.array(IncidentEventView) });

export const IncidentQuery = z.object({
  status: z.enum(["open", "resolved", "all"]).default("all"),
  from: optionalQuery(Instant),
  to: optionalQuery(Instant),
  limit: optionalQuery(z.coerce.number().int().min(1).max(2000)),
});

/** The rules' settings, which of them the environment fixed (read-only), and the channels to pick from. */
export const IncidentSettingsView = z.object({
  settings: IncidentSettings,
  fromEnvironment: z.object({
    afterS: z.array(IncidentRule),
    remindAfterS: z.boolean(),
    holdDownS: z.boolean(),
  }),
  channels: z.array(ChannelView),
});
export type IncidentSettingsView = z.infer<typeof IncidentSettingsView>;

export const ChannelParams = z.object({ id: ChannelId });
export const ChannelTestResult = z.object({ ok: z.boolean(), detail: z.string() });

const tag = "incidents";

export const incidentRoutes = {
  list: route({
    method: "get",
    path: "/api/v1/incidents",
    summary: "Incidents, newest first: open, resolved, or both; overlapping a range",
    tag,
    role: "viewer",
    query: IncidentQuery,
    response: json(z.array(IncidentView), "the incidents"),
  }),
  settings: route({
    method: "get",
    path: "/api/v1/incidents/settings",
    summary: "The rules' thresholds and channels, and what the environment fixed",
    tag,
    role: "viewer",
    response: json(IncidentSettingsView, "settings"),
  }),
  saveSettings: route({
    method: "put",
    path: "/api/v1/incidents/settings",
    summary: "Change the rules' thresholds, reminder, hold-down, channels and gates (not those from the environment)",
    tag,
    role: "admin",
    body: IncidentSettings,
    response: json(IncidentSettingsView, "settings as now in force"),
  }),
  get: route({
    method: "get",
    path: "/api/v1/incidents/:id",
    summary: "One incident with its history (opened, notified, acknowledged, resolved)",
    tag,
    role: "viewer",
    params: IntIdParams,
    response: json(IncidentDetail, "incident and history"),
  }),
  acknowledge: route({
    method: "post",
    path: "/api/v1/incidents/:id/acknowledge",
    summary: "Say a technician is on it (kept with their name)",
    tag,
    role: "editor",
    params: IntIdParams,
    response: json(IncidentDetail, "incident and history"),
  }),
};

export const channelRoutes = {
  list: route({
    method: "get",
    path: "/api/v1/notify/channels",
    summary: "Notification channels (never a password or secret)",
    tag,
    role: "admin",
    response: json(z.array(ChannelView), "channels"),
  }),
  put: route({
    method: "put",
    path: "/api/v1/notify/channels/:id",
    summary: "Create or change an e-mail or webhook channel (leave the password or secret out to keep it)",
    tag,
    role: "admin",
    params: ChannelParams,
    body: ChannelInput,
    response: json(ChannelView, "the channel"),
  }),
  remove: route({
    method: "delete",
    path: "/api/v1/notify/channels/:id",
    summary: "Remove a stored channel",
    tag,
    role: "admin",
    params: ChannelParams,
    response: empty("removed"),
  }),
  test: route({
    method: "post",
    path: "/api/v1/notify/channels/:id/test",
    summary: "Send a test message now and say what happened",
    tag,
    role: "admin",
    params: ChannelParams,
    response: json(ChannelTestResult, "`{ok, detail}`"),
  }),
};
