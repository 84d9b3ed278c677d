import { resolve } from "node:path";
import { INCIDENT_RULES, type IncidentRule } from "@gatecast/playlists";
import { z } from "zod";
import { AGE_RECIPIENT } from "./backup/age.ts";
import { isLoopbackHost, isProxyEntry, LOOPBACK_PROXIES } from "./http/proxies.ts";

const port = z.coerce.number().int().min(0).max(65_535);
const seconds = z.coerce
  .number()
  .int({ error: "expected whole seconds" })
  .min(0)
  .max(7 * 86_400);

/** `INSTANT[*SPEED][@WALL_MS]`: the controller's clock reads INSTANT at wall time WALL_MS (default: start). */
const TEST_CLOCK = /^(?<at>[^*@\s]+)(?:\*(?<speed>\d+(?:\.\d+)?))?(?:@(?<wall>\d+))?$/;

/** The incident rules' thresholds an installation may set from the environment. */
export const INCIDENT_ENV: Record<IncidentRule, string> = {
  "screen-offline": "INCIDENT_OFFLINE_AFTER_S",
  "screen-frozen": "INCIDENT_FROZEN_AFTER_S",
  "storage-low": "INCIDENT_STORAGE_AFTER_S",
  "trust-error": "INCIDENT_TRUST_AFTER_S",
  "clock-skewed": "INCIDENT_CLOCK_AFTER_S",
  "notice-unacked": "INCIDENT_ACK_AFTER_S",
  "broker-lost": "INCIDENT_BROKER_AFTER_S",
};

const emails = z
  .string()
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.email({ error: "expected e-mail addresses separated by commas" }))
      .min(1)
      .max(50),
  );

/** Every setting comes from the environment, parsed once at start; a bad value stops start-up with its name. */
export const ConfigEnv = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port.default(8080),
  MQTT_PORT: port.default(1883),
  DATA_DIR: z.string().min(1).default("./data"),
  GATECAST_CONTENT: z.string().min(1).default("playlists/content"),
  GATECAST_ADMIN_PASSWORD: z.string().min(12, { error: "must be at least 12 characters" }).optional(),
  MQTT_URL: z.url({ protocol: /^(mqtts?|wss?)$/, error: "expected mqtt://, mqtts://, ws:// or wss://" }).optional(),
  MQTT_USERNAME: z.string().min(1).optional(),
  MQTT_PASSWORD: z.string().min(1).optional(),
  /**
   * The controller's session on an external broker: fixed, so the broker keeps its subscriptions and
   * queues screens' plays while the controller restarts. Give each controller sharing a broker its own.
   */
  MQTT_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: "letters, digits, '.', '_' or '-', at most 64" })
    .default("gatecast-controller"),
  /**
   * With an external broker: after this many seconds without it the controller exits non-zero, so the
   * service manager restarts it (0: never). Refused logins are retried with back-off until then.
   */
  MQTT_DISCONNECTED_EXIT_S: z.coerce.number().int().min(0).default(300),
  /** The WebSocket URL kiosks use when the broker is external (default: the controller's /mqtt). */
  MQTT_WS_URL: z.url({ protocol: /^wss?$/ }).optional(),
  /**
   * Origin screens and operators reach the controller at (for URLs it hands out: the broker's address
   * given to a pairing kiosk). Required when HOST is not loopback: a client's Host header never decides.
   */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Where the gate site is published (the controller's `/site`, the province's portal, a CDN): a kiosk's
   * QR for an item without its own `link` opens the item's page there; leaflets print the same address.
   */
  SITE_URL: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).optional(),
  /** Whether the controller builds the newest release's gate site and serves it at `/site/` (without login). */
  SITE_SERVE: z.stringbool().default(true),
  /**
   * Proxies (addresses or CIDRs, separated by spaces or commas) whose X-Forwarded-For and
   * X-Forwarded-Proto are believed. Default: loopback when HOST is loopback (Caddy or nginx on the same
   * machine), else none. `none`: trust no proxy.
   */
  TRUSTED_PROXIES: z
    .string()
    .transform((s) => (s.trim() === "none" ? [] : s.split(/[\s,]+/).filter(Boolean)))
    .pipe(z.array(z.string().refine(isProxyEntry, { error: "expected IP addresses or CIDRs (10.0.0.0/8, ::1)" })))
    .optional(),
  /** Where kiosks fetch media from; any mirror serving `/{sha256}` below it. */
  MEDIA_BASE_URL: z.string().min(1).optional(),
  MEDIA_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(500 * 1024 * 1024),
  /** `gatecast media-gc` keeps the media of this many newest releases (a rollback to them keeps working). */
  MEDIA_KEEP_RELEASES: z.coerce.number().int().min(1).default(10),
  /**
   * age public keys (`age1…`, separated by spaces or commas) `gatecast backup` encrypts archives to. The
   * matching secret keys stay with the operators, off the controller: only they can restore.
   */
  BACKUP_AGE_RECIPIENTS: z
    .string()
    .transform((s) => s.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.string().regex(AGE_RECIPIENT, { error: "expected age public keys (age1…)" })))
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  MANIFEST_TTL_DAYS: z.coerce.number().positive().default(30),
  /** Raw proof-of-play is kept this many days (the per-play export); daily aggregates are kept for good. */
  PLAYS_RETENTION_DAYS: z.coerce.number().int({ error: "expected whole days" }).min(1).max(3650).default(90),
  /** Test suites only: every answer is checked against its contract, and a mismatch is a 500. */
  GATECAST_CHECK_RESPONSES: z.stringbool().default(false),
  /**
   * Releases check the draft's readability in headless Chromium (on). `off`: no check, releases go
   * through (the test suites, except those of the check itself; a controller without Chromium).
   */
  READABILITY_CHECK: z.enum(["on", "off"], { error: "expected on or off" }).default("on"),
  /** Manifests signed, saved and sent together; small enough that the first screens start early. */
  GATECAST_PUBLISH_CHUNK: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Test-only switches (a fixed clock); refused unless this is 1. */
  GATECAST_TEST_HOOKS: z.enum(["0", "1"]).default("0"),
  GATECAST_TEST_CLOCK: z
    .string()
    .regex(TEST_CLOCK, { error: "expected INSTANT[*SPEED][@WALL_MS], e.g. 2026-11-23T22:59:00+07:00*60" })
    .refine((v) => !Number.isNaN(Date.parse(TEST_CLOCK.exec(v)?.groups?.at ?? "")), { error: "not an instant" })
    .optional(),
  /** Notifications provisioned from the environment (shown read-only in the console). */
  NOTIFY_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).optional(),
  NOTIFY_WEBHOOK_SECRET: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
  NOTIFY_SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: "expected smtp://user:pass@host:port or smtps://…" })
    .optional(),
  NOTIFY_EMAIL_FROM: z.email({ error: "expected an e-mail address" }).optional(),
  NOTIFY_EMAIL_TO: emails.optional(),
  INCIDENT_REMIND_AFTER_S: seconds.pipe(z.number().min(60)).optional(),
  INCIDENT_HOLD_DOWN_S: seconds.optional(),
  ...(Object.fromEntries(Object.values(INCIDENT_ENV).map((k) => [k, seconds.optional()])) as Record<
    string,
    z.ZodOptional<typeof seconds>
  >),
  /** How often open event streams (the dashboard's) are pinged, and their login checked again. */
  SSE_PING_S: z.coerce.number().min(0.2).max(300).default(25),
  /** How often a screen gets a signed time beacon in answer to its heartbeats. */
  TIME_BEACON_S: z.coerce.number().int().min(10).max(3_600).default(120),
});

export interface Config {
  host: string;
  port: number;
  mqttPort: number;
  dataDir: string;
  contentDir: string;
  adminPassword: string | undefined;
  mqtt: {
    url: string;
    username: string | undefined;
    password: string | undefined;
    wsUrl: string | undefined;
    clientId: string;
    /** 0: never give up. */
    disconnectedExitMs: number;
  } | null;
  publicUrl: string | undefined;
  /** SITE_URL, without a trailing slash. */
  siteUrl: string | undefined;
  /** SITE_SERVE: build the gate site in the background and serve it at `/site/`. */
  siteServe: boolean;
  /** TRUSTED_PROXIES: addresses and CIDRs whose forwarding headers are believed. */
  trustedProxies: string[];
  mediaBaseUrl: string | undefined;
  mediaMaxBytes: number;
  mediaKeepReleases: number;
  backupRecipients: string[];
  logLevel: Settings["LOG_LEVEL"];
  manifestTtlMs: number;
  /** Raw plays older than this are deleted once rolled up (PLAYS_RETENTION_DAYS). */
  playsRetentionMs: number;
  /** Check every HTTP answer against its contract (the test suites set GATECAST_CHECK_RESPONSES). */
  checkResponses: boolean;
  /** Releases check the draft's readability (READABILITY_CHECK). */
  readabilityCheck: boolean;
  publishChunk: number;
  testHooks: boolean;
  /** GATECAST_TEST_CLOCK, honoured only with GATECAST_TEST_HOOKS=1. */
  testClock: { at: number; speed: number; wallAnchor: number | null } | null;
  notify: {
    webhook: { url: string; secret: string | null } | null;
    email: { smtpUrl: string; from: string; to: string[] } | null;
  };
  incidents: { afterS: Partial<Record<IncidentRule, number>>; remindAfterS?: number; holdDownS?: number };
  timeBeaconMs: number;
  ssePingMs: number;
}

export class ConfigError extends Error {}

/**
 * What serving needs beyond valid settings: listening beyond loopback, the origin handed to kiosks must
 * be configured (PUBLIC_URL), since the request's Host header is the client's to choose.
 */
export function checkServeSettings(config: Pick<Config, "host" | "publicUrl">): void {
  if (!isLoopbackHost(config.host) && !config.publicUrl)
    throw new ConfigError(
      `PUBLIC_URL: required when HOST (${config.host}) is not loopback; it is the origin screens reach the controller at (e.g. https://gatecast.example), and the request's Host header is never trusted for it`,
    );
}

export type Settings = z.infer<typeof ConfigEnv>;

/** The settings as given, checked: for commands that need one the controller's Config leaves out. */
export function parseSettings(env: Record<string, string | undefined> = process.env): Settings {
  const r = ConfigEnv.safeParse(env);
  if (!r.success) {
    throw new ConfigError(r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  }
  return r.data;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const e = parseSettings(env);
  if (e.NOTIFY_SMTP_URL && (!e.NOTIFY_EMAIL_FROM || !e.NOTIFY_EMAIL_TO)) {
    throw new ConfigError("NOTIFY_SMTP_URL: also set NOTIFY_EMAIL_FROM and NOTIFY_EMAIL_TO");
  }
  if (e.GATECAST_TEST_CLOCK && e.GATECAST_TEST_HOOKS !== "1") {
    throw new ConfigError("GATECAST_TEST_CLOCK: a test setting, honoured only with GATECAST_TEST_HOOKS=1 (unset it)");
  }
  const clock = e.GATECAST_TEST_CLOCK ? TEST_CLOCK.exec(e.GATECAST_TEST_CLOCK)?.groups : undefined;
  const afterS: Partial<Record<IncidentRule, number>> = {};
  for (const rule of INCIDENT_RULES) {
    const v = (e as Record<string, unknown>)[INCIDENT_ENV[rule]];
    if (typeof v === "number") afterS[rule] = v;
  }
  return {
    host: e.HOST,
    port: e.PORT,
    mqttPort: e.MQTT_PORT,
    dataDir: resolve(e.DATA_DIR),
    contentDir: e.GATECAST_CONTENT,
    adminPassword: e.GATECAST_ADMIN_PASSWORD,
    mqtt: e.MQTT_URL
      ? {
          url: e.MQTT_URL,
          username: e.MQTT_USERNAME,
          password: e.MQTT_PASSWORD,
          wsUrl: e.MQTT_WS_URL,
          clientId: e.MQTT_CLIENT_ID,
          disconnectedExitMs: e.MQTT_DISCONNECTED_EXIT_S * 1000,
        }
      : null,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ""),
    siteUrl: e.SITE_URL?.replace(/\/+$/, ""),
    siteServe: e.SITE_SERVE,
    trustedProxies: e.TRUSTED_PROXIES ?? (isLoopbackHost(e.HOST) ? LOOPBACK_PROXIES : []),
    mediaBaseUrl: e.MEDIA_BASE_URL?.replace(/\/$/, ""),
    mediaMaxBytes: e.MEDIA_MAX_BYTES,
    mediaKeepReleases: e.MEDIA_KEEP_RELEASES,
    backupRecipients: e.BACKUP_AGE_RECIPIENTS ?? [],
    logLevel: e.LOG_LEVEL,
    manifestTtlMs: e.MANIFEST_TTL_DAYS * 86_400_000,
    playsRetentionMs: e.PLAYS_RETENTION_DAYS * 86_400_000,
    checkResponses: e.GATECAST_CHECK_RESPONSES,
    readabilityCheck: e.READABILITY_CHECK === "on",
    publishChunk: e.GATECAST_PUBLISH_CHUNK,
    testHooks: e.GATECAST_TEST_HOOKS === "1",
    testClock:
      clock && e.GATECAST_TEST_HOOKS === "1"
        ? {
            at: Date.parse(clock.at ?? ""),
            speed: clock.speed ? Number(clock.speed) : 1,
            wallAnchor: clock.wall ? Number(clock.wall) : null,
          }
        : null,
    notify: {
      webhook: e.NOTIFY_WEBHOOK_URL ? { url: e.NOTIFY_WEBHOOK_URL, secret: e.NOTIFY_WEBHOOK_SECRET ?? null } : null,
      email:
        e.NOTIFY_SMTP_URL && e.NOTIFY_EMAIL_FROM && e.NOTIFY_EMAIL_TO
          ? { smtpUrl: e.NOTIFY_SMTP_URL, from: e.NOTIFY_EMAIL_FROM, to: e.NOTIFY_EMAIL_TO }
          : null,
    },
    incidents: {
      afterS,
      ...(e.INCIDENT_REMIND_AFTER_S !== undefined ? { remindAfterS: e.INCIDENT_REMIND_AFTER_S } : {}),
      ...(e.INCIDENT_HOLD_DOWN_S !== undefined ? { holdDownS: e.INCIDENT_HOLD_DOWN_S } : {}),
    },
    timeBeaconMs: e.TIME_BEACON_S * 1000,
    ssePingMs: e.SSE_PING_S * 1000,
  };
}
