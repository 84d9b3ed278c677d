import { targetsMatch } from "../resolve.ts";
import type { Alert, Screen } from "../schema/content.ts";
import type { ScreenHealth } from "./health.ts";
import type { Condition, IncidentRule } from "./incidents.ts";

/**
 * The conditions the incident rules watch, from the fleet's health and the live urgent notices. Pure.
 */

export interface ScreenCondition {
  screen: Pick<Screen, "id" | "gate" | "name">;
  paired: boolean;
  health: ScreenHealth;
  /** When the screen's current on-period began (null: always on, or unknown). */
  onSince: number | null;
}

const PROBLEM_RULES: Record<string, IncidentRule> = {
  frozen: "screen-frozen",
  "storage-low": "storage-low",
  "trust-error": "trust-error",
  "clock-skewed": "clock-skewed",
};

/**
 * Per screen: offline (counted only over the hours it should be showing), and its problems. A screen
 * dark by schedule is quiet: its conditions are suspended. When every paired screen of a gate (two or
 * more) is away and at least one should be showing, the gate is one condition instead of many: a cut
 * line at a gate is one incident, not thirty.
 */
export function screenConditions(screens: readonly ScreenCondition[], now: number): Condition[] {
  const out: Condition[] = [];
  const byGate = new Map<string, ScreenCondition[]>();
  for (const s of screens) {
    if (!s.paired) continue;
    const list = byGate.get(s.screen.gate) ?? [];
    list.push(s);
    byGate.set(s.screen.gate, list);
  }
  for (const [gate, list] of byGate) {
    const away = (s: ScreenCondition) => !s.health.connected;
    const offline = list.filter((s) => s.health.presence === "offline");
    const wholeGate = list.length >= 2 && list.every(away) && offline.length > 0;
    if (wholeGate) {
      out.push({
        rule: "screen-offline",
        subject: `gate:${gate}`,
        gate,
        since: Math.min(...offline.map((s) => offlineSince(s, now))),
        summary: `all ${list.length} screens of the gate are offline`,
      });
    }
    for (const s of list) {
      const subject = `screen:${s.screen.id}`;
      const dark = s.health.presence === "dark-by-schedule";
      if (!wholeGate && (s.health.presence === "offline" || (dark && !s.health.connected))) {
        out.push({
          rule: "screen-offline",
          subject,
          gate,
          since: offlineSince(s, now),
          suspended: dark,
          summary: dark ? "offline, dark by schedule" : `${s.screen.name} is offline`,
        });
      }
      for (const p of s.health.problems) {
        const rule = PROBLEM_RULES[p.kind];
        if (!rule) continue;
        out.push({ rule, subject, gate, since: p.since, suspended: dark, summary: p.detail });
      }
    }
  }
  return out;
}

/** Offline since, counting only from the start of the hours it should have been showing. */
function offlineSince(s: ScreenCondition, now: number): number {
  const since = s.health.presenceSince ?? now;
  return s.onSince === null ? since : Math.max(since, s.onSince);
}

export interface NoticeCondition {
  alert: Alert;
  /** When the controller first published it (a notice may be created to start later). */
  createdAt: number;
  /** The screens it targets (the inventory, filtered by the caller or here). */
  screens: readonly { screen: Screen; shouldShow: boolean }[];
  acked: ReadonlySet<string>;
}

/**
 * An urgent notice in force that some targeted screen which should be showing it has not acknowledged.
 * A critical notice wakes dark screens, so for it every targeted screen should; for the others, only
 * those within their on-hours.
 */
export function noticeConditions(notices: readonly NoticeCondition[], now: number): Condition[] {
  const out: Condition[] = [];
  for (const n of notices) {
    const start = Math.max(Date.parse(n.alert.startsAt), n.createdAt);
    if (now < start || now >= Date.parse(n.alert.expiresAt)) continue;
    const expected = n.screens.filter(
      (s) => targetsMatch(n.alert.targets, s.screen) && (n.alert.severity === "critical" || s.shouldShow),
    );
    const missing = expected.filter((s) => !n.acked.has(s.screen.id)).map((s) => s.screen.id);
    if (missing.length === 0) continue;
    const gates = [...new Set(expected.map((s) => s.screen.gate))];
    const shown = missing.slice(0, 10).join(", ");
    out.push({
      rule: "notice-unacked",
      subject: `notice:${n.alert.id}`,
      gate: gates.length === 1 ? (gates[0] as string) : null,
      since: start,
      summary: `${missing.length}/${expected.length} screens have not shown it: ${shown}${missing.length > 10 ? ", …" : ""}`,
    });
  }
  return out;
}

/** The controller cannot reach its broker (an external one): nothing reaches the screens. */
export function brokerCondition(lostSince: number | null): Condition[] {
  if (lostSince === null) return [];
  return [
    {
      rule: "broker-lost",
      subject: "controller",
      gate: null,
      since: lostSince,
      summary: "the controller has lost its MQTT broker",
    },
  ];
}
