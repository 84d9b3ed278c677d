import { z } from "zod";
import { Id } from "../schema/common.ts";

/**
 * The incident rules: from the conditions true now, which incidents open, get their one reminder, and
 * resolve. Pure: conditions, the previous state and the instant are arguments; the controller keeps the
 * state in its store (so a restart neither forgets nor re-announces) and sends what `stepIncidents`
 * says to send.
 *
 * - A condition opens an incident once it has held for the rule's `afterS`; one incident per rule and
 *   subject (a screen, a gate, a notice, the controller) at a time.
 * - An open incident is announced once, reminded once after `remindAfterS`, and announced resolved once.
 * - It resolves only after its condition has been clear for `holdDownS`, and the same rule and subject
 *   cannot open again until `holdDownS` after that: a flapping screen cannot send a storm.
 * - A suspended condition (a screen gone dark by schedule while an incident was open) neither resolves
 *   nor reminds: the incident waits for the morning.
 */

export const IncidentRule = z.enum([
  "screen-offline",
  "screen-frozen",
  "storage-low",
  "trust-error",
  "clock-skewed",
  "notice-unacked",
  "broker-lost",
]);
export type IncidentRule = z.infer<typeof IncidentRule>;
export const INCIDENT_RULES = IncidentRule.options;

/** How long each rule's condition must hold before an incident opens, by default. */
export const DEFAULT_AFTER_S: Record<IncidentRule, number> = {
  "screen-offline": 600,
  "screen-frozen": 120,
  "storage-low": 600,
  "trust-error": 0,
  "clock-skewed": 300,
  "notice-unacked": 60,
  "broker-lost": 60,
};

export const ChannelId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: "invalid channel id" });

export const RuleSettings = z.strictObject({
  enabled: z.boolean(),
  afterS: z
    .int({ error: "expected whole seconds" })
    .min(0)
    .max(7 * 86_400),
  /** Channels this rule notifies; null: every channel. */
  channels: z.array(ChannelId).max(50).nullable(),
  /** Gates whose incidents notify; null: every gate (incidents of the controller always do). */
  gates: z.array(Id).max(200).nullable(),
});
export type RuleSettings = z.infer<typeof RuleSettings>;

export const IncidentSettings = z.strictObject({
  rules: z.strictObject(
    Object.fromEntries(INCIDENT_RULES.map((r) => [r, RuleSettings])) as Record<IncidentRule, typeof RuleSettings>,
  ),
  remindAfterS: z
    .int()
    .min(60)
    .max(7 * 86_400),
  holdDownS: z.int().min(0).max(86_400),
});
export type IncidentSettings = z.infer<typeof IncidentSettings>;

export const DEFAULT_INCIDENT_SETTINGS: IncidentSettings = {
  rules: Object.fromEntries(
    INCIDENT_RULES.map((r) => [r, { enabled: true, afterS: DEFAULT_AFTER_S[r], channels: null, gates: null }]),
  ) as Record<IncidentRule, RuleSettings>,
  remindAfterS: 3_600,
  holdDownS: 300,
};

/** Something true now that a rule watches. */
export interface Condition {
  rule: IncidentRule;
  /** `screen:<id>`, `gate:<id>`, `notice:<id>` or `controller`. */
  subject: string;
  gate: string | null;
  /** Since when it has held, as far as the controller knows (the engine also counts from first sight). */
  since: number;
  /** Held, but not to be acted on now (dark by schedule): an open incident waits. */
  suspended?: boolean;
  /** For people: what is wrong, in plain facts. */
  summary: string;
}

export interface OpenIncident {
  key: string;
  rule: IncidentRule;
  subject: string;
  gate: string | null;
  openedAt: number;
  /** When the condition began. */
  since: number;
  /** When the condition was last seen clear, while it stays clear; null while it holds. */
  clearSince: number | null;
  remindedAt: number | null;
  summary: string;
}

export interface IncidentState {
  open: OpenIncident[];
  /** Conditions seen but not yet held for their rule's `afterS`: key → since. */
  pending: Record<string, number>;
  /** Key → when its last incident resolved, while within the hold-down. */
  resolved: Record<string, number>;
}

export const EMPTY_INCIDENT_STATE: IncidentState = { open: [], pending: {}, resolved: {} };

export type IncidentTransition =
  | { kind: "open"; incident: OpenIncident }
  | { kind: "remind"; incident: OpenIncident }
  | { kind: "resolve"; incident: OpenIncident; resolvedAt: number }
  /** Summary or clearing changed: kept, not announced. */
  | { kind: "update"; incident: OpenIncident };

export const incidentKey = (rule: IncidentRule, subject: string) => `${rule}|${subject}`;

export function stepIncidents(
  state: IncidentState,
  conditions: readonly Condition[],
  now: number,
  settings: IncidentSettings,
): { state: IncidentState; transitions: IncidentTransition[] } {
  const holdDown = settings.holdDownS * 1000;
  const holding = new Map<string, Condition>();
  for (const c of conditions) {
    if (!settings.rules[c.rule].enabled) continue;
    const key = incidentKey(c.rule, c.subject);
    const seen = holding.get(key);
    if (!seen || c.since < seen.since) holding.set(key, c);
  }
  const transitions: IncidentTransition[] = [];
  const open: OpenIncident[] = [];
  const openKeys = new Set<string>();

  for (const inc of state.open) {
    const c = holding.get(inc.key);
    openKeys.add(inc.key);
    if (c) {
      const next = { ...inc, clearSince: null, summary: c.summary };
      if (next.clearSince !== inc.clearSince || next.summary !== inc.summary)
        transitions.push({ kind: "update", incident: next });
      if (!c.suspended && next.remindedAt === null && now - next.openedAt >= settings.remindAfterS * 1000) {
        next.remindedAt = now;
        transitions.push({ kind: "remind", incident: next });
      }
      open.push(next);
      continue;
    }
    const clearSince = inc.clearSince ?? now;
    if (now - clearSince >= holdDown) {
      transitions.push({ kind: "resolve", incident: inc, resolvedAt: clearSince });
      openKeys.delete(inc.key);
      continue;
    }
    const next = { ...inc, clearSince };
    if (inc.clearSince === null) transitions.push({ kind: "update", incident: next });
    open.push(next);
  }

  const resolved: Record<string, number> = {};
  for (const [key, at] of Object.entries(state.resolved)) if (now - at < holdDown) resolved[key] = at;
  for (const t of transitions) if (t.kind === "resolve" && holdDown > 0) resolved[t.incident.key] = now;

  const pending: Record<string, number> = {};
  for (const [key, c] of holding) {
    if (openKeys.has(key)) continue;
    // a suspended condition starts counting afresh when it resumes (offline at night is not offline)
    if (c.suspended) continue;
    const since = Math.min(state.pending[key] ?? c.since, c.since);
    if (now - since < settings.rules[c.rule].afterS * 1000 || key in resolved) {
      pending[key] = since;
      continue;
    }
    const incident: OpenIncident = {
      key,
      rule: c.rule,
      subject: c.subject,
      gate: c.gate,
      openedAt: now,
      since,
      clearSince: null,
      remindedAt: null,
      summary: c.summary,
    };
    open.push(incident);
    transitions.push({ kind: "open", incident });
  }
  return { state: { open, pending, resolved }, transitions };
}

/** Which channels hear of an incident of `rule` at `gate`: the rule's own, or every one; none if the gate is not its. */
export function channelsFor(
  rule: RuleSettings,
  gate: string | null,
  channels: readonly { id: string; enabled: boolean }[],
): string[] {
  if (gate !== null && rule.gates !== null && !rule.gates.includes(gate)) return [];
  return channels.filter((c) => c.enabled && (rule.channels === null || rule.channels.includes(c.id))).map((c) => c.id);
}
