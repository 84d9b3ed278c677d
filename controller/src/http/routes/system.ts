import { setTimeout as sleep } from "node:timers/promises";
import { routes, SERVER_EVENT_NAMES, type ServerEventData, type ServerEventName } from "@gatecast/playlists/api";
import { streamSSE } from "hono/streaming";
import type { Context } from "../../context.ts";
import type { Events } from "../../events.ts";
import { type Api, Reply } from "../api.ts";

/** What the bus says, as the dashboard hears it (a release by its id). */
function wire<K extends Exclude<ServerEventName, "hello" | "ping">>(name: K, e: Events[K]): ServerEventData<K>;
function wire(name: ServerEventName, e: unknown): unknown {
  return name === "release" ? { id: (e as Events["release"]).release.id } : e;
}

/** Health, metrics, the public signing keys, and the live event stream the dashboard listens to. */
export function registerSystemRoutes(api: Api, ctx: Context): void {
  api.handle(routes.system.health, () => {
    ctx.store.meta("schema");
    const mqtt = ctx.mqttConnected();
    // the last quick_check (at start, then daily) and its age: a full pass per poll would cost too much
    const store = ctx.storeHealth.report(ctx.clock.now());
    const ok = mqtt && store.check === "ok";
    return new Reply(ok ? 200 : 503, { ok, mqtt: mqtt ? ("connected" as const) : ("disconnected" as const), store });
  });

  api.handle(routes.system.keys, () => ctx.keys.jwks);

  api.handle(routes.system.metrics, ({ c }) =>
    c.text(ctx.metrics.render(), 200, { "content-type": "text/plain; version=0.0.4" }),
  );

  // Server push for the fleet dashboard: the console refetches what an event names.
  // Each ping re-checks the login: a stream ends within one ping of a logout, a revoked token or a
  // disabled account.
  api.handle(routes.system.events, ({ c }) =>
    streamSSE(c, async (stream) => {
      const auth = c.get("auth");
      let open = true;
      const send = (event: ServerEventName, data: unknown) => {
        if (!open) return;
        if (!api.eventMatches(event, data)) {
          open = false;
          void stream.close();
          return;
        }
        void stream.writeSSE({ event, data: JSON.stringify(data) });
      };
      const offs = SERVER_EVENT_NAMES.filter((n) => n !== "hello" && n !== "ping").map((name) =>
        ctx.bus.on(name, (e) => send(name, wire(name, e as never))),
      );
      stream.onAbort(() => {
        open = false;
      });
      // the server is stopping: end the stream now rather than at the next ping
      const closing = api.closing;
      const end = () => {
        open = false;
        void stream.close();
      };
      closing.addEventListener("abort", end, { once: true });
      send("hello", { at: ctx.clock.now() });
      while (open) {
        const woke = await sleep(ctx.config.ssePingMs, true, { signal: closing }).catch(() => false);
        if (!woke) break;
        if (!auth?.stillValid(ctx.clock.now())) {
          open = false;
          await stream.close();
          break;
        }
        send("ping", {});
      }
      closing.removeEventListener("abort", end);
      for (const off of offs) off();
    }),
  );
}
