import type { SmtpSecurity } from "@gatecast/playlists";
import nodemailer from "nodemailer";
import type { Message } from "./message.ts";

export interface SmtpSettings {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string | null;
  password: string | null;
  from: string;
  to: string[];
}

/** Bounded, so an unreachable server costs seconds, never a stuck send. */
export const SMTP_TIMEOUT_MS = 10_000;

/**
 * `smtp://user:pass@host:port` (STARTTLS when the server offers it; `?starttls=required` to insist,
 * `?starttls=off` never) or `smtps://…` (TLS from the start). Throws with what is wrong, never the password.
 */
export function smtpFromUrl(url: string, from: string, to: string[]): SmtpSettings {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error("NOTIFY_SMTP_URL is not a URL");
  }
  const tls = u.protocol === "smtps:";
  const starttls = u.searchParams.get("starttls");
  const security: SmtpSecurity = tls
    ? "tls"
    : starttls === "required"
      ? "starttls"
      : starttls === "off"
        ? "none"
        : "opportunistic";
  return {
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: u.port ? Number(u.port) : tls ? 465 : 587,
    security,
    user: u.username ? decodeURIComponent(u.username) : null,
    password: u.password ? decodeURIComponent(u.password) : null,
    from,
    to,
  };
}

/** Sends one message; resolves with the server's answer, rejects with a message fit for the console. */
export async function sendEmail(s: SmtpSettings, m: Message): Promise<string> {
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.security === "tls",
    requireTLS: s.security === "starttls",
    ignoreTLS: s.security === "none",
    ...(s.user ? { auth: { user: s.user, pass: s.password ?? "" } } : {}),
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
    logger: false,
    debug: false,
  });
  try {
    const info = await transport.sendMail({
      from: s.from,
      to: s.to,
      subject: m.subject,
      text: m.text,
      headers: { "Content-Language": "vi, en" },
    });
    return `accepted by ${s.host}: ${String(info.response ?? "").slice(0, 120)}`;
  } catch (e) {
    throw new Error(describeSmtpError(e, s));
  } finally {
    transport.close();
  }
}

function describeSmtpError(e: unknown, s: SmtpSettings): string {
  const err = e as { code?: string; message?: string; responseCode?: number };
  const where = `${s.host}:${s.port}`;
  let text = err.message ?? String(e);
  if (s.password) text = text.split(s.password).join("***");
  const code = /\b(ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN)\b/.exec(text)?.[1] ?? err.code;
  switch (code) {
    case "ECONNREFUSED":
      return `SMTP ${where} refused the connection`;
    case "ETIMEDOUT":
    case "ETIMEOUT":
      return `SMTP ${where} did not answer within ${SMTP_TIMEOUT_MS / 1000} s`;
    case "EDNS":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `SMTP host ${s.host} not found`;
    case "EAUTH":
      return `SMTP ${where} refused the user name or password`;
    default:
      return `SMTP ${where}: ${text.slice(0, 200)}`;
  }
}
