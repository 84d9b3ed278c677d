import { z } from "zod";
import { Id } from "../schema/common.ts";

/**
 * The server-sent events of `GET /api/v1/events`, by name, and what each carries. The console
 * refetches what an event names; `hello` opens the stream and `ping` keeps it open.
 */
export const SERVER_EVENTS = {
  hello: z.object({ at: z.int() }),
  ping: z.object({}),
  /** Anything on the fleet dashboard changed for this screen. */
  "screen-state": z.object({ screenId: Id }),
  "manifest-published": z.object({ screenId: Id, version: z.int(), at: z.int() }),
  "alert-ack": z.object({ alertId: Id, screenId: Id, at: z.int() }),
  /** An alert was created, cancelled or expired (null: expiry, which names none). */
  "alerts-changed": z.object({ alertId: Id.nullable() }),
  /** A release became the newest (created or rolled back to). */
  release: z.object({ id: z.int() }),
  /** Screens were added, changed or removed (live inventory). */
  "screens-changed": z.object({ screenIds: z.array(Id) }),
  "cmd-done": z.object({ screenId: Id, id: z.string(), ok: z.boolean(), error: z.string().optional() }),
  /** An incident opened, changed, was acknowledged, notified or resolved. */
  incident: z.object({ id: z.int() }),
} as const;

export type ServerEventName = keyof typeof SERVER_EVENTS;
export const SERVER_EVENT_NAMES = Object.keys(SERVER_EVENTS) as ServerEventName[];
export type ServerEventData<K extends ServerEventName> = z.infer<(typeof SERVER_EVENTS)[K]>;

/** One event as it travels: its name and its data. */
export type ServerEvent = { [K in ServerEventName]: { event: K; data: ServerEventData<K> } }[ServerEventName];
