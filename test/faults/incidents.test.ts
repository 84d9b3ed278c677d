import { type Fleet, setupGate, startFleet, waitFor } from "@gatecast/sim";
import { afterAll, describe, expect, it } from "vitest";
import { type Installation, startInstallation } from "../../harness/installation.ts";
import { type SmtpSink, startSmtpSink } from "../../harness/smtp.ts";

const GATE = "fault-incidents";
const SCREENS = 20;
/** Controller and screens share one clock, 60 times as fast as the wall's: a minute a second. */
const SPEED = 60;
const START = Date.parse("2026-11-23T21:30:00+07:00");
const NIGHT_HOURS = { on: [{ window: { from: "05:30", to: "22:00" } }], off: [] };
const local = (hhmm: string) => Date.parse(`2026-11-23T${hhmm}:00+07:00`);

/**
 * The incident rules and e-mail against a fleet of 20 simulated screens (the kiosk's own sync code)
 * and a real SMTP server on loopback: three screens lose power for longer than the offline threshold
 * (10 minutes, the default) and come back; three others go dark by schedule at 22:00 and are then
 * switched off for the night. Exactly three incidents and three e-mails, three recovery e-mails, and
 * nothing at all about the screens dark by schedule.
 */
describe("incidents with the simulator: 20 screens, 3 dropped, 3 dark by schedule", () => {
  let env: Installation | null = null;
  let fleet: Fleet | null = null;
  let smtp: SmtpSink | null = null;
  afterAll(async () => {
    await fleet?.stop();
    await env?.stop();
    await smtp?.stop();
  });

  it("opens and resolves exactly one incident per dropped screen, with one e-mail each way", {
    timeout: 180_000,
  }, async () => {
    smtp = await startSmtpSink();
    const anchor = Date.now();
    const clock = { now: () => Math.round(START + (Date.now() - anchor) * SPEED) };
    const e = await startInstallation("embedded", {
      GATECAST_TEST_HOOKS: "1",
      GATECAST_TEST_CLOCK: `${new Date(START).toISOString()}*${SPEED}@${anchor}`,
      NOTIFY_SMTP_URL: smtp.url(),
      NOTIFY_EMAIL_FROM: "gatecast@langson.example",
      NOTIFY_EMAIL_TO: "kythuat@langson.example",
      // at 60× a few milliseconds of delivery look like seconds of skew: only the offline rule is judged here
      INCIDENT_CLOCK_AFTER_S: "86400",
    });
    env = e;
    // long items: at 60× a 10-minute item lasts 10 s
    await setupGate(e.api, {
      gate: GATE,
      items: [
        { kind: "notice", seconds: 600 },
        { kind: "notice", seconds: 600 },
      ],
    });
    const creds = await e.provision({ count: SCREENS, gates: [GATE] });
    const ids = creds.map((c) => c.screenId);
    const dropped = ids.slice(0, 3);
    const night = ids.slice(3, 6);
    for (const id of night) {
      await e.api.must("PUT", `/api/v1/screens/${id}`, {
        id,
        gate: GATE,
        name: `Night ${id}`,
        tags: ["sim"],
        onHours: NIGHT_HOURS,
      });
    }
    const f = startFleet({
      controllerUrl: e.controller.url,
      credentials: creds,
      clock,
      heartbeatMs: 1_000,
      rampPerSecond: Number.POSITIVE_INFINITY,
    });
    fleet = f;
    await waitFor(
      () => (f.screens.every((s) => s.connected && s.inSync) ? true : undefined),
      30_000,
      "the fleet in sync",
    );
    expect(clock.now()).toBeLessThan(local("21:48"));

    // three boxes lose power (no clean disconnect: the broker publishes their last will)
    const droppedAt = clock.now();
    await Promise.all(f.screens.filter((s) => dropped.includes(s.id)).map((s) => s.stop()));

    // 22:00: three screens go dark by schedule; once they have, their boxes are switched off too
    await waitFor(() => (clock.now() >= local("22:00") ? true : undefined), 60_000, "22:00");
    const nightScreens = f.screens.filter((s) => night.includes(s.id));
    await waitFor(
      () => (nightScreens.every((s) => s.player.display === "dark-by-schedule") ? true : undefined),
      10_000,
      "the night screens dark",
    );
    await Promise.all(nightScreens.map((s) => s.stop()));

    // the dropped ones: one incident and one e-mail each, once the 10 minutes passed
    await waitFor(
      () => (smtp && smtp.mails.length >= 3 ? true : undefined),
      60_000,
      () => `3 e-mails (${smtp?.mails.length})`,
    );
    expect(clock.now() - droppedAt).toBeGreaterThanOrEqual(10 * 60_000);
    // and nothing more, well past the threshold of the screens switched off at night
    await waitFor(() => (clock.now() >= local("22:15") ? true : undefined), 60_000, "22:15");
    const open = await e.api.must<{ subject: string; rule: string }[]>("GET", "/api/v1/incidents?status=open");
    expect(open.map((i) => i.subject).sort()).toEqual(dropped.map((id) => `screen:${id}`).sort());
    expect(open.every((i) => i.rule === "screen-offline")).toBe(true);
    expect(smtp.mails).toHaveLength(3);
    for (const id of dropped) expect(smtp.mails.filter((m) => m.subject.includes(id))).toHaveLength(1);
    for (const m of smtp.mails) expect(m.subject).toContain("Sự cố mới: Màn hình mất kết nối");
    const screens = await e.api.must<{ id: string; presence: string }[]>("GET", "/api/v1/screens");
    for (const id of night) expect(screens.find((s) => s.id === id)?.presence).toBe("dark-by-schedule");
    for (const id of dropped) expect(screens.find((s) => s.id === id)?.presence).toBe("offline");

    // they come back: one recovery e-mail each, after the hold-down
    await f.add(creds.filter((c) => dropped.includes(c.screenId)));
    await waitFor(
      () => (smtp && smtp.mails.length >= 6 ? true : undefined),
      60_000,
      () => `6 e-mails (${smtp?.mails.length})`,
    );
    const recovery = smtp.mails.slice(3);
    for (const id of dropped)
      expect(recovery.filter((m) => m.subject.includes(id) && m.subject.includes("Đã khắc phục"))).toHaveLength(1);
    expect(await e.api.must("GET", "/api/v1/incidents?status=open")).toEqual([]);
    const all = await e.api.must<{ subject: string; resolvedAt: number | null }[]>(
      "GET",
      "/api/v1/incidents?status=all",
    );
    expect(all).toHaveLength(3);
    // nothing, ever, about the screens dark by schedule
    for (const id of night) expect(smtp.mails.some((m) => m.subject.includes(id) || m.text.includes(id))).toBe(false);
    console.info(
      `incidents fault test: dropped ${dropped.join(", ")} at ${new Date(droppedAt).toISOString()}, ` +
        `${smtp.mails.length} e-mails, controller clock now ${new Date(clock.now()).toISOString()}`,
    );
  });
});
