import { z } from "zod";
import { ChannelId } from "./incidents.ts";

/**
 * Notification channels: what an admin writes (the secret is write-only: sent once, never returned) and
 * what the console is shown. Channels provisioned from the environment are shown with
 * `source: "environment"` and cannot be changed from the console.
 */

export const SmtpSecurity = z.enum(["tls", "starttls", "opportunistic", "none"]);
export type SmtpSecurity = z.infer<typeof SmtpSecurity>;

const host = z
  .string()
  .trim()
  .min(1, { error: "required" })
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, { error: "expected a host name or address" });

export const EmailChannelInput = z.strictObject({
  kind: z.literal("email"),
  id: ChannelId,
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  host,
  port: z.int().min(1).max(65_535),
  /** tls: implicit TLS (465); starttls: required; opportunistic: if the server offers it; none. */
  security: SmtpSecurity.default("starttls"),
  user: z.string().max(200).optional(),
  /** Write-only. Absent when changing a channel: the stored one stays. */
  password: z.string().max(500).optional(),
  from: z.email({ error: "expected an e-mail address" }),
  to: z
    .array(z.email({ error: "expected an e-mail address" }))
    .min(1, { error: "name at least one recipient" })
    .max(50),
});
export type EmailChannelInput = z.infer<typeof EmailChannelInput>;

export const WebhookChannelInput = z.strictObject({
  kind: z.literal("webhook"),
  id: ChannelId,
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  url: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }),
  /** Write-only HMAC key. Absent when changing a channel: the stored one stays. */
  secret: z.string().min(16, { error: "at least 16 characters" }).max(500).optional(),
});
export type WebhookChannelInput = z.infer<typeof WebhookChannelInput>;

export const ChannelInput = z.discriminatedUnion("kind", [EmailChannelInput, WebhookChannelInput]);
export type ChannelInput = z.infer<typeof ChannelInput>;

export const ChannelStatus = z.strictObject({
  lastOkAt: z.number().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.number().nullable(),
});
export type ChannelStatus = z.infer<typeof ChannelStatus>;

/** A channel as the console sees it: never a password or a secret, only whether one is set. */
export const ChannelView = z.discriminatedUnion("kind", [
  EmailChannelInput.omit({ password: true }).extend({
    hasPassword: z.boolean(),
    source: z.enum(["store", "environment"]),
    status: ChannelStatus,
  }),
  WebhookChannelInput.omit({ secret: true }).extend({
    hasSecret: z.boolean(),
    source: z.enum(["store", "environment"]),
    status: ChannelStatus,
  }),
]);
export type ChannelView = z.infer<typeof ChannelView>;

/** What a webhook receives (JSON), signed: `X-Gatecast-Signature: sha256=HMAC(secret, timestamp + "." + body)`. */
export const WebhookBody = z.strictObject({
  event: z.enum(["incident.opened", "incident.reminder", "incident.resolved", "test"]),
  sentAt: z.string(),
  incident: z
    .strictObject({
      id: z.number(),
      rule: z.string(),
      subject: z.string(),
      gate: z.string().nullable(),
      summary: z.string(),
      openedAt: z.string(),
      since: z.string(),
      resolvedAt: z.string().nullable(),
      url: z.string().nullable(),
    })
    .nullable(),
  text: z.strictObject({ vi: z.string(), en: z.string() }),
});
export type WebhookBody = z.infer<typeof WebhookBody>;

export const WEBHOOK_SIGNATURE_HEADER = "x-gatecast-signature";
export const WEBHOOK_TIMESTAMP_HEADER = "x-gatecast-timestamp";
