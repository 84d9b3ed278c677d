import { resolve } from "node:path";
import { z } from "zod";
import { AGE_RECIPIENT } from "./backup/age.ts";

const port = z.coerce.number().int().min(0).max(65_535);

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
  /** Origin screens and operators reach the controller at (for URLs it prints and hands out). */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
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
  /** Test suites only: every answer is checked against its contract, and a mismatch is a 500. */
  GATECAST_CHECK_RESPONSES: z.stringbool().default(false),
  /** Manifests signed, saved and sent together; small enough that the first screens start early. */
  GATECAST_PUBLISH_CHUNK: z.coerce.number().int().min(1).max(10_000).default(50),
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
  mediaBaseUrl: string | undefined;
  mediaMaxBytes: number;
  mediaKeepReleases: number;
  backupRecipients: string[];
  logLevel: Settings["LOG_LEVEL"];
  manifestTtlMs: number;
  /** Check every HTTP answer against its contract (the test suites set GATECAST_CHECK_RESPONSES). */
  checkResponses: boolean;
  publishChunk: number;
}

export class ConfigError extends Error {}

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
    mediaBaseUrl: e.MEDIA_BASE_URL?.replace(/\/$/, ""),
    mediaMaxBytes: e.MEDIA_MAX_BYTES,
    mediaKeepReleases: e.MEDIA_KEEP_RELEASES,
    backupRecipients: e.BACKUP_AGE_RECIPIENTS ?? [],
    logLevel: e.LOG_LEVEL,
    manifestTtlMs: e.MANIFEST_TTL_DAYS * 86_400_000,
    checkResponses: e.GATECAST_CHECK_RESPONSES,
    publishChunk: e.GATECAST_PUBLISH_CHUNK,
  };
}
