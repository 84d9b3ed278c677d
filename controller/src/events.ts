import type { ServerEventData } from "@gatecast/playlists/api";
import type { RefusalReason } from "./features/playCheck.ts";
import type { Logger } from "./log.ts";
import type { Release } from "./store/releases.ts";

/**
 * Everything features tell each other: one typed bus instead of features calling each other. The
 * events the dashboard hears (`GET /api/v1/events`) carry the domain's `ServerEventData`.
 */
export interface Events {
  /** A release became the newest (created or rolled back to); the dashboard hears its id. */
  release: { release: Release };
  "screens-changed": ServerEventData<"screens-changed">;
  "alerts-changed": ServerEventData<"alerts-changed">;
  "manifest-published": ServerEventData<"manifest-published">;
  "screen-state": ServerEventData<"screen-state">;
  "alert-ack": ServerEventData<"alert-ack">;
  "cmd-done": ServerEventData<"cmd-done">;
  /**
   * A screen's broker rights changed (new credentials, another gate, removed): its connections go.
   * `revoked`: its login is no longer valid, so nothing more from those connections (last will included).
   */
  "screen-access-changed": { screenId: string; revoked?: boolean };
  /** The external broker came back without the controller's session: retained messages may be gone. */
  "mqtt-session-lost": Record<string, never>;
  /** The external broker came back with the controller's session (it replays no retained messages). */
  "mqtt-session-resumed": Record<string, never>;
  /** A screen reported a manifest version on screen (from its heartbeat). */
  "manifest-applied": { screenId: string; version: number; at: number };
  /** Proof-of-play records stored (repeats not counted). */
  "plays-stored": { screenId: string; count: number };
  /** A screen's message that did not parse, dropped. */
  "message-dropped": { topic: string; error: string };
  /** A retained message found where only a screen's status may be retained, cleared. */
  "stray-retained-cleared": { topic: string };
  /** A screen reported holding a manifest version above the last one this store issued to it. */
  "manifest-behind": { screenId: string; heldVersion: number };
  /** A batch of proof-of-play judged: received, left for the screen to resend, acknowledged, refused by reason. */
  "plays-judged": {
    screenId: string;
    received: number;
    overRate: number;
    deferred: number;
    acknowledged: number;
    refused: Partial<Record<RefusalReason, number>>;
  };
  /** A heartbeat arrived: `at` is the screen's own time in it, `receivedAt` the controller's. */
  "screen-heartbeat": { screenId: string; at: number; receivedAt: number };
  incident: ServerEventData<"incident">;
}

type Listener<K extends keyof Events> = (event: Events[K]) => void;

/**
 * Listeners run in the order they were added. One that throws is logged and the others still run,
 * as in Zigbee2MQTT's event bus: a bug in one feature must not silence the rest.
 */
export class EventBus {
  private readonly listeners = new Map<keyof Events, Set<Listener<keyof Events>>>();

  constructor(private readonly log: Pick<Logger, "error">) {}

  on<K extends keyof Events>(type: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    const l = listener as Listener<keyof Events>;
    set.add(l);
    return () => set.delete(l);
  }

  emit<K extends keyof Events>(type: K, event: Events[K]): void {
    const set = this.listeners.get(type);
    if (!set) return;
    for (const l of [...set]) {
      try {
        l(event);
      } catch (err) {
        this.log.error({ err, event: type }, "event listener failed");
      }
    }
  }
}
