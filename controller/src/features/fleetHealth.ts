import {
  type Alert,
  activeAlerts,
  compileScreenProgram,
  effectiveOnHours,
  type Gate,
  HEALTH_THRESHOLDS,
  type HealthThresholds,
  longestSlotMs,
  type OnHours,
  type OnHoursState,
  onHoursAt,
  type Screen,
  type ScreenFacts,
  type ScreenHealth,
  screenHealth,
} from "@gatecast/playlists";
import type { Context, Feature } from "../context.ts";

/** One screen as the fleet's judges see it: inventory, facts, what is true, and its hours. */
export interface ScreenJudgement {
  screen: Screen;
  gate: Gate | null;
  paired: boolean;
  facts: ScreenFacts;
  health: ScreenHealth;
  onHours: OnHours | null;
  timeZone: string;
  /** Its on-hours alone (the critical-notice wake-up aside). */
  hours: OnHoursState;
}

interface Program {
  gate: Gate | null;
  onHours: OnHours | null;
  longestItemMs: number;
}

/**
 * What is true of every screen now (`screenHealth` in the domain package) from the store's live state,
 * the newest release's gates and playlists and the live inventory, judged on the controller's clock.
 * The dashboard, `/metrics` and the incident rules all read it here. A screen's dark hours come from
 * its schedule, not from the screen: one that is offline cannot say it is dark.
 */
export class FleetHealth implements Feature {
  readonly name = "fleet-health";
  private programs: Map<string, Program> | null = null;
  private readonly offs: (() => void)[] = [];
  thresholds: HealthThresholds = HEALTH_THRESHOLDS;

  constructor(private readonly ctx: Context) {}

  start(): void {
    const invalidate = () => {
      this.programs = null;
    };
    this.offs.push(this.ctx.bus.on("release", invalidate), this.ctx.bus.on("screens-changed", invalidate));
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private program(screen: Screen): Program {
    if (!this.programs) this.programs = new Map();
    const cached = this.programs.get(screen.id);
    if (cached) return cached;
    const release = this.ctx.store.releases.latest();
    const gates = release?.content.gates ?? this.ctx.store.draft.list("gates");
    const gate = gates.find((g) => g.id === screen.gate) ?? this.ctx.store.draft.get("gates", screen.gate) ?? null;
    let longestItemMs = 0;
    if (release && gate) {
      try {
        longestItemMs = longestSlotMs(compileScreenProgram({ ...release.content, screens: [screen] }, screen));
      } catch {
        longestItemMs = 0;
      }
    }
    const p = { gate, onHours: gate ? effectiveOnHours(gate, screen) : (screen.onHours ?? null), longestItemMs };
    this.programs.set(screen.id, p);
    return p;
  }

  /** Whether a screen should be showing: its on-hours, or a critical notice in force for it. */
  shouldShow(
    screen: Screen,
    onHours: OnHours | null,
    timeZone: string,
    now: number,
    alerts: readonly Alert[],
  ): OnHoursState {
    const hours = onHoursAt(onHours, timeZone, now);
    if (hours.on) return hours;
    const critical = activeAlerts(alerts, screen, now).find((a) => a.severity === "critical");
    return critical ? { on: true, since: Date.parse(critical.startsAt), until: Date.parse(critical.expiresAt) } : hours;
  }

  /** Every screen in the inventory, in its order. */
  all(now = this.ctx.clock.now()): ScreenJudgement[] {
    const screens = this.ctx.store.draft.list("screens");
    const states = new Map(this.ctx.store.fleet.states().map((s) => [s.screenId, s]));
    const metas = this.ctx.store.published.screenMetas();
    const paired = new Set(this.ctx.store.fleet.allCredentials().map((c) => c.screenId));
    const alerts = this.ctx.store.alerts.live(now);
    return screens.map((screen) => {
      const st = states.get(screen.id);
      const meta = metas.get(screen.id);
      const p = this.program(screen);
      const timeZone = p.gate?.timezone ?? "Asia/Ho_Chi_Minh";
      const hb = st?.heartbeat ?? null;
      const facts: ScreenFacts = {
        paired: paired.has(screen.id),
        online: st?.online ?? false,
        since: st?.since ?? null,
        lastSeenAt: st?.lastSeenAt ?? null,
        heartbeatAt: hb ? (st?.lastSeenAt ?? null) : null,
        heartbeat: hb,
        errors: st?.errors ?? [],
        manifest: {
          published: meta?.version ?? null,
          publishedAt: meta?.publishedAt ?? null,
          applied: st?.appliedVersion ?? null,
        },
        shouldShow: this.shouldShow(screen, p.onHours, timeZone, now, alerts),
        longestItemMs: p.longestItemMs,
        clockOffsetMs: st?.clockOffsetMs ?? null,
      };
      return {
        screen,
        gate: p.gate,
        paired: facts.paired,
        facts,
        health: screenHealth(facts, now, this.thresholds),
        onHours: p.onHours,
        timeZone,
        hours: onHoursAt(p.onHours, timeZone, now),
      };
    });
  }

  one(screenId: string, now = this.ctx.clock.now()): ScreenJudgement | undefined {
    return this.all(now).find((j) => j.screen.id === screenId);
  }
}
