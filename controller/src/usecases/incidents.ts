import type { ChannelInput, ChannelView, IncidentSettings } from "@gatecast/playlists";
import type { IncidentDetail, IncidentSettingsView, IncidentView } from "@gatecast/playlists/api";
import type { z } from "zod";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import type { IncidentRow } from "../store/incidents.ts";
import type { User } from "../store/users.ts";

/*
 * Incidents as technicians see them (open, acknowledged by whom, resolved, how long), the rules'
 * settings and the notification channels. Channels and thresholds from the environment are read-only.
 */

const view = (i: IncidentRow, now: number): IncidentView => ({
  ...i,
  durationMs: Math.max(0, (i.resolvedAt ?? now) - i.since),
});

export function listIncidents(
  ctx: Context,
  q: {
    status: "open" | "resolved" | "all";
    from?: string | undefined;
    to?: string | undefined;
    limit?: number | undefined;
  },
): IncidentView[] {
  const now = ctx.clock.now();
  return ctx.store.incidents
    .list({
      status: q.status,
      ...(q.from ? { from: Date.parse(q.from) } : {}),
      ...(q.to ? { to: Date.parse(q.to) } : {}),
      ...(q.limit ? { limit: q.limit } : {}),
    })
    .map((i) => view(i, now));
}

export function incidentDetail(ctx: Context, id: number): z.infer<typeof IncidentDetail> {
  const i = ctx.store.incidents.get(id);
  if (!i) throw notFound("incident", id);
  return { incident: view(i, ctx.clock.now()), events: ctx.store.incidents.events(id) };
}

export function acknowledgeIncident(ctx: Context, user: User, id: number): z.infer<typeof IncidentDetail> {
  const before = ctx.store.incidents.get(id);
  if (!before) throw notFound("incident", id);
  const who = user.displayName ? `${user.displayName} (${user.username})` : user.username;
  if (before.ackedAt === null) {
    ctx.incidents.acknowledge(id, who);
    audit(ctx, user, "acknowledge", "incident", id, null, { rule: before.rule, subject: before.subject });
  }
  return incidentDetail(ctx, id);
}

export function incidentSettings(ctx: Context): IncidentSettingsView {
  return { ...ctx.incidents.settings(), channels: ctx.notifier.views() };
}

export function saveIncidentSettings(ctx: Context, user: User, next: IncidentSettings): IncidentSettingsView {
  const { settings: before, fromEnvironment } = ctx.incidents.settings();
  // what the environment fixed stays as it is; everything else is the admin's
  const rules = { ...next.rules };
  for (const rule of fromEnvironment.afterS) rules[rule] = { ...rules[rule], afterS: before.rules[rule].afterS };
  const merged: IncidentSettings = {
    rules,
    remindAfterS: fromEnvironment.remindAfterS ? before.remindAfterS : next.remindAfterS,
    holdDownS: fromEnvironment.holdDownS ? before.holdDownS : next.holdDownS,
  };
  ctx.incidents.saveSettings(merged);
  audit(ctx, user, "update", "incident-settings", null, before, merged);
  return incidentSettings(ctx);
}

export const listChannels = (ctx: Context): ChannelView[] => ctx.notifier.views();

function channelView(ctx: Context, id: string): ChannelView {
  const v = ctx.notifier.views().find((c) => c.id === id);
  if (!v) throw notFound("channel", id);
  return v;
}

function mustBeStored(ctx: Context, id: string): void {
  if (ctx.notifier.channel(id)?.source === "environment")
    throw new AppError("read-only", `channel ${id} is set from the environment`, { params: { kind: "channel", id } });
}

/** What is stored of a channel: its settings without the secret, and the secret apart (never shown again). */
export function saveChannel(ctx: Context, user: User, id: string, input: ChannelInput): ChannelView {
  mustBeStored(ctx, id);
  const before = ctx.store.notify.get(id);
  const { kind, name, enabled } = input;
  let config: Record<string, unknown>;
  let secret: string | undefined;
  if (input.kind === "email") {
    const { password, kind: _k, id: _i, name: _n, enabled: _e, ...rest } = input;
    config = rest;
    secret = password;
  } else {
    const { secret: s, kind: _k, id: _i, name: _n, enabled: _e, ...rest } = input;
    config = rest;
    secret = s;
  }
  ctx.store.notify.put({ id, kind, name, enabled, config, secret }, ctx.clock.now());
  // the audit keeps what changed, never the secret itself
  audit(
    ctx,
    user,
    before ? "update" : "create",
    "notify-channel",
    id,
    before ? { kind: before.kind, name: before.name, enabled: before.enabled, config: before.config } : null,
    { kind, name, enabled, config, secretChanged: secret !== undefined },
  );
  return channelView(ctx, id);
}

export function removeChannel(ctx: Context, user: User, id: string): void {
  mustBeStored(ctx, id);
  const before = ctx.store.notify.get(id);
  if (!before || !ctx.store.notify.delete(id)) throw notFound("channel", id);
  audit(ctx, user, "delete", "notify-channel", id, { kind: before.kind, name: before.name }, null);
}

export async function testChannel(ctx: Context, user: User, id: string): Promise<{ ok: boolean; detail: string }> {
  channelView(ctx, id);
  const result = await ctx.notifier.test(id, "Asia/Ho_Chi_Minh");
  audit(ctx, user, "test", "notify-channel", id, null, result);
  return result;
}
