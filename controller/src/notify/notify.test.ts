import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../harness/mosquitto.ts";
import { type SmtpSink, startSmtpSink } from "../../../harness/smtp.ts";
import { startWebhookSink, type WebhookSink } from "../../../harness/webhook.ts";
import type { IncidentRow } from "../store/incidents.ts";
import { sendEmail, smtpFromUrl } from "./email.ts";
import { incidentMessage, testMessage } from "./message.ts";
import { sendWebhook } from "./webhook.ts";

const PASSWORD = "s3cret-smtp-p@ss:word";
const SECRET = "webhook-secret-0123456789";
const incident: IncidentRow = {
  id: 7,
  rule: "screen-offline",
  subject: "screen:huu-nghi-arrivals-1",
  gate: "huu-nghi",
  openedAt: Date.parse("2026-11-23T08:10:00+07:00"),
  since: Date.parse("2026-11-23T08:00:00+07:00"),
  clearSince: null,
  remindedAt: null,
  resolvedAt: null,
  summary: "Sảnh đến 1 is offline",
  ackedAt: null,
  ackedBy: null,
};
const ctx = {
  subjectName: "Sảnh đến 1 (huu-nghi-arrivals-1)",
  gateName: "Cửa khẩu Quốc tế Hữu Nghị",
  timeZone: "Asia/Ho_Chi_Minh",
  url: "https://gatecast.langson.example/console/incidents?id=7",
  now: Date.parse("2026-11-23T08:10:00+07:00"),
};

describe("e-mail over SMTP, to a real SMTP server on loopback", () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ auth: { user: "gatecast", password: PASSWORD } });
  });
  afterAll(async () => {
    await sink?.stop();
  });

  it("sends a Vietnamese subject and body with an English line, logged in", async () => {
    const s = smtpFromUrl(sink.url("gatecast", PASSWORD), "gatecast@langson.example", ["kythuat@langson.example"]);
    expect(s).toMatchObject({ host: "127.0.0.1", security: "opportunistic", user: "gatecast", password: PASSWORD });
    await sendEmail(s, incidentMessage("opened", incident, ctx));
    const mail = sink.mails.at(-1);
    expect(mail).toMatchObject({ from: "gatecast@langson.example", to: ["kythuat@langson.example"], user: "gatecast" });
    expect(mail?.subject).toBe(
      "[gatecast] Sự cố mới: Màn hình mất kết nối — Sảnh đến 1 (huu-nghi-arrivals-1) — Cửa khẩu Quốc tế Hữu Nghị / Screen offline",
    );
    expect(mail?.text).toContain(
      "Màn hình mất kết nối: Sảnh đến 1 (huu-nghi-arrivals-1) — Cửa khẩu Quốc tế Hữu Nghị, từ 08:00 23/11/2026 (đã 10 phút)",
    );
    expect(mail?.text).toContain("English: New incident — Screen offline:");
    expect(mail?.text).toContain("https://gatecast.langson.example/console/incidents?id=7");
  });

  it("a wrong password and an unreachable server give clear errors that never contain the password", async () => {
    const wrong = smtpFromUrl(sink.url("gatecast", `${PASSWORD}-old`), "a@b.example", ["c@d.example"]);
    const e1 = await sendEmail(wrong, testMessage("x", Date.now(), "Asia/Ho_Chi_Minh")).catch((e: Error) => e.message);
    expect(e1).toBe(`SMTP 127.0.0.1:${sink.port} refused the user name or password`);
    const port = await freePort();
    const down = smtpFromUrl(`smtp://gatecast:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`, "a@b.example", [
      "c@d.example",
    ]);
    const e2 = await sendEmail(down, testMessage("x", Date.now(), "Asia/Ho_Chi_Minh")).catch((e: Error) => e.message);
    expect(e2).toBe(`SMTP 127.0.0.1:${port} refused the connection`);
    expect(`${e1}${e2}`).not.toContain(PASSWORD);
  });
});

describe("webhook, to a local receiver that checks the HMAC", () => {
  let sink: WebhookSink;
  beforeAll(async () => {
    sink = await startWebhookSink(SECRET);
  });
  afterAll(async () => {
    await sink?.stop();
  });

  const body = {
    event: "incident.opened" as const,
    sentAt: new Date(ctx.now).toISOString(),
    incident: {
      id: 7,
      rule: "screen-offline",
      subject: incident.subject,
      gate: "huu-nghi",
      summary: incident.summary,
      openedAt: new Date(incident.openedAt).toISOString(),
      since: new Date(incident.since).toISOString(),
      resolvedAt: null,
      url: ctx.url,
    },
    text: { vi: "Màn hình mất kết nối", en: "Screen offline" },
  };

  it("signs the body and a timestamp with HMAC-SHA256; a receiver with the secret verifies it", async () => {
    expect(await sendWebhook({ url: sink.url, secret: SECRET }, body, Date.now())).toBe("HTTP 204");
    const got = sink.received.at(-1);
    expect(got?.verified).toBe(true);
    expect(got?.body).toEqual(body);
    expect(Math.abs(Number(got?.timestamp) - Date.now() / 1000)).toBeLessThan(5);
    // a tampered body does not verify
    const { verifyWebhook } = await import("../../../harness/webhook.ts");
    expect(verifyWebhook(SECRET, got?.timestamp ?? "", got?.raw.replace("offline", "online") ?? "", undefined)).toBe(
      false,
    );
  });

  it("a receiver answering 500, or nobody listening, is an error that says so", async () => {
    sink.failNext(1, 500);
    await expect(sendWebhook({ url: sink.url, secret: SECRET }, body, Date.now())).rejects.toThrow(
      /answered HTTP 500: receiver is down/,
    );
    const port = await freePort();
    await expect(sendWebhook({ url: `http://127.0.0.1:${port}/x`, secret: null }, body, Date.now())).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
