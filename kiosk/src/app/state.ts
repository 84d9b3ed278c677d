import type { Alert, DisplayState, Item, ScreenProgram } from "@gatecast/playlists";
import { computed, signal } from "@preact/signals";
import type { AgentSnapshot } from "../sync/agent.ts";
import { mergeAlerts } from "../sync/alerts.ts";
import type { PairingView } from "../sync/pairing.ts";
import type { PlayedProgram } from "./player.ts";

/** Where the kiosk is in its life: what the whole screen shows. */
export type Phase =
  | { kind: "boot" }
  | { kind: "insecure" }
  | { kind: "pairing"; view: PairingView }
  | { kind: "paired"; screenId: string };

/** One item's turn on screen, as the schedule resolved it. */
export interface Slot {
  key: string;
  item: Item;
  playlist: string | null;
  startsAt: number;
  endsAt: number;
}

export const phase = signal<Phase>({ kind: "boot" });
export const sync = signal<AgentSnapshot | null>(null);
export const slot = signal<Slot | null>(null);
/** Alerts in force now, most severe first (the resolver's order). */
export const alerts = signal<Alert[]>([]);
export const identify = signal<{ until: number } | null>(null);
/** On, or black outside the screen's on-hours. */
export const display = signal<DisplayState>("on");
/** The kiosk clock, sampled every 250 ms: what time-dependent views (alternate notices, clocks) read. */
export const now = signal<number>(0);

/** A text the kiosk shows in pages (it does not fit at the screen's readable size), for the heartbeat. */
export interface Paging {
  item: string;
  pages: number;
  fontPx: number;
}
export const paging = signal<Paging | null>(null);

export const manifest = computed(() => sync.value?.current?.manifest ?? null);

/** What the resolver plays: the manifest's program with the gate's live alerts merged in. */
export const program = computed<PlayedProgram | null>(() => {
  const m = manifest.value;
  if (!m) return null;
  const gate = sync.value?.gateAlerts;
  const live = gate && gate.gate === m.screen.gate ? gate.alerts : [];
  return { ...m, alerts: mergeAlerts(m.alerts, live) };
});

export const critical = computed(() => alerts.value.filter((a) => a.severity === "critical"));
export const banners = computed(() => alerts.value.filter((a) => a.severity !== "critical"));
