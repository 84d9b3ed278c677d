import { type ChannelView, DEFAULT_INCIDENT_SETTINGS } from "@gatecast/playlists";
import type { IncidentSettingsView, IncidentView } from "@gatecast/playlists/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SmtpSink, startSmtpSink } from "../../../../harness/smtp.ts";
import type { ApiClient } from "../../testing/harness.ts";
import { startTestController, TestClock, type TestController } from "../../testing/harness.ts";
import { loginAs, userWithRole } from "../testUsers.ts";

const PASSWORD = "smtp-password-never-shown";
let t: TestController;
let smtp: SmtpSink;
let admin: ApiClient;
let editor: ApiClient;
let viewer: ApiClient;
const clock = new TestClock(Date.parse("2026-11-23T09:00:00+07:00"));

beforeAll(async () => {
  smtp = await startSmtpSink({ auth: { user: "gatecast", password: PASSWORD } });
  t = await startTestController({
    clock,
    env: {
      NOTIFY_WEBHOOK_URL: "http://127.0.0.1:9/unused",
      NOTIFY_WEBHOOK_SECRET: "from-the-environment-secret",
      INCIDENT_OFFLINE_AFTER_S: "300",
    },
  });
  admin = await loginAs(t.url);
  editor = (await userWithRole(admin, "editor")).client;
  viewer = (await userWithRole(admin, "viewer")).client;
});
afterAll(async () => {
  await t?.stop();
  await smtp?.stop();
});

describe("incident and channel routes", () => {
  const emailChannel = {
    kind: "email",
    id: "office-mail",
    name: "Thư phòng kỹ thuật",
    host: "127.0.0.1",
    port: 0,
    security: "opportunistic",
    user: "gatecast",
    password: PASSWORD,
    from: "gatecast@langson.example",
    to: ["kythuat@langson.example"],
  };

  it("stores a channel, never shows its password again, and sends a test through it", async () => {
    const put = await admin.json<ChannelView>("PUT", "/api/v1/notify/channels/office-mail", {
      ...emailChannel,
      port: smtp.port,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: "office-mail", source: "store", hasPassword: true });
    expect(JSON.stringify(put.body)).not.toContain(PASSWORD);
    const list = await admin.json<ChannelView[]>("GET", "/api/v1/notify/channels");
    expect(list.body.map((c) => `${c.id}:${c.source}`)).toEqual(["env-webhook:environment", "office-mail:store"]);
    expect(JSON.stringify(list.body)).not.toContain("from-the-environment-secret");
    // changed without a password: the stored one stays
    const { password: _p, ...withoutPassword } = { ...emailChannel, port: smtp.port, name: "Thư kỹ thuật" };
    expect((await admin.json("PUT", "/api/v1/notify/channels/office-mail", withoutPassword)).status).toBe(200);
    const test = await admin.json<{ ok: boolean; detail: string }>("POST", "/api/v1/notify/channels/office-mail/test");
    expect(test.body.ok).toBe(true);
    expect(smtp.mails.at(-1)?.subject).toBe("[gatecast] Thư thử nghiệm / Test message");
    // the audit keeps that it changed, never the secret
    const audit = await admin.json<{ after: unknown }[]>("GET", "/api/v1/audit?objectKind=notify-channel");
    expect(JSON.stringify(audit.body)).not.toContain(PASSWORD);
  });

  it("a test through a broken channel says what is wrong, and the channel shows it", async () => {
    await admin.json("PUT", "/api/v1/notify/channels/office-mail", {
      ...emailChannel,
      port: smtp.port,
      password: "wrong",
    });
    const test = await admin.json<{ ok: boolean; detail: string }>("POST", "/api/v1/notify/channels/office-mail/test");
    expect(test.body).toEqual({ ok: false, detail: `SMTP 127.0.0.1:${smtp.port} refused the user name or password` });
    const list = await admin.json<ChannelView[]>("GET", "/api/v1/notify/channels");
    expect(list.body.find((c) => c.id === "office-mail")?.status.lastError).toMatch(
      /refused the user name or password/,
    );
  });

  it("channels from the environment are read-only; only admins manage channels", async () => {
    const r = await admin.json<{ code: string }>("PUT", "/api/v1/notify/channels/env-webhook", {
      kind: "webhook",
      id: "env-webhook",
      name: "x",
      url: "http://127.0.0.1:9/x",
    });
    expect(r).toMatchObject({ status: 409, body: { code: "read-only" } });
    expect((await admin.json("DELETE", "/api/v1/notify/channels/env-webhook")).status).toBe(409);
    expect((await editor.json("GET", "/api/v1/notify/channels")).status).toBe(403);
  });

  it("settings: thresholds from the environment stay, the rest is the admin's", async () => {
    const got = await viewer.json<IncidentSettingsView>("GET", "/api/v1/incidents/settings");
    expect(got.body.fromEnvironment.afterS).toEqual(["screen-offline"]);
    expect(got.body.settings.rules["screen-offline"].afterS).toBe(300);
    const next = {
      ...DEFAULT_INCIDENT_SETTINGS,
      remindAfterS: 7200,
      rules: {
        ...DEFAULT_INCIDENT_SETTINGS.rules,
        "screen-offline": { enabled: true, afterS: 60, channels: ["office-mail"], gates: ["huu-nghi"] },
        "storage-low": { ...DEFAULT_INCIDENT_SETTINGS.rules["storage-low"], afterS: 1200 },
      },
    };
    expect((await editor.json("PUT", "/api/v1/incidents/settings", next)).status).toBe(403);
    const saved = await admin.json<IncidentSettingsView>("PUT", "/api/v1/incidents/settings", next);
    expect(saved.body.settings.remindAfterS).toBe(7200);
    expect(saved.body.settings.rules["storage-low"].afterS).toBe(1200);
    expect(saved.body.settings.rules["screen-offline"]).toEqual({
      enabled: true,
      afterS: 300,
      channels: ["office-mail"],
      gates: ["huu-nghi"],
    });
    const bad = await admin.json<{ code: string; issues: { path: string }[] }>("PUT", "/api/v1/incidents/settings", {
      ...next,
      holdDownS: -1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0]?.path).toBe("holdDownS");
  });

  it("incidents: listed, acknowledged by name (editor), with their history", async () => {
    const ctx = t.controller.ctx;
    // a paired screen that was online and went away six minutes ago
    ctx.pairings.issueCredentials("huu-nghi-arrivals-1");
    ctx.store.fleet.setOnline("huu-nghi-arrivals-1", true, clock.now() - 3_600_000);
    ctx.store.fleet.setOnline("huu-nghi-arrivals-1", false, clock.now() - 6 * 60_000);
    ctx.incidents.check();
    const open = await viewer.json<IncidentView[]>("GET", "/api/v1/incidents?status=open");
    expect(open.body).toHaveLength(1);
    expect(open.body[0]).toMatchObject({
      rule: "screen-offline",
      subject: "screen:huu-nghi-arrivals-1",
      ackedBy: null,
    });
    expect(open.body[0]?.durationMs).toBe(6 * 60_000);
    const id = open.body[0]?.id;
    expect((await viewer.json("POST", `/api/v1/incidents/${id}/acknowledge`)).status).toBe(403);
    const acked = await editor.json<{ incident: IncidentView; events: { kind: string; actor: string | null }[] }>(
      "POST",
      `/api/v1/incidents/${id}/acknowledge`,
    );
    expect(acked.body.incident.ackedBy).toMatch(/^.+$/);
    expect(acked.body.events.map((e) => e.kind)).toContain("acknowledged");
    expect((await viewer.json("GET", "/api/v1/incidents/999999")).status).toBe(404);
  });
});
