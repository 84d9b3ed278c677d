import { signal } from "@preact/signals";

/** Server-sent events of `/api/v1/events` and what each carries. */
export interface ServerEvents {
  "screen-state": { screenId: string };
  "manifest-published": { screenId: string; version: number; at: number };
  "alert-ack": { alertId: string; screenId: string; at: number };
  "alerts-changed": { alertId: string | null };
  release: { id: number };
  "screens-changed": { screenIds: string[] };
  "cmd-done": { screenId: string; id: string; ok: boolean; error?: string };
}
type EventName = keyof ServerEvents;
const NAMES: readonly EventName[] = [
  "screen-state",
  "manifest-published",
  "alert-ack",
  "alerts-changed",
  "release",
  "screens-changed",
  "cmd-done",
];

/** "connecting" until the stream opens; "down" while EventSource retries. */
export const liveState = signal<"off" | "connecting" | "live" | "down">("off");

type Listener<K extends EventName> = (e: ServerEvents[K]) => void;
const listeners = new Map<EventName, Set<Listener<EventName>>>();
/** Called when the stream (re)opens: whatever was missed meanwhile must be refetched. */
const reopenListeners = new Set<() => void>();
let source: EventSource | null = null;

/** Opens the one shared stream (cookie auth); EventSource reconnects on its own. */
export function connectEvents(): void {
  if (source) return;
  liveState.value = "connecting";
  const es = new EventSource("/api/v1/events", { withCredentials: true });
  source = es;
  let opened = false;
  es.onopen = () => {
    liveState.value = "live";
    if (opened) for (const fn of reopenListeners) fn();
    opened = true;
  };
  es.onerror = () => {
    liveState.value = es.readyState === EventSource.CLOSED ? "off" : "down";
  };
  for (const name of NAMES) {
    es.addEventListener(name, (ev: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(ev.data);
      } catch {
        return;
      }
      for (const fn of listeners.get(name) ?? []) fn(data as ServerEvents[typeof name]);
    });
  }
}

export function disconnectEvents(): void {
  source?.close();
  source = null;
  liveState.value = "off";
}

/** Subscribes to one event; returns the unsubscribe function (use it as an effect's cleanup). */
export function onEvent<K extends EventName>(name: K, fn: Listener<K>): () => void {
  let set = listeners.get(name);
  if (!set) {
    set = new Set();
    listeners.set(name, set);
  }
  const l = fn as Listener<EventName>;
  set.add(l);
  return () => set.delete(l);
}

export function onReconnect(fn: () => void): () => void {
  reopenListeners.add(fn);
  return () => reopenListeners.delete(fn);
}
