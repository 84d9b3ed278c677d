import { z } from "zod";
import { Jwks } from "../sign.ts";
import { json, raw, route } from "./contract.ts";

/** The store's last integrity check (`PRAGMA quick_check`, at start and then daily) and its age. */
export const StoreCheckReport = z.object({
  /** "ok", or SQLite's first problems. */
  check: z.string(),
  checkedAt: z.iso.datetime(),
  ageS: z.number().int().nonnegative(),
  /** How long the check took. */
  ms: z.number().int().nonnegative(),
});
export type StoreCheckReport = z.infer<typeof StoreCheckReport>;

export const Health = z.object({
  ok: z.boolean(),
  mqtt: z.enum(["connected", "disconnected"]),
  store: StoreCheckReport,
});
export type Health = z.infer<typeof Health>;

export const systemRoutes = {
  health: route({
    method: "get",
    path: "/healthz",
    summary: "Liveness: the store answers and passed its last integrity check, and MQTT is connected (503 when not)",
    tag: "system",
    role: null,
    response: json(Health, "`{ok, mqtt, store}`", { also: [503] }),
  }),
  keys: route({
    method: "get",
    path: "/api/v1/keys",
    summary: "Public signing keys (JWKS) that screens pin",
    tag: "system",
    role: null,
    response: json(Jwks, "the keys"),
  }),
  metrics: route({
    method: "get",
    path: "/metrics",
    summary: "Prometheus metrics",
    tag: "system",
    role: null,
    response: raw("text/plain", "text exposition, version 0.0.4"),
  }),
  events: route({
    method: "get",
    path: "/api/v1/events",
    summary: "Live events for the dashboard (server-sent events; see `x-events`)",
    tag: "system",
    role: "viewer",
    response: raw("text/event-stream", "one `ServerEvent` per message: `event` names it, `data` is its JSON"),
  }),
  media: route({
    method: "get",
    path: "/media/:sha256",
    summary: "A stored media file by content hash (HEAD and byte ranges too; immutable, CORS open)",
    tag: "media",
    role: null,
    params: z.object({ sha256: z.string() }),
    response: raw("application/octet-stream", "the file, with its own media type"),
  }),
  openapi: route({
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This document",
    tag: "system",
    role: null,
    response: json(z.record(z.string(), z.unknown()), "OpenAPI 3.1"),
  }),
};
