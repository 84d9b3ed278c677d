import {
  brokerCondition,
  type Condition,
  channelsFor,
  DEFAULT_INCIDENT_SETTINGS,
  EMPTY_INCIDENT_STATE,
  INCIDENT_RULES,
  type IncidentRule,
  IncidentSettings,
  type IncidentState,
  type IncidentTransition,
  incidentKey,
  localParts,
  noticeConditions,
  type OpenIncident,
  screenConditions,
  stepIncidents,
  targetsMatch,
} from "@gatecast/playlists";
import { z } from "zod";
import type { Context, Feature } from "../context.ts";
import type { MessageContext } from "../notify/message.ts";
import type { Notifier } from "../notify/notifier.ts";
import { INCIDENT_RETENTION_MS, type IncidentRow, type NotifyEvent } from "../store/incidents.ts";
import type { FleetHealth } from "./fleetHealth.ts";
import { localDays, uptimeOf } from "./uptime.ts";

const SETTINGS_KEY = "incident-settings";
const ENGINE_KEY = "incident-engine";
/** How often the rules look at the fleet (on the controller's clock they judge by). */
export const CHECK_EVERY_MS = 2_000;
const ROLLUP_EVERY_MS = 3_600_000;
/** Days the daily roll-up goes back the first time it runs. */
const ROLLUP_BACKFILL_DAYS = 35;

const EngineMemo = z.object({
  pending: z.record(z.string(), z.number()),
  resolved: z.record(z.string(), z.number()),
});

/** Which settings the environment fixed (read-only in the console). */
export interface SettingsSources {
  afterS: IncidentRule[];
  remindAfterS: boolean;
  holdDownS: boolean;
}

/**
 * The incident rules at work: every two seconds, the conditions true of the fleet (`screenConditions`,
 * `noticeConditions`, `brokerCondition`) go through `stepIncidents`; what opens, is reminded or
 * resolves is kept in the store with its history and queued for the notifier in one transaction, so a
 * restart neither forgets an incident nor announces it again. Also rolls up each screen's should-be-on
 * and online hours per gate-local day, and prunes incidents past their retention.
 */
export class Incidents implements Feature {
  readonly name = "incidents";
  private state: IncidentState = EMPTY_INCIDENT_STATE;
  private readonly ids = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private rollupTimer: NodeJS.Timeout | undefined;
  private brokerLostSince: number | null = null;
  private checking = false;

  constructor(
    private readonly ctx: Context,
    private readonly health: FleetHealth,
    private readonly notifier: Notifier,
  ) {}

  start(): void {
    const open = this.ctx.store.incidents.open();
    let memo = { pending: {}, resolved: {} } as z.infer<typeof EngineMemo>;
    const raw = this.ctx.store.meta(ENGINE_KEY);
    if (raw) {
      const r = EngineMemo.safeParse(JSON.parse(raw));
      if (r.success) memo = r.data;
    }
    this.state = {
      open: open.map((i) => {
        const key = incidentKey(i.rule, i.subject);
        this.ids.set(key, i.id);
        return {
          key,
          rule: i.rule,
          subject: i.subject,
          gate: i.gate,
          openedAt: i.openedAt,
          since: i.since,
          clearSince: i.clearSince,
          remindedAt: i.remindedAt,
          summary: i.summary,
        };
      }),
      pending: memo.pending,
      resolved: memo.resolved,
    };
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS);
    this.timer.unref();
    this.rollupTimer = setInterval(() => this.housekeeping(), ROLLUP_EVERY_MS);
    this.rollupTimer.unref();
    setImmediate(() => this.housekeeping());
  }

  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.rollupTimer);
  }

  /** Stored settings with the environment's on top. */
  settings(): { settings: IncidentSettings; fromEnvironment: SettingsSources } {
    let stored: IncidentSettings = DEFAULT_INCIDENT_SETTINGS;
    const raw = this.ctx.store.meta(SETTINGS_KEY);
    if (raw) {
      const r = IncidentSettings.safeParse(JSON.parse(raw));
      if (r.success) stored = r.data;
      else this.ctx.log.warn({ error: r.error.message }, "stored incident settings unreadable: defaults used");
    }
    const env = this.ctx.config.incidents;
    const rules = { ...stored.rules };
    for (const rule of INCIDENT_RULES) {
      const v = env.afterS[rule];
      if (v !== undefined) rules[rule] = { ...rules[rule], afterS: v };
    }
    return {
      settings: {
        rules,
        remindAfterS: env.remindAfterS ?? stored.remindAfterS,
        holdDownS: env.holdDownS ?? stored.holdDownS,
      },
      fromEnvironment: {
        afterS: INCIDENT_RULES.filter((r) => env.afterS[r] !== undefined),
        remindAfterS: env.remindAfterS !== undefined,
        holdDownS: env.holdDownS !== undefined,
      },
    };
  }

  saveSettings(next: IncidentSettings): void {
    this.ctx.store.setMeta(SETTINGS_KEY, JSON.stringify(next));
  }

  acknowledge(id: number, by: string): IncidentRow | undefined {
    const now = this.ctx.clock.now();
    const store = this.ctx.store.incidents;
    const done = this.ctx.store.transaction(() => {
      if (!store.acknowledge(id, by, now)) return false;
      store.addEvent(id, { at: now, kind: "acknowledged", actor: by });
      return true;
    });
    if (done) this.ctx.bus.emit("incident", { id });
    return store.get(id);
  }

  /** Evaluates now; returns what changed (tests call it directly). */
  check(now = this.ctx.clock.now()): IncidentTransition[] {
    if (this.checking) return [];
    this.checking = true;
    try {
      return this.evaluate(now);
    } catch (err) {
      this.ctx.log.error({ err }, "incident rules failed");
      return [];
    } finally {
      this.checking = false;
    }
  }

  conditions(now: number): Condition[] {
    const judged = this.health.all(now);
    this.announceChanges(judged);
    const screens = judged.map((j) => ({
      screen: j.screen,
      paired: j.paired,
      health: j.health,
      onSince: j.hours.on ? j.hours.since : null,
    }));
    const paired = judged.filter((j) => j.paired);
    const notices = this.ctx.store.alerts
      .list()
      .filter((s) => s.cancelledAt === null && Date.parse(s.alert.expiresAt) > now)
      .map((s) => ({
        alert: s.alert,
        createdAt: s.createdAt,
        screens: paired
          .filter((j) => targetsMatch(s.alert.targets, j.screen))
          .map((j) => ({ screen: j.screen, shouldShow: j.hours.on })),
        acked: new Set(this.ctx.store.alerts.acks(s.alert.id).map((a) => a.screenId)),
      }));
    if (this.ctx.mqttConnected()) this.brokerLostSince = null;
    else this.brokerLostSince ??= now;
    return [
      ...screenConditions(screens, now),
      ...noticeConditions(notices, now),
      ...brokerCondition(this.brokerLostSince),
    ];
  }

  /** What is true of each screen, last time: the dashboard hears when it changes with no message (dusk). */
  private readonly seen = new Map<string, string>();

  private announceChanges(
    judged: readonly { screen: { id: string }; health: { presence: string; problems: readonly { kind: string }[] } }[],
  ): void {
    for (const j of judged) {
      const key = `${j.health.presence}|${j.health.problems.map((p) => p.kind).join(",")}`;
      const before = this.seen.get(j.screen.id);
      this.seen.set(j.screen.id, key);
      if (before !== undefined && before !== key) this.ctx.bus.emit("screen-state", { screenId: j.screen.id });
    }
  }

  private evaluate(now: number): IncidentTransition[] {
    const { settings } = this.settings();
    const { state, transitions } = stepIncidents(this.state, this.conditions(now), now, settings);
    const channels = this.notifier.channels();
    const store = this.ctx.store.incidents;
    const changed: number[] = [];
    this.ctx.store.transaction(() => {
      for (const t of transitions) {
        const i = t.incident;
        if (t.kind === "open") {
          const id = store.insert(i);
          this.ids.set(i.key, id);
          store.addEvent(id, { at: now, kind: "opened", detail: i.summary });
          this.ctx.store.audit.record({
            at: now,
            actor: "gatecast",
            action: "incident-open",
            objectKind: "incident",
            objectId: String(id),
            before: null,
            after: { rule: i.rule, subject: i.subject, summary: i.summary },
          });
          this.queue(id, "opened", i, channels, settings, now);
          changed.push(id);
          continue;
        }
        const id = this.ids.get(i.key);
        if (id === undefined) continue;
        store.update(id, i);
        if (t.kind === "remind") {
          store.addEvent(id, { at: now, kind: "reminded", detail: i.summary });
          this.queue(id, "reminder", i, channels, settings, now);
        } else if (t.kind === "resolve") {
          store.resolve(id, t.resolvedAt);
          store.addEvent(id, { at: now, kind: "resolved" });
          this.ctx.store.audit.record({
            at: now,
            actor: "gatecast",
            action: "incident-resolve",
            objectKind: "incident",
            objectId: String(id),
            before: { rule: i.rule, subject: i.subject },
            after: { resolvedAt: t.resolvedAt },
          });
          this.queue(id, "resolved", i, channels, settings, now);
          this.ids.delete(i.key);
        }
        changed.push(id);
      }
      this.ctx.store.setMeta(ENGINE_KEY, JSON.stringify({ pending: state.pending, resolved: state.resolved }));
    });
    this.state = state;
    for (const id of new Set(changed)) this.ctx.bus.emit("incident", { id });
    if (transitions.some((t) => t.kind !== "update")) this.notifier.kick();
    return transitions;
  }

  private queue(
    id: number,
    event: NotifyEvent,
    i: OpenIncident,
    channels: { id: string; enabled: boolean }[],
    settings: IncidentSettings,
    now: number,
  ): void {
    for (const channel of channelsFor(settings.rules[i.rule], i.gate, channels)) {
      this.ctx.store.incidents.enqueue(id, event, channel, now);
    }
  }

  /** Names and the time zone a notification about `incident` is written with. */
  describe(incident: IncidentRow): MessageContext {
    const now = this.ctx.clock.now();
    const [kind, id = ""] = incident.subject.split(":");
    const gate = incident.gate ? this.ctx.store.draft.get("gates", incident.gate) : undefined;
    let subjectName = "Máy chủ gatecast";
    if (kind === "screen") {
      const s = this.ctx.store.draft.get("screens", id);
      subjectName = s ? `${s.name} (${id})` : id;
    } else if (kind === "gate") subjectName = gate?.name.vi ?? id;
    else if (kind === "notice") subjectName = `thông báo khẩn "${id}"`;
    const base = this.ctx.config.publicUrl;
    return {
      subjectName,
      gateName: gate?.name.vi ?? null,
      timeZone: gate?.timezone ?? "Asia/Ho_Chi_Minh",
      url: base ? `${base}/console/incidents?id=${incident.id}` : null,
      now,
    };
  }

  /** Hourly: the daily should-be-on roll-up up to yesterday, and the retention. */
  housekeeping(now = this.ctx.clock.now()): void {
    try {
      this.rollup(now);
      const pruned = this.ctx.store.incidents.prune(now - INCIDENT_RETENTION_MS);
      if (pruned > 0) this.ctx.log.info({ pruned }, "old incidents pruned");
    } catch (err) {
      this.ctx.log.error({ err }, "incident housekeeping failed");
    }
  }

  /** Every complete gate-local day since the last one rolled up (at most 35 back), per screen. */
  rollup(now: number): number {
    const judged = this.health.all(now);
    const last = this.ctx.store.incidents.lastRolledDay();
    const rows: { screenId: string; day: string; gate: string; shouldOnMs: number; onlineOnMs: number }[] = [];
    for (const j of judged) {
      const first = this.ctx.store.fleet.firstSeenAt(j.screen.id);
      if (first === null) continue;
      const today = localParts(now, j.timeZone).date;
      for (const d of localDays(j.timeZone, Math.max(first, now - ROLLUP_BACKFILL_DAYS * 86_400_000), now)) {
        if (d.day >= today || (last !== null && d.day <= last)) continue;
        const u = uptimeOf(this.ctx.store, j.screen.id, j.onHours, j.timeZone, d.from, d.to);
        rows.push({ screenId: j.screen.id, day: d.day, gate: j.screen.gate, ...u });
      }
    }
    if (rows.length > 0) this.ctx.store.incidents.upsertDaily(rows);
    return rows.length;
  }
}
