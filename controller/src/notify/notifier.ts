import {
  type ChannelStatus,
  type ChannelView,
  EmailChannelInput,
  type WebhookBody,
  WebhookChannelInput,
} from "@gatecast/playlists";
import type { Context, Feature } from "../context.ts";
import type { IncidentRow, NotifyEvent, OutboxRow } from "../store/incidents.ts";
import type { StoredChannel } from "../store/notify.ts";
import { type SmtpSettings, sendEmail, smtpFromUrl } from "./email.ts";
import { incidentMessage, type Message, type MessageContext, testMessage } from "./message.ts";
import { sendWebhook } from "./webhook.ts";

/** A channel ready to send through: from the store, or provisioned from the environment. */
export interface Channel {
  id: string;
  kind: "email" | "webhook";
  name: string;
  enabled: boolean;
  source: "store" | "environment";
  email: SmtpSettings | null;
  webhook: { url: string; secret: string | null } | null;
  /** Why it cannot send (a broken stored config): reported on every attempt. */
  broken: string | null;
}

export const ENV_EMAIL_ID = "env-email";
export const ENV_WEBHOOK_ID = "env-webhook";

/** After a failed send: wait this long, then try again; after the last, give up and say so. */
export const RETRY_DELAYS_MS = [10_000, 60_000, 5 * 60_000, 15 * 60_000];

const SEND_CONCURRENCY = 4;

function fromStore(c: StoredChannel): Channel {
  const base = { id: c.id, name: c.name, enabled: c.enabled, source: "store" as const };
  if (c.kind === "email") {
    const r = EmailChannelInput.safeParse({ ...c.config, kind: "email", id: c.id, name: c.name, enabled: c.enabled });
    if (!r.success)
      return { ...base, kind: "email", email: null, webhook: null, broken: "stored settings do not parse" };
    const e = r.data;
    return {
      ...base,
      kind: "email",
      email: {
        host: e.host,
        port: e.port,
        security: e.security,
        user: e.user ?? null,
        password: c.secret,
        from: e.from,
        to: e.to,
      },
      webhook: null,
      broken: null,
    };
  }
  const r = WebhookChannelInput.safeParse({ ...c.config, kind: "webhook", id: c.id, name: c.name, enabled: c.enabled });
  if (!r.success)
    return { ...base, kind: "webhook", email: null, webhook: null, broken: "stored settings do not parse" };
  return { ...base, kind: "webhook", email: null, webhook: { url: r.data.url, secret: c.secret }, broken: null };
}

/**
 * Sends what the incident rules decided, through each channel, from the store's outbox: one at a time
 * per notification, a few at once, each with a bounded timeout; a failure is retried with growing
 * delays and written to the incident's history; the last failure says it gave up. Nothing here can
 * throw into the controller or hold up anything else.
 */
export class Notifier implements Feature {
  readonly name = "notifier";
  private timer: NodeJS.Timeout | undefined;
  private readonly inflight = new Set<number>();
  private readonly running = new Set<Promise<void>>();
  private readonly status = new Map<string, ChannelStatus>();
  private readonly envChannels: Channel[];
  private draining = false;
  private stopped = false;

  constructor(
    private readonly ctx: Context,
    private readonly describe: (incident: IncidentRow) => MessageContext,
  ) {
    this.envChannels = this.fromEnvironment();
  }

  private fromEnvironment(): Channel[] {
    const out: Channel[] = [];
    const n = this.ctx.config.notify;
    if (n.email) {
      let email: SmtpSettings | null = null;
      let broken: string | null = null;
      try {
        email = smtpFromUrl(n.email.smtpUrl, n.email.from, n.email.to);
      } catch (e) {
        broken = e instanceof Error ? e.message : String(e);
      }
      out.push({
        id: ENV_EMAIL_ID,
        kind: "email",
        name: "E-mail (NOTIFY_SMTP_URL)",
        enabled: true,
        source: "environment",
        email,
        webhook: null,
        broken,
      });
    }
    if (n.webhook) {
      out.push({
        id: ENV_WEBHOOK_ID,
        kind: "webhook",
        name: "Webhook (NOTIFY_WEBHOOK_URL)",
        enabled: true,
        source: "environment",
        email: null,
        webhook: { url: n.webhook.url, secret: n.webhook.secret },
        broken: null,
      });
    }
    return out;
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), 1_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.running]);
  }

  channels(): Channel[] {
    return [...this.envChannels, ...this.ctx.store.notify.list().map(fromStore)];
  }

  channel(id: string): Channel | undefined {
    return this.channels().find((c) => c.id === id);
  }

  statusOf(id: string): ChannelStatus {
    return this.status.get(id) ?? { lastOkAt: null, lastError: null, lastErrorAt: null };
  }

  /** Channels as the console sees them: no password, no secret. */
  views(): ChannelView[] {
    return this.channels().map((c): ChannelView => {
      const common = { id: c.id, name: c.name, enabled: c.enabled, source: c.source, status: this.statusOf(c.id) };
      if (c.kind === "email") {
        const e = c.email;
        return {
          ...common,
          kind: "email",
          host: e?.host ?? "?",
          port: e?.port ?? 0,
          security: e?.security ?? "starttls",
          ...(e?.user ? { user: e.user } : {}),
          from: e?.from ?? "",
          to: e?.to ?? [],
          hasPassword: Boolean(e?.password),
        } as ChannelView;
      }
      return {
        ...common,
        kind: "webhook",
        url: c.webhook?.url ?? "",
        hasSecret: Boolean(c.webhook?.secret),
      } as ChannelView;
    });
  }

  /** Look at the outbox now (the incident rules just queued something). */
  kick(): void {
    if (this.draining || this.stopped) return;
    this.draining = true;
    const p = this.drain()
      .catch((err: unknown) => this.ctx.log.error({ err }, "notifier failed"))
      .finally(() => {
        this.draining = false;
        this.running.delete(p);
      });
    this.running.add(p);
  }

  private async drain(): Promise<void> {
    const due = this.ctx.store.incidents.due(this.ctx.clock.now(), 100).filter((r) => !this.inflight.has(r.id));
    const queue = [...due];
    const worker = async () => {
      for (let row = queue.shift(); row && !this.stopped; row = queue.shift()) await this.deliver(row);
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, queue.length) }, worker));
  }

  private async deliver(row: OutboxRow): Promise<void> {
    this.inflight.add(row.id);
    const store = this.ctx.store.incidents;
    try {
      const incident = store.get(row.incidentId);
      const channel = this.channel(row.channel);
      if (!incident) {
        store.sent(row.id);
        return;
      }
      if (!channel) {
        store.sent(row.id);
        store.addEvent(incident.id, {
          at: this.ctx.clock.now(),
          kind: "notify-failed",
          channel: row.channel,
          detail: "the channel no longer exists",
        });
        return;
      }
      try {
        const detail = await this.send(channel, row.event, incident);
        const at = this.ctx.clock.now();
        store.sent(row.id);
        store.addEvent(incident.id, { at, kind: "notified", channel: channel.id, detail: `${row.event}: ${detail}` });
        this.status.set(channel.id, { ...this.statusOf(channel.id), lastOkAt: at });
      } catch (e) {
        const at = this.ctx.clock.now();
        const message = e instanceof Error ? e.message : String(e);
        this.status.set(channel.id, { ...this.statusOf(channel.id), lastError: message, lastErrorAt: at });
        const delay = RETRY_DELAYS_MS[row.attempts];
        if (delay === undefined) {
          store.sent(row.id);
          store.addEvent(incident.id, {
            at,
            kind: "notify-failed",
            channel: channel.id,
            detail: `${row.event}: gave up after ${row.attempts + 1} attempts: ${message}`,
          });
          this.ctx.log.warn({ channel: channel.id, incident: incident.id, error: message }, "notification given up");
        } else {
          store.retryLater(row.id, at + delay, message);
          store.addEvent(incident.id, {
            at,
            kind: "notify-retry",
            channel: channel.id,
            detail: `${row.event}: ${message}; trying again in ${Math.round(delay / 1000)} s`,
          });
          this.ctx.log.warn(
            { channel: channel.id, incident: incident.id, error: message },
            "notification failed, will retry",
          );
        }
      }
      this.ctx.bus.emit("incident", { id: incident.id });
    } finally {
      this.inflight.delete(row.id);
    }
  }

  private async send(channel: Channel, event: NotifyEvent, incident: IncidentRow): Promise<string> {
    if (channel.broken) throw new Error(channel.broken);
    const m = this.describe(incident);
    const message = incidentMessage(event, incident, m);
    return this.transmit(channel, message, {
      event: `incident.${event}` as WebhookBody["event"],
      incident: {
        id: incident.id,
        rule: incident.rule,
        subject: incident.subject,
        gate: incident.gate,
        summary: incident.summary,
        openedAt: new Date(incident.openedAt).toISOString(),
        since: new Date(incident.since).toISOString(),
        resolvedAt: incident.resolvedAt === null ? null : new Date(incident.resolvedAt).toISOString(),
        url: m.url,
      },
    });
  }

  private async transmit(
    channel: Channel,
    message: Message,
    body: Pick<WebhookBody, "event" | "incident">,
  ): Promise<string> {
    const now = this.ctx.clock.now();
    if (channel.email) return sendEmail(channel.email, message);
    if (channel.webhook) {
      return sendWebhook(
        channel.webhook,
        { ...body, sentAt: new Date(now).toISOString(), text: { vi: message.vi, en: message.en } },
        Date.now(),
      );
    }
    throw new Error(channel.broken ?? "channel has no settings");
  }

  /** The console's "send a test": now, not through the outbox; says what happened. */
  async test(id: string, timeZone: string): Promise<{ ok: boolean; detail: string }> {
    const channel = this.channel(id);
    if (!channel) return { ok: false, detail: `no channel ${id}` };
    const now = this.ctx.clock.now();
    try {
      if (channel.broken) throw new Error(channel.broken);
      const detail = await this.transmit(channel, testMessage(channel.name, now, timeZone), {
        event: "test",
        incident: null,
      });
      this.status.set(id, { ...this.statusOf(id), lastOkAt: this.ctx.clock.now() });
      return { ok: true, detail };
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      this.status.set(id, { ...this.statusOf(id), lastError: detail, lastErrorAt: this.ctx.clock.now() });
      return { ok: false, detail };
    }
  }
}
