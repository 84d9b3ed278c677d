import { createHash } from "node:crypto";
import { Alert, checkInput, type Gate } from "@gatecast/playlists";
import type { CapAreaRule, CapImportResult, TokenBinding } from "@gatecast/playlists/api";
import { audit } from "../audit.ts";
import { planFromCap } from "../cap/map.ts";
import { type CapMessage, parseReferences, readCap } from "../cap/read.ts";
import { alertToCap, capFeed } from "../cap/write.ts";
import type { Context } from "../context.ts";
import { AppError, invalid, issue } from "../errors.ts";
import { CAP_MESSAGE_RETENTION_MS } from "../store/cap.ts";
import type { User } from "../store/users.ts";
import {
  alertView,
  cancelAlert,
  changeableAlert,
  checkAlert,
  sendAlert,
  targetedScreens,
  updateAlert,
} from "./alerts.ts";

/*
 * CAP 1.2 in: an agency's message becomes an alert through the same use cases an approver's does
 * (signed, published and audited on one path). CAP out: live alerts as CAP messages and an Atom feed.
 */

type Ctx = Pick<Context, "store" | "clock" | "bus">;

/** The alert id of a new CAP message: stable for its sender and identifier. */
export const capAlertId = (sender: string, identifier: string): string =>
  `cap-${createHash("sha256").update(`${sender},${identifier}`).digest("hex").slice(0, 20)}`;

/** The gates an alert reaches: those it names, and those of the screens and tags it names. */
function alertGates(ctx: Pick<Context, "store">, alert: Alert): string[] {
  const ids = new Set(alert.targets.gates ?? []);
  const screens = new Set(targetedScreens(ctx, alert));
  for (const s of ctx.store.draft.list("screens")) if (screens.has(s.id)) ids.add(s.gate);
  return [...ids].sort();
}

function checkScope(binding: TokenBinding | null, gates: readonly string[]): void {
  if (!binding) return;
  const outside = gates.find((g) => !binding.gates.includes(g));
  if (outside)
    throw new AppError(
      "cap-out-of-scope",
      `this token sends for ${binding.gates.join(", ")}, not for gate ${outside}`,
      {
        params: { gate: outside, agency: binding.agency },
      },
    );
}

/** The alert an Update or Cancel refers to: the last of its references the controller took. */
function referencedAlert(ctx: Pick<Context, "store">, msg: CapMessage): string {
  const refs = parseReferences(msg.references);
  for (const r of [...refs].reverse()) {
    const id = ctx.store.cap.alertOf(r.sender, r.identifier);
    if (id) return id;
  }
  throw new AppError("cap-unknown-reference", "the references name no message gatecast took", {
    params: { reference: msg.references ?? "" },
  });
}

function alertFrom(id: string, plan: ReturnType<typeof planFromCap>): Alert {
  const r = checkInput(Alert, {
    id,
    severity: plan.severity,
    message: plan.message,
    targets: { gates: plan.gates },
    startsAt: plan.startsAt,
    expiresAt: plan.expiresAt,
  });
  if (!r.ok) throw invalid(r.issues, "the CAP message does not make a valid alert");
  return r.data;
}

/**
 * Takes a CAP 1.2 message: Alert sends a new notice, Update replaces the one it references, Cancel ends
 * it. Only status Actual (and not `dryRun`) changes anything; otherwise the answer says what would have
 * happened. Every refusal changes nothing.
 */
export function importCap(
  ctx: Ctx,
  user: User,
  xml: string,
  opts: { binding: TokenBinding | null; dryRun: boolean },
): CapImportResult {
  const msg = readCap(xml);
  const now = ctx.clock.now();
  ctx.store.cap.prune(now - CAP_MESSAGE_RETENTION_MS);
  const dryRun = opts.dryRun || msg.status !== "Actual";
  if (msg.msgType === "Ack" || msg.msgType === "Error")
    throw new AppError("cap-unsupported", `msgType ${msg.msgType} is not a notice`, {
      params: { field: "msgType", value: msg.msgType },
    });
  if (ctx.store.cap.alertOf(msg.sender, msg.identifier))
    throw new AppError("cap-unsupported", `message ${msg.identifier} from ${msg.sender} was taken already`, {
      params: { field: "identifier", value: msg.identifier },
    });
  const gates = ctx.store.draft.list("gates");
  const plan = () => planFromCap(msg, { gates, rules: ctx.store.cap.rules(), now });

  let action: CapImportResult["action"];
  let alert: Alert;
  let planned: ReturnType<typeof planFromCap> | null = null;
  if (msg.msgType === "Alert") {
    action = "send";
    planned = plan();
    alert = alertFrom(capAlertId(msg.sender, msg.identifier), planned);
    checkScope(opts.binding, planned.gates);
    if (ctx.store.alerts.get(alert.id))
      throw new AppError("exists", `alert ${alert.id} already exists`, { params: { kind: "alert", id: alert.id } });
    checkAlert(ctx, alert);
  } else {
    const id = referencedAlert(ctx, msg);
    const before = changeableAlert(ctx, id);
    checkScope(opts.binding, alertGates(ctx, before));
    if (msg.msgType === "Update") {
      action = "update";
      planned = plan();
      alert = alertFrom(id, planned);
      checkScope(opts.binding, planned.gates);
      checkAlert(ctx, alert);
    } else {
      action = "cancel";
      alert = before;
    }
  }

  const base = {
    status: msg.status,
    action,
    identifier: msg.identifier,
    alert,
    gates: planned?.gates ?? alertGates(ctx, alert),
    targetedScreens: targetedScreens(ctx, alert),
    languages: planned?.languages ?? [],
  };
  if (dryRun) return { ...base, dryRun: true, view: null };

  const view =
    action === "send"
      ? sendAlert(ctx, user, alert)
      : action === "update"
        ? updateAlert(ctx, user, alert)
        : cancelAlert(ctx, user, alert.id);
  ctx.store.cap.record({
    sender: msg.sender,
    identifier: msg.identifier,
    sent: msg.sent,
    msgType: msg.msgType,
    alertId: alert.id,
    receivedAt: now,
    receivedBy: user.username,
  });
  audit(ctx, user, `cap-${action}`, "alert", alert.id, null, {
    sender: msg.sender,
    identifier: msg.identifier,
    sent: msg.sent,
    ...(opts.binding ? { agency: opts.binding.agency } : {}),
  });
  return { ...base, dryRun: false, view };
}

/** Replaces the admin's table from CAP areas to gates (each gate must exist). */
export function setCapAreas(ctx: Pick<Context, "store" | "clock">, user: User, rules: CapAreaRule[]): CapAreaRule[] {
  const issues = rules.flatMap((r, i) =>
    r.gates
      .map((g, j) => ({ g, j }))
      .filter(({ g }) => !ctx.store.draft.get("gates", g))
      .map(({ g, j }) => issue(`rules.${i}.gates.${j}`, "unknown-ref", `unknown gate "${g}"`, { kind: "gate", id: g })),
  );
  if (issues.length) throw invalid(issues, "invalid body");
  const before = ctx.store.cap.rules();
  ctx.store.cap.setRules(rules);
  audit(ctx, user, "update", "cap-areas", null, before, rules);
  return ctx.store.cap.rules();
}

const senderOf = (origin: string): string => `gatecast@${new URL(origin).host}`;

function gatesOf(ctx: Pick<Context, "store">, alert: Alert): Gate[] {
  const ids = new Set(alertGates(ctx, alert));
  return ctx.store.draft.list("gates").filter((g) => ids.has(g.id));
}

/** A live alert as a CAP 1.2 message; undefined when it is not live (cancelled, expired or unknown). */
export function capMessageOf(ctx: Pick<Context, "store" | "clock">, id: string, origin: string): string | undefined {
  const stored = ctx.store.alerts.get(id);
  if (!stored || !alertView(ctx, id).live) return undefined;
  return alertToCap({
    alert: stored.alert,
    sentAt: stored.createdAt,
    updatedAt: ctx.store.cap.lastChange(id),
    gates: gatesOf(ctx, stored.alert),
    sender: senderOf(origin),
  });
}

/** The Atom feed of every live alert. */
export function capFeedOf(ctx: Pick<Context, "store" | "clock">, origin: string): string {
  const now = ctx.clock.now();
  const entries = ctx.store.alerts
    .list()
    .filter((s) => s.cancelledAt === null && Date.parse(s.alert.expiresAt) > now)
    .map((s) => ({ alert: s.alert, sentAt: s.createdAt, updatedAt: ctx.store.cap.lastChange(s.alert.id) }));
  return capFeed({ origin, entries, now });
}
