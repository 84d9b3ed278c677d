import { SERVER_EVENT_NAMES, SERVER_EVENTS, type ServerEventData, type ServerEventName } from "@gatecast/playlists/api";
import { signal } from "@preact/signals";

/** "connecting" until the stream opens; "down" while EventSource retries. */
export const liveState = signal<"off" | "connecting" | "live" | "down">("off");

type Listener<K extends ServerEventName> = (e: ServerEventData<K>) => void;
const listeners = new Map<ServerEventName, Set<Listener<ServerEventName>>>();
/** Called when the stream (re)opens: whatever was missed meanwhile must be refetched. */
const reopenListeners = new Set<() => void>();
let source: EventSource | null = null;

/** Hands an event's data to its listeners once it parses with the event's schema (else it is dropped). */
export function dispatch(name: ServerEventName, raw: string): void {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return;
  }
  const r = SERVER_EVENTS[name].safeParse(json);
  if (!r.success) return;
  for (const fn of listeners.get(name) ?? []) fn(r.data);
}

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
  for (const name of SERVER_EVENT_NAMES)
    es.addEventListener(name, (ev: MessageEvent<string>) => dispatch(name, ev.data));
}

export function disconnectEvents(): void {
  source?.close();
  source = null;
  liveState.value = "off";
}

/** Subscribes to one event; returns the unsubscribe function (use it as an effect's cleanup). */
export function onEvent<K extends ServerEventName>(name: K, fn: Listener<K>): () => void {
  let set = listeners.get(name);
  if (!set) {
    set = new Set();
    listeners.set(name, set);
  }
  const l = fn as Listener<ServerEventName>;
  set.add(l);
  return () => set.delete(l);
}

export function onReconnect(fn: () => void): () => void {
  reopenListeners.add(fn);
  return () => reopenListeners.delete(fn);
}
