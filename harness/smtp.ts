import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The whole message as received (headers and body, RFC 5322). */
  raw: string;
  subject: string;
  /** The text body, decoded. */
  text: string;
  user: string | null;
}

export interface SmtpSink {
  port: number;
  url: (user?: string, password?: string) => string;
  mails: ReceivedMail[];
  /** Refuse the next `n` messages with a 451 (a server in trouble). */
  failNext(n: number): void;
  stop(): Promise<void>;
}

function decodeHeader(value: string): string {
  // RFC 2047: white space between two encoded words is not part of the text
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(
            text
              .replace(/_/g, " ")
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            "latin1",
          ).toString("utf8"),
    );
}

/** Parses what nodemailer sends for a text message: headers, then a base64 or quoted-printable body. */
export function parseMail(raw: string): { subject: string; text: string } {
  const [head = "", ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(unfolded)?.[1] ?? "";
  const body = rest.join("\n\n");
  const enc = header("Content-Transfer-Encoding").toLowerCase();
  const text =
    enc === "base64"
      ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
      : enc === "quoted-printable"
        ? Buffer.from(
            body
              .replace(/=\r?\n/g, "")
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            "latin1",
          ).toString("utf8")
        : body;
  return { subject: decodeHeader(header("Subject")).replace(/\s+/g, " ").trim(), text };
}

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 that keeps what it receives. With
 * `auth`, it accepts exactly that user and password.
 */
export async function startSmtpSink(opts: { auth?: { user: string; password: string } } = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  let failing = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: opts.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.password)
        cb(null, { user: auth.username });
      else cb(new Error("Invalid username or password"));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (failing > 0) {
          failing--;
          const err = new Error("Temporary failure, try again later") as Error & { responseCode: number };
          err.responseCode = 451;
          cb(err);
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          ...parseMail(raw),
          user: typeof session.user === "string" ? session.user : null,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: (user, password) =>
      `smtp://${user ? `${encodeURIComponent(user)}:${encodeURIComponent(password ?? "")}@` : ""}127.0.0.1:${port}`,
    mails,
    failNext: (n) => {
      failing = n;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
