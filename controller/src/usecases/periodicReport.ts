import {
  type Category,
  DEFAULT_TIMEZONE,
  dayNumber,
  instantOfLocal,
  localParts,
  nextDay,
  Source,
  targetsMatch,
} from "@gatecast/playlists";
import type { ReportQuery, ReportTarget, TargetInput } from "@gatecast/playlists/api";
import { z } from "zod";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { invalid, issue, notFound } from "../errors.ts";
import { gateZones } from "../features/playRollup.ts";
import type { Store } from "../store/index.ts";
import type { StoredTarget } from "../store/targets.ts";
import type { User } from "../store/users.ts";

/*
 * The office's periodic report, as data: per gate, from the daily aggregates (plays, uptime), the
 * releases (labels as they were on screen), urgent notices and their acknowledgements, incidents and
 * the targets the office set. Documents (docx, xlsx, csv) are written from this in `report/`.
 */

type Ctx = Pick<Context, "store" | "clock" | "config">;

/** What a play is reported as: the item as it was in the release it played under. */
export interface ItemLabel {
  id: string;
  title: string;
  category: Category | "?";
  kind: string;
  hasVi: boolean;
  hasZh: boolean;
  source: string | null;
}

/** The few fields a label needs, read leniently from any release's snapshot (old releases included). */
const SnapshotItem = z.looseObject({
  id: z.string(),
  kind: z.string().default("?"),
  category: z.string().default("?"),
  title: z.looseObject({ vi: z.string().optional(), zh: z.string().optional() }).optional(),
  caption: z.looseObject({ vi: z.string().optional(), zh: z.string().optional() }).optional(),
  media: z.string().optional(),
  url: z.string().optional(),
  source: z.unknown().optional(),
});
const Snapshot = z.looseObject({ items: z.array(z.unknown()).default([]) });

/** The source as the office writes it: the agency's Vietnamese name, then the document and its date. */
const sourceText = (s: unknown): string | null => {
  if (s === undefined || s === null) return null;
  if (typeof s === "string") return s;
  const parsed = Source.safeParse(s);
  if (!parsed.success) return null;
  const { agency, document, date } = parsed.data;
  return [agency.vi, document, date].filter((v): v is string => typeof v === "string" && v !== "").join(", ");
};

/** Labels of every item of the given releases, each release's snapshot parsed once. */
export class ReleaseLabels {
  private readonly cache = new Map<number, Map<string, ItemLabel>>();
  constructor(private readonly store: Store) {}

  of(releaseId: number): Map<string, ItemLabel> {
    let m = this.cache.get(releaseId);
    if (m) return m;
    m = new Map();
    const row = this.store.db.prepare("SELECT snapshot FROM releases WHERE id = ?").get(releaseId) as
      | { snapshot: string }
      | undefined;
    const snap = row ? Snapshot.safeParse(JSON.parse(row.snapshot)) : undefined;
    for (const raw of snap?.success ? snap.data.items : []) {
      const r = SnapshotItem.safeParse(raw);
      if (!r.success) continue;
      const i = r.data;
      const text = i.title ?? i.caption;
      const file = i.media ? this.store.media.info(i.media)?.name : undefined;
      m.set(i.id, {
        id: i.id,
        title: text?.vi ?? file ?? i.url ?? i.id,
        category: i.category as Category,
        kind: i.kind,
        hasVi: true,
        hasZh: Boolean(text?.zh) || i.kind === "image" || i.kind === "video",
        source: sourceText(i.source),
      });
    }
    this.cache.set(releaseId, m);
    return m;
  }

  /** An item as shown under `releaseId`; an item that release does not know keeps its id. */
  label(item: string, releaseId: number): ItemLabel {
    return (
      this.of(releaseId).get(item) ?? {
        id: item,
        title: item,
        category: "?",
        kind: "?",
        hasVi: false,
        hasZh: false,
        source: null,
      }
    );
  }
}

export interface GateInfo {
  id: string;
  name: string;
  nameZh: string;
  timezone: string;
}

export interface TargetResult {
  id: number;
  from: string;
  to: string;
  target: ReportTarget;
  actual: number;
  met: boolean;
}

export interface GateReport {
  gate: GateInfo;
  screens: { id: string; name: string; shouldOnS: number; onlineS: number; uptime: number | null }[];
  airtime: { category: string; month: string; plays: number; seconds: number }[];
  top: { item: string; title: string; category: string; plays: number; seconds: number }[];
  notices: {
    id: string;
    message: string;
    sentAt: number;
    targeted: number;
    shown: number;
    allShownAfterS: number | null;
  }[];
  incidents: {
    rule: string;
    subject: string;
    openedAt: number;
    resolvedAt: number | null;
    resolveS: number | null;
  }[];
  targets: TargetResult[];
  totals: { plays: number; seconds: number; shouldOnS: number; onlineS: number };
}

export interface PeriodicReport {
  from: string;
  to: string;
  generatedAt: number;
  /** Items first released in the period, by category (province-wide: items are not per gate). */
  released: { category: string; items: number; vi: number; zh: number; sources: string[] }[];
  /** The lookup point's records, where it exists; null: no lookup point yet. */
  lookups: null;
  gates: GateReport[];
}

const DAY_MS = 86_400_000;

/** The gates known to the draft or to any release, by id. */
function gatesOf(store: Store): Map<string, GateInfo> {
  const out = new Map<string, GateInfo>();
  for (const g of store.releases.latest()?.content.gates ?? [])
    out.set(g.id, { id: g.id, name: g.name.vi, nameZh: g.name.zh, timezone: g.timezone });
  for (const g of store.draft.list("gates"))
    out.set(g.id, { id: g.id, name: g.name.vi, nameZh: g.name.zh, timezone: g.timezone });
  return out;
}

/** Checks a report's range and gate; the messages name the parameter. */
export function checkReportQuery(store: Store, q: ReportQuery): void {
  if (q.to < q.from)
    throw invalid([issue("to", "range-order", '"to" is before "from"', { after: "from" })], "invalid query");
  if (q.gate && !gatesOf(store).has(q.gate))
    throw invalid([issue("gate", "unknown-ref", `no gate ${q.gate}`, { kind: "gate", id: q.gate })], "invalid query");
}

/**
 * Raw detail (the per-play export) exists only within the raw retention: a range starting before the
 * oldest raw play kept (and before the window) is refused, naming `from`.
 */
export function checkRawRange(ctx: Ctx, q: ReportQuery): void {
  const keptFrom = ctx.clock.now() - ctx.config.playsRetentionMs;
  const start = instantOfLocal(q.from, "00:00", DEFAULT_TIMEZONE) + 14 * 3_600_000; // the latest zone's day start
  if (start < keptFrom) {
    const days = Math.round(ctx.config.playsRetentionMs / DAY_MS);
    const kept = localParts(keptFrom, DEFAULT_TIMEZONE).date;
    throw invalid(
      [
        issue("from", "before-retention", `raw plays are kept ${days} days, from ${kept}`, {
          keptFrom: nextDay(kept),
          retentionDays: days,
        }),
      ],
      "invalid query",
    );
  }
}

const monthsOf = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); ) {
    out.push(m);
    const [y, mo] = m.split("-").map(Number) as [number, number];
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`;
  }
  return out;
};

/** The periodic report over gate-local days [from, to], per gate (or one). */
export function periodicReport(ctx: Ctx, q: ReportQuery): PeriodicReport {
  const { store } = ctx;
  checkReportQuery(store, q);
  const zoneOf = gateZones(store);
  const gates = gatesOf(store);
  const labels = new ReleaseLabels(store);
  const fromDay = dayNumber(q.from);
  const toDay = dayNumber(q.to);
  const chosen = [...gates.values()].filter((g) => !q.gate || g.id === q.gate);

  const byItem = store.plays.grouped(fromDay, toDay, ["gate", "month", "item", "release"], zoneOf, q.gate);
  const uptime = store.incidents.daily(q.from, q.to);
  const screensNow = new Map(store.draft.list("screens").map((s) => [s.id, s]));
  const targets = listTargets(store).filter((t) => t.from <= q.to && t.to >= q.from);

  const report: GateReport[] = chosen.map((gate) => {
    const start = instantOfLocal(q.from, "00:00", gate.timezone);
    const end = instantOfLocal(nextDay(q.to), "00:00", gate.timezone);
    const rows = byItem.filter((r) => r.gate === gate.id);
    // airtime per category and month
    const air = new Map<string, { category: string; month: string; plays: number; seconds: number }>();
    const items = new Map<string, { item: string; release: number; plays: number; ms: number }>();
    for (const r of rows) {
      const l = labels.label(r.item ?? "?", r.release ?? 0);
      const k = `${l.category}|${r.month}`;
      const a = air.get(k) ?? { category: l.category, month: r.month ?? "", plays: 0, seconds: 0 };
      a.plays += r.plays;
      a.seconds += r.ms / 1000;
      air.set(k, a);
      const it = items.get(r.item ?? "?") ?? { item: r.item ?? "?", release: 0, plays: 0, ms: 0 };
      it.plays += r.plays;
      it.ms += r.ms;
      // named as it was last shown here
      it.release = Math.max(it.release, r.release ?? 0);
      items.set(it.item, it);
    }
    const top = [...items.values()]
      .sort((a, b) => b.plays - a.plays || b.ms - a.ms || a.item.localeCompare(b.item))
      .slice(0, 10)
      .map((i) => {
        const l = labels.label(i.item, i.release);
        return { item: i.item, title: l.title, category: l.category, plays: i.plays, seconds: i.ms / 1000 };
      });
    // screens and uptime over their should-be-on hours (the daily roll-up)
    const screens = new Map<string, { id: string; name: string; shouldOnS: number; onlineS: number }>();
    for (const s of screensNow.values())
      if (s.gate === gate.id) screens.set(s.id, { id: s.id, name: s.name, shouldOnS: 0, onlineS: 0 });
    for (const u of uptime) {
      if (u.gate !== gate.id) continue;
      const s = screens.get(u.screenId) ?? { id: u.screenId, name: u.screenId, shouldOnS: 0, onlineS: 0 };
      s.shouldOnS += u.shouldOnMs / 1000;
      s.onlineS += u.onlineOnMs / 1000;
      screens.set(u.screenId, s);
    }
    const screenRows = [...screens.values()]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((s) => ({ ...s, uptime: s.shouldOnS > 0 ? s.onlineS / s.shouldOnS : null }));
    // urgent notices sent in the period to this gate's screens, and how long until every one showed them
    const gateScreens = [...screensNow.values()].filter((s) => s.gate === gate.id);
    const notices = store.alerts
      .list()
      .filter((a) => a.createdAt >= start && a.createdAt < end)
      .map((a) => {
        const targeted = gateScreens.filter((s) => targetsMatch(a.alert.targets, s));
        const acks = new Map(store.alerts.acks(a.alert.id).map((x) => [x.screenId, x.at]));
        const shown = targeted.filter((s) => acks.has(s.id));
        const last = Math.max(...shown.map((s) => acks.get(s.id) ?? 0));
        return {
          id: a.alert.id,
          message: a.alert.message.vi,
          sentAt: a.createdAt,
          targeted: targeted.length,
          shown: shown.length,
          allShownAfterS:
            targeted.length > 0 && shown.length === targeted.length ? Math.max(0, (last - a.createdAt) / 1000) : null,
        };
      })
      .filter((n) => n.targeted > 0)
      .sort((a, b) => a.sentAt - b.sentAt);
    const incidents = store.incidents
      .list({ status: "all", from: start, to: end, limit: 10_000 })
      .filter((i) => i.gate === gate.id)
      .map((i) => ({
        rule: i.rule,
        subject: i.subject,
        openedAt: i.openedAt,
        resolvedAt: i.resolvedAt,
        resolveS: i.resolvedAt === null ? null : (i.resolvedAt - i.openedAt) / 1000,
      }))
      .sort((a, b) => a.openedAt - b.openedAt);
    const totals = {
      plays: rows.reduce((s, r) => s + r.plays, 0),
      seconds: rows.reduce((s, r) => s + r.ms, 0) / 1000,
      shouldOnS: screenRows.reduce((s, r) => s + r.shouldOnS, 0),
      onlineS: screenRows.reduce((s, r) => s + r.onlineS, 0),
    };
    const gateTargets = targets.filter((t) => t.gate === gate.id).map((t) => evaluateTarget(ctx, t, q, labels, zoneOf));
    return {
      gate,
      screens: screenRows,
      airtime: [...air.values()].sort((a, b) => a.month.localeCompare(b.month) || a.category.localeCompare(b.category)),
      top,
      notices,
      incidents,
      targets: gateTargets,
      totals,
    };
  });

  return {
    from: q.from,
    to: q.to,
    generatedAt: ctx.clock.now(),
    released: releasedIn(store, labels, q),
    lookups: null,
    gates: report,
  };
}

/** Items first released in [from, to] (gate-local days of the default zone), by category. */
function releasedIn(store: Store, labels: ReleaseLabels, q: ReportQuery): PeriodicReport["released"] {
  const start = instantOfLocal(q.from, "00:00", DEFAULT_TIMEZONE);
  const end = instantOfLocal(nextDay(q.to), "00:00", DEFAULT_TIMEZONE);
  const rows = store.db.prepare("SELECT id, created_at FROM releases ORDER BY id").all() as {
    id: number;
    created_at: number;
  }[];
  const before = rows.filter((r) => r.created_at < start).at(-1);
  const known = new Set(before ? labels.of(before.id).keys() : []);
  const fresh = new Map<string, ItemLabel>();
  for (const r of rows.filter((x) => x.created_at >= start && x.created_at < end))
    for (const [id, l] of labels.of(r.id)) if (!known.has(id)) fresh.set(id, l);
  const out = new Map<string, PeriodicReport["released"][number]>();
  for (const l of fresh.values()) {
    const c = out.get(l.category) ?? { category: l.category, items: 0, vi: 0, zh: 0, sources: [] };
    c.items += 1;
    if (l.hasVi) c.vi += 1;
    if (l.hasZh) c.zh += 1;
    if (l.source && !c.sources.includes(l.source)) c.sources.push(l.source);
    out.set(l.category, c);
  }
  return [...out.values()].sort((a, b) => a.category.localeCompare(b.category));
}

// ---- targets ----

export function listTargets(store: Store): StoredTarget[] {
  return store.reportTargets.list();
}

/** A target's actual over its period within the report's range, and whether it was met. */
function evaluateTarget(
  ctx: Ctx,
  t: StoredTarget,
  q: ReportQuery,
  labels: ReleaseLabels,
  zoneOf: (gate: string) => string,
): TargetResult {
  const from = t.from > q.from ? t.from : q.from;
  const to = t.to < q.to ? t.to : q.to;
  const { store } = ctx;
  let actual = 0;
  const target = t.target;
  if (target.kind === "airtime-share") {
    const screens = new Map(store.draft.list("screens").map((s) => [s.id, s]));
    const at = (id: string | undefined) => {
      const s = id ? screens.get(id) : undefined;
      if (!s) return target.screens.length === 0 && target.tags.length === 0;
      return (
        (target.screens.length === 0 || target.screens.includes(s.id)) &&
        (target.tags.length === 0 || target.tags.some((g) => s.tags.includes(g)))
      );
    };
    const rows = store.plays
      .grouped(dayNumber(from), dayNumber(to), ["screen", "item", "release"], zoneOf, t.gate)
      .filter((r) => at(r.screen));
    const all = rows.reduce((s, r) => s + r.ms, 0);
    const cat = rows
      .filter((r) => labels.label(r.item ?? "", r.release ?? 0).category === target.category)
      .reduce((s, r) => s + r.ms, 0);
    actual = all > 0 ? (100 * cat) / all : 0;
    return { id: t.id, from: t.from, to: t.to, target, actual, met: actual >= target.minPercent };
  }
  if (target.kind === "uptime") {
    const rows = store.incidents.daily(from, to).filter((u) => u.gate === t.gate);
    const should = rows.reduce((s, r) => s + r.shouldOnMs, 0);
    actual = should > 0 ? (100 * rows.reduce((s, r) => s + r.onlineOnMs, 0)) / should : 0;
    return { id: t.id, from: t.from, to: t.to, target, actual, met: actual >= target.minPercent };
  }
  actual = releasedIn(store, labels, { from, to }).find((r) => r.category === target.category)?.items ?? 0;
  return { id: t.id, from: t.from, to: t.to, target, actual, met: actual >= target.min };
}

/** An approver sets a target for a period at a gate. */
export function createTarget(ctx: Pick<Context, "store" | "clock">, user: User, t: TargetInput): StoredTarget {
  if (!gatesOf(ctx.store).has(t.gate))
    throw invalid([issue("gate", "unknown-ref", `no gate ${t.gate}`, { kind: "gate", id: t.gate })], "invalid target");
  const stored = ctx.store.reportTargets.create(t, user.username, ctx.clock.now());
  audit(ctx, user, "create", "report-target", stored.id, null, stored);
  return stored;
}

export function removeTarget(ctx: Pick<Context, "store" | "clock">, user: User, id: number): void {
  const before = ctx.store.reportTargets.get(id);
  if (!before || !ctx.store.reportTargets.remove(id)) throw notFound("report-target", id);
  audit(ctx, user, "delete", "report-target", id, before, null);
}
