import { streamSSE } from "hono/streaming";
import type { Context } from "../../context.ts";
import type { Events } from "../../events.ts";
import { counter, gauge } from "../../features/metrics.ts";
import type { Services } from "../../services.ts";
import type { Api } from "../api.ts";
import { requireRole } from "../auth.ts";

/** Health, metrics, the public signing keys, and the live event stream the dashboard listens to. */
export function registerSystemRoutes(api: Api, ctx: Context, services: Services): void {
  api.route(
    {
      method: "get",
      path: "/healthz",
      summary: "Liveness: the store answers and MQTT is connected",
      tag: "system",
      role: null,
    },
    (c) => {
      ctx.store.meta("schema");
      const mqtt = ctx.mqttConnected();
      return c.json({ ok: mqtt, mqtt: mqtt ? "connected" : "disconnected" }, mqtt ? 200 : 503);
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/keys",
      summary: "Public signing keys (JWKS) that screens pin",
      tag: "system",
      role: null,
    },
    (c) => c.json(ctx.keys.jwks),
  );

  api.route(
    {
      method: "get",
      path: "/metrics",
      summary: "Prometheus metrics",
      tag: "system",
      role: null,
      response: { description: "text exposition", contentType: "text/plain" },
    },
    (c) => {
      const screens = ctx.store.draft.list("screens");
      const states = new Map(ctx.store.fleet.states().map((s) => [s.screenId, s]));
      const metas = ctx.store.published.screenMetas();
      let outOfSync = 0;
      for (const s of screens) {
        const published = metas.get(s.id)?.version;
        const applied = states.get(s.id)?.appliedVersion;
        if (published !== undefined && applied !== published) outOfSync++;
      }
      const online = [...states.values()].filter((s) => s.online).length;
      const body = [
        gauge("gatecast_screens", "Screens in the inventory", screens.length),
        gauge("gatecast_screens_online", "Screens whose last status is online", online),
        gauge(
          "gatecast_screens_connected",
          "Screens connected to the embedded broker",
          services.broker?.connectedScreens() ?? online,
        ),
        gauge("gatecast_screens_out_of_sync", "Screens not showing their latest manifest", outOfSync),
        counter("gatecast_plays_ingested_total", "Proof-of-play records stored", services.metrics.playsIngested),
        counter(
          "gatecast_mqtt_dropped_total",
          "Screen messages dropped as malformed",
          services.metrics.malformedMessages,
        ),
        services.metrics.publishToApplied.render(
          "gatecast_publish_to_applied_seconds",
          "Manifest publish to screen applied",
        ),
      ].join("\n");
      return c.text(`${body}\n`, 200, { "content-type": "text/plain; version=0.0.4" });
    },
  );

  // Server push for the fleet dashboard: the console refetches what an event names.
  api.app.get("/api/v1/events", (c) => {
    requireRole(c, "viewer");
    return streamSSE(c, async (stream) => {
      const kinds: (keyof Events)[] = [
        "screen-state",
        "manifest-published",
        "alert-ack",
        "alerts-changed",
        "release",
        "screens-changed",
        "cmd-done",
      ];
      const offs = kinds.map((kind) =>
        ctx.bus.on(kind, (e) => {
          const data = kind === "release" ? { id: (e as Events["release"]).release.id } : e;
          void stream.writeSSE({ event: kind, data: JSON.stringify(data) });
        }),
      );
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      await stream.writeSSE({ event: "hello", data: JSON.stringify({ at: ctx.clock.now() }) });
      while (open) {
        await stream.sleep(25_000);
        if (open) await stream.writeSSE({ event: "ping", data: "{}" });
      }
      for (const off of offs) off();
    });
  });
}
