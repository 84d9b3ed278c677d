import { Alert, Id, targetsMatch } from "@gatecast/playlists";
import { z } from "zod";
import type { Context } from "../../context.ts";
import type { Api } from "../api.ts";
import { audit } from "../audit.ts";
import { HttpError, notFound } from "../errors.ts";

const IdParam = z.object({ id: Id });

/** Urgent notices: signed, published at once, acked by each screen that showed one. */
export function registerAlertRoutes(api: Api, ctx: Context): void {
  const targeted = (alert: Alert) =>
    ctx.store.draft
      .list("screens")
      .filter((s) => targetsMatch(alert.targets, s))
      .map((s) => s.id);

  const view = (id: string) => {
    const stored = ctx.store.alerts.get(id);
    if (!stored) throw notFound(`alert ${id}`);
    const now = ctx.clock.now();
    const screens = targeted(stored.alert);
    const acks = ctx.store.alerts.acks(id).filter((a) => screens.includes(a.screenId));
    const live = stored.cancelledAt === null && Date.parse(stored.alert.expiresAt) > now;
    return { ...stored, live, targetedScreens: screens, acks, ackCount: acks.length };
  };

  api.route(
    {
      method: "get",
      path: "/api/v1/alerts",
      summary: "Urgent notices, newest first, with ack counts",
      tag: "alerts",
      role: "viewer",
    },
    (c) => c.json(ctx.store.alerts.list().map((s) => view(s.alert.id))),
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/alerts/:id",
      summary: "One urgent notice with the screens that acked it",
      tag: "alerts",
      role: "viewer",
      params: IdParam,
    },
    (c, { params }) => c.json(view(params.id)),
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/alerts",
      summary: "Send an urgent notice (zh required); reaches screens in seconds",
      tag: "alerts",
      role: "approver",
      body: Alert,
    },
    (c, { body, user }) => {
      if (ctx.store.alerts.get(body.id)) throw new HttpError(409, `alert ${body.id} already exists`);
      const now = ctx.clock.now();
      if (Date.parse(body.expiresAt) <= now)
        throw new HttpError(400, "invalid body", [{ path: "expiresAt", message: "is already past" }]);
      const unknownGate = body.targets.gates?.find((g) => !ctx.store.draft.get("gates", g));
      if (unknownGate)
        throw new HttpError(400, "invalid body", [{ path: "targets.gates", message: `unknown gate "${unknownGate}"` }]);
      if (targeted(body).length === 0)
        throw new HttpError(400, "invalid body", [{ path: "targets", message: "matches no screen" }]);
      ctx.store.alerts.put(body, user?.username ?? null, now);
      audit(ctx, user, "send", "alert", body.id, null, body);
      ctx.bus.emit("alerts-changed", { alertId: body.id });
      return c.json(view(body.id), 201);
    },
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/alerts/:id/cancel",
      summary: "End an urgent notice now",
      tag: "alerts",
      role: "approver",
      params: IdParam,
    },
    (c, { params, user }) => {
      const before = ctx.store.alerts.get(params.id);
      if (!before) throw notFound(`alert ${params.id}`);
      if (!ctx.store.alerts.cancel(params.id, user?.username ?? "system", ctx.clock.now())) {
        throw new HttpError(409, `alert ${params.id} is already cancelled`);
      }
      audit(ctx, user, "cancel", "alert", params.id, before.alert, null);
      ctx.bus.emit("alerts-changed", { alertId: params.id });
      return c.json(view(params.id));
    },
  );
}
