import { EventEmitter } from "node:events";
import type { Release } from "./store/releases.ts";

/** Everything features tell each other. One typed bus instead of features calling each other. */
export interface Events {
  /** A release became the newest (created or rolled back to). */
  release: { release: Release };
  /** Screens were added, changed or removed (live inventory). */
  "screens-changed": { screenIds: string[] };
  /** An alert was created, changed, cancelled or expired. */
  "alerts-changed": { alertId: string | null };
  "credentials-changed": { screenId: string };
  "manifest-published": { screenId: string; version: number; at: number };
  /** Anything on the fleet dashboard changed for this screen. */
  "screen-state": { screenId: string };
  "alert-ack": { alertId: string; screenId: string; at: number };
  "cmd-done": { screenId: string; id: string; ok: boolean; error?: string | undefined };
}

export class EventBus {
  private readonly emitter = new EventEmitter({ captureRejections: false });

  constructor() {
    this.emitter.setMaxListeners(1000);
  }

  on<K extends keyof Events>(type: K, listener: (event: Events[K]) => void): () => void {
    this.emitter.on(type, listener);
    return () => this.emitter.off(type, listener);
  }

  emit<K extends keyof Events>(type: K, event: Events[K]): void {
    this.emitter.emit(type, event);
  }
}
