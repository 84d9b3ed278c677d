import { z } from "zod";
import { Jwks } from "../sign.ts";
import { Id, Instant } from "./common.ts";

/*
 * The pairing API between an unpaired kiosk and the controller. Objects are not strict: the
 * controller may add fields and older kiosks keep working.
 */

/** `POST /api/v1/pairings` → 201. */
export const PairingCreated = z.object({
  pairingId: z.string().min(1).max(200),
  code: z.string().min(4).max(16),
  expiresAt: Instant,
});
export type PairingCreated = z.infer<typeof PairingCreated>;

/** How a screen reaches the broker: TCP for Node clients, WebSocket for browsers. */
export const MqttCredentials = z.object({
  url: z.string().optional(),
  wsUrl: z.string().min(1),
  username: z.string().min(1),
  password: z.string(),
});
export type MqttCredentials = z.infer<typeof MqttCredentials>;

/** What a screen gets once claimed (and what `POST /api/v1/screens/{id}/credentials` returns). */
export const ScreenCredentials = z.object({ screenId: Id, mqtt: MqttCredentials, jwks: Jwks });
export type ScreenCredentials = z.infer<typeof ScreenCredentials>;

/** `GET /api/v1/pairings/{pairingId}` → 200: pending, or the credentials exactly once. */
export const PairingStatus = z.discriminatedUnion("status", [
  z.object({ status: z.literal("pending"), code: z.string().optional(), expiresAt: Instant.optional() }),
  ScreenCredentials.extend({ status: z.literal("claimed") }),
]);
export type PairingStatus = z.infer<typeof PairingStatus>;
