import { INCIDENT_RULES, Presence, ProblemKind } from "@gatecast/playlists";
import type { Feature } from "../context.ts";
import type { EventBus } from "../events.ts";
import type { Store } from "../store/index.ts";
import { REFUSAL_REASONS, type RefusalReason } from "./playCheck.ts";

/** Prometheus-style counters and one histogram, written out by hand: no registry needed for so few. */
export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(readonly buckets: readonly number[]) {
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    this.buckets.forEach((b, i) => {
      if (value <= b) this.counts[i] = (this.counts[i] ?? 0) + 1;
    });
  }

  render(name: string, help: string): string {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    this.buckets.forEach((b, i) => {
      lines.push(`${name}_bucket{le="${b}"} ${this.counts[i]}`);
    });
    lines.push(`${name}_bucket{le="+Inf"} ${this.count}`, `${name}_sum ${this.sum}`, `${name}_count ${this.count}`);
    return lines.join("\n");
  }
}

export function gauge(name: string, help: string, value: number): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}`;
}

/** One gauge with a label, a line per value (every value listed, zero included). */
export function labelledGauge(name: string, help: string, label: string, values: ReadonlyMap<string, number>): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`];
  for (const [k, v] of values) lines.push(`${name}{${label}="${k}"} ${v}`);
  return lines.join("\n");
}

export function counter(name: string, help: string, value: number): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name} ${value}`;
}

/**
 * The controller's metrics: counts what the bus reports (plays stored, messages dropped, publish →
 * applied) and reads the rest from the store when `/metrics` is asked for.
 */
export class Metrics implements Feature {
  readonly name = "metrics";
  /** Seconds from a manifest's publish to the screen reporting it applied. */
  readonly publishToApplied = new Histogram([0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300]);
  playsIngested = 0;
  malformedMessages = 0;
  /** Retained messages on screen topics where only a status may be retained, found and cleared. */
  strayRetainedCleared = 0;
  /** Play records received, and acknowledged (stored, stored before, or refused). */
  playsReceived = 0;
  playsAcknowledged = 0;
  /** Plays acknowledged but not stored, by why they cannot be true. */
  readonly playsRefused = new Map<RefusalReason, number>(REFUSAL_REASONS.map((r) => [r, 0]));
  /** Plays left unacknowledged: over the screen's rate, or not yet judgeable (sent again later). */
  playsOverRate = 0;
  playsDeferred = 0;
  /** Publish instant of each screen's newest version, to measure publish → applied. */
  private readonly pending = new Map<string, { version: number; at: number }>();
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly deps: {
      bus: EventBus;
      store: Store;
      connectedScreens: () => number | null;
      /** The publisher's last run that sent manifests. */
      lastPublish?: () => { startedAt: number; ackedAt: number; count: number } | null;
      /** What is true of every screen (fleet health), when it is running. */
      judge?: () => readonly {
        health: { presence: Presence; problems: readonly { kind: ProblemKind }[] };
        hours: { on: boolean };
      }[];
    },
  ) {}

  start(): void {
    const { bus } = this.deps;
    this.offs.push(
      bus.on("manifest-published", (e) => this.pending.set(e.screenId, { version: e.version, at: e.at })),
      bus.on("manifest-applied", (e) => {
        const p = this.pending.get(e.screenId);
        if (!p || e.version < p.version) return;
        this.publishToApplied.observe((e.at - p.at) / 1000);
        this.pending.delete(e.screenId);
      }),
      bus.on("plays-stored", (e) => {
        this.playsIngested += e.count;
      }),
      bus.on("message-dropped", () => {
        this.malformedMessages += 1;
      }),
      bus.on("stray-retained-cleared", () => {
        this.strayRetainedCleared += 1;
      }),
      bus.on("plays-judged", (e) => {
        this.playsReceived += e.received;
        this.playsAcknowledged += e.acknowledged;
        this.playsOverRate += e.overRate;
        this.playsDeferred += e.deferred;
        for (const [reason, n] of Object.entries(e.refused) as [RefusalReason, number][])
          this.playsRefused.set(reason, (this.playsRefused.get(reason) ?? 0) + n);
      }),
    );
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }

  /** The text exposition (version 0.0.4). */
  render(): string {
    const { store } = this.deps;
    const screens = store.draft.list("screens");
    const states = new Map(store.fleet.states().map((s) => [s.screenId, s]));
    const metas = store.published.screenMetas();
    let outOfSync = 0;
    for (const s of screens) {
      const published = metas.get(s.id)?.version;
      const applied = states.get(s.id)?.appliedVersion;
      if (published !== undefined && applied !== published) outOfSync++;
    }
    const online = [...states.values()].filter((s) => s.online).length;
    const connected = this.deps.connectedScreens();
    const judged = this.deps.judge?.() ?? [];
    const presence = new Map(Presence.options.map((p) => [p, 0]));
    const problems = new Map(ProblemKind.options.map((p) => [p, 0]));
    let shouldShow = 0;
    for (const j of judged) {
      presence.set(j.health.presence, (presence.get(j.health.presence) ?? 0) + 1);
      for (const p of j.health.problems) problems.set(p.kind, (problems.get(p.kind) ?? 0) + 1);
      if (j.hours.on) shouldShow++;
    }
    const open = new Map(INCIDENT_RULES.map((r) => [r, 0]));
    for (const i of store.incidents.open()) open.set(i.rule, (open.get(i.rule) ?? 0) + 1);
    return `${[
      gauge("gatecast_screens", "Screens in the inventory", screens.length),
      gauge("gatecast_screens_online", "Screens whose last status is online", online),
      // only the embedded broker knows who is connected; an external one's are counted by the online gauge
      ...(connected === null
        ? []
        : [gauge("gatecast_screens_connected", "Screens with an open connection to the embedded broker", connected)]),
      gauge("gatecast_screens_out_of_sync", "Screens not showing their latest manifest", outOfSync),
      counter("gatecast_plays_ingested_total", "Proof-of-play records stored", this.playsIngested),
      counter("gatecast_mqtt_dropped_total", "Screen messages dropped as malformed", this.malformedMessages),
      counter(
        "gatecast_mqtt_stray_retained_cleared_total",
        "Retained messages on screen topics that may not be retained, cleared",
        this.strayRetainedCleared,
      ),
      this.renderPlays(),
      publishRunGauges(this.deps.lastPublish?.() ?? null),
      this.publishToApplied.render("gatecast_publish_to_applied_seconds", "Manifest publish to screen applied"),
      labelledGauge(
        "gatecast_screens_state",
        "Screens by what is true of them (dark-by-schedule: outside their on-hours, judged by the controller)",
        "state",
        presence,
      ),
      labelledGauge("gatecast_screens_problem", "Screens with each problem", "problem", problems),
      gauge(
        "gatecast_screens_should_show",
        "Screens inside their on-hours (or woken by a critical notice)",
        shouldShow,
      ),
      labelledGauge("gatecast_incidents_open", "Open incidents by rule", "rule", open),
      gauge(
        "gatecast_notifications_pending",
        "Notifications waiting to be sent or retried",
        store.incidents.pendingNotifications(),
      ),
    ].join("\n")}\n`;
  }

  /** The proof-of-play counters as Prometheus text. */
  private renderPlays(): string {
    const refused = [
      "# HELP gatecast_plays_refused_total Proof-of-play records acknowledged but not stored (forged or impossible)",
      "# TYPE gatecast_plays_refused_total counter",
      ...[...this.playsRefused].map(([reason, n]) => `gatecast_plays_refused_total{reason="${reason}"} ${n}`),
    ].join("\n");
    return [
      counter("gatecast_plays_received_total", "Proof-of-play records received from screens", this.playsReceived),
      refused,
      counter(
        "gatecast_plays_over_rate_total",
        "Proof-of-play records over the screen's rate, left for it to send again",
        this.playsOverRate,
      ),
      counter(
        "gatecast_plays_deferred_total",
        "Proof-of-play records not judgeable yet (screen clock unknown), left for it to send again",
        this.playsDeferred,
      ),
    ].join("\n");
  }
}

/** The publisher's last run that sent manifests, for benchmarks and dashboards. */
export function publishRunGauges(run: { startedAt: number; ackedAt: number; count: number } | null): string {
  return [
    gauge(
      "gatecast_publish_last_run_started_timestamp_seconds",
      "When the last publish run that sent manifests began",
      run ? run.startedAt / 1000 : 0,
    ),
    gauge(
      "gatecast_publish_last_run_acked_timestamp_seconds",
      "When the broker had acknowledged every manifest of that run",
      run ? run.ackedAt / 1000 : 0,
    ),
    gauge("gatecast_publish_last_run_manifests", "Manifests that run sent", run?.count ?? 0),
  ].join("\n");
}
