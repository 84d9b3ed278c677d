import { type Alert, targetsMatch } from "@gatecast/playlists";
import type { AlertView } from "@gatecast/playlists/api";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { AppError, invalid, issue, notFound } from "../errors.ts";
import type { User } from "../store/users.ts";
import { alertScriptErrors } from "./scripts.ts";

/*
 * Urgent notices: signed and published at once (the publisher hears of each on the bus), acked by
 * each screen that showed one.
 */

type Ctx = Pick<Context, "store" | "clock" | "bus">;

/** The screens an alert's targets match, by id. */
export const targetedScreens = (ctx: Pick<Context, "store">, alert: Alert): string[] =>
  ctx.store.draft
    .list("screens")
    .filter((s) => targetsMatch(alert.targets, s))
    .map((s) => s.id);

export function alertView(ctx: Pick<Context, "store" | "clock">, id: string): AlertView {
  const stored = ctx.store.alerts.get(id);
  if (!stored) throw notFound("alert", id);
  const screens = targetedScreens(ctx, stored.alert);
  const acks = ctx.store.alerts.acks(id).filter((a) => screens.includes(a.screenId));
  const live = stored.cancelledAt === null && Date.parse(stored.alert.expiresAt) > ctx.clock.now();
  return { ...stored, live, targetedScreens: screens, acks, ackCount: acks.length };
}

export const listAlerts = (ctx: Pick<Context, "store" | "clock">): AlertView[] =>
  ctx.store.alerts.list().map((s) => alertView(ctx, s.alert.id));

/** What an alert must be to be sent (or to replace one): not expired, to known gates, matching a screen, in scripts the screens can draw. */
export function checkAlert(ctx: Pick<Context, "store" | "clock">, alert: Alert): void {
  const scripts = alertScriptErrors(alert);
  if (scripts.length > 0) throw invalid(scripts, "invalid body");
  const now = ctx.clock.now();
  if (Date.parse(alert.expiresAt) <= now)
    throw invalid([issue("expiresAt", "in-past", "is already past")], "invalid body");
  const unknownGate = alert.targets.gates?.find((g) => !ctx.store.draft.get("gates", g));
  if (unknownGate)
    throw invalid(
      [issue("targets.gates", "unknown-ref", `unknown gate "${unknownGate}"`, { kind: "gate", id: unknownGate })],
      "invalid body",
    );
  if (targetedScreens(ctx, alert).length === 0)
    throw invalid([issue("targets", "no-screen", "matches no screen")], "invalid body");
}

/** Sends a new alert (see `checkAlert`). */
export function sendAlert(ctx: Ctx, user: User, alert: Alert): AlertView {
  if (ctx.store.alerts.get(alert.id))
    throw new AppError("exists", `alert ${alert.id} already exists`, { params: { kind: "alert", id: alert.id } });
  checkAlert(ctx, alert);
  ctx.store.alerts.put(alert, user.username, ctx.clock.now());
  audit(ctx, user, "send", "alert", alert.id, null, alert);
  ctx.bus.emit("alerts-changed", { alertId: alert.id });
  return alertView(ctx, alert.id);
}

/** The live (not cancelled) alert `id`, or why it cannot be changed. */
export function changeableAlert(ctx: Pick<Context, "store">, id: string): Alert {
  const before = ctx.store.alerts.get(id);
  if (!before) throw notFound("alert", id);
  if (before.cancelledAt !== null)
    throw new AppError("already-cancelled", `alert ${id} is already cancelled`, { params: { kind: "alert", id } });
  return before.alert;
}

/** Replaces a live alert's text, severity, targets and times (a CAP Update); screens get it at once. */
export function updateAlert(ctx: Ctx, user: User, alert: Alert): AlertView {
  const before = changeableAlert(ctx, alert.id);
  checkAlert(ctx, alert);
  ctx.store.alerts.put(alert, user.username, ctx.clock.now());
  audit(ctx, user, "update", "alert", alert.id, before, alert);
  ctx.bus.emit("alerts-changed", { alertId: alert.id });
  return alertView(ctx, alert.id);
}

/** Ends an alert now. */
export function cancelAlert(ctx: Ctx, user: User, id: string): AlertView {
  const before = ctx.store.alerts.get(id);
  if (!before) throw notFound("alert", id);
  if (!ctx.store.alerts.cancel(id, user.username, ctx.clock.now()))
    throw new AppError("already-cancelled", `alert ${id} is already cancelled`, { params: { kind: "alert", id } });
  audit(ctx, user, "cancel", "alert", id, before.alert, null);
  ctx.bus.emit("alerts-changed", { alertId: id });
  return alertView(ctx, id);
}
