import { mkdir } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import {
  ADMIN_PASSWORD,
  adminApi,
  type ControllerProcess,
  ROOT,
  startControllerProcess,
} from "../../harness/controllerProcess.ts";
import { pairKiosk, SCREENSHOTS } from "./kioskHelpers.ts";

/**
 * Planned dark hours, both sides on one clock (the controller's GATECAST_TEST_CLOCK and the kiosk's
 * injected clock from the same instant and anchor): a real kiosk goes black at the end of its on-hours,
 * asks its display hook (a stub here, answering Chromium's private-network preflight) to sleep the
 * panel, keeps heartbeating; the dashboard says "dark by schedule", not offline, also once the box is
 * switched off; a critical urgent notice wakes the screen and the panel.
 */

const SCREEN = "huu-nghi-arrivals-1";
const SHOTS = join(ROOT, "test-results/console-screens");
/** Gate-local 22:59:35; on-hours end at 23:00. */
const START = Date.parse("2026-11-23T22:59:35+07:00");
const ON_HOURS = { on: [{ window: { from: "05:30", to: "23:00" } }], off: [] };

interface StubHook {
  url: string;
  posts: string[];
  preflights: { origin: string | undefined; privateNetwork: string | undefined }[];
  close(): Promise<void>;
}

/** What `deploy/kiosk/gatecast-display-hook` answers, in a dozen lines: CORS for the kiosk, PNA, state. */
async function startStubHook(origin: string): Promise<StubHook> {
  const posts: string[] = [];
  const preflights: StubHook["preflights"] = [];
  let requested: "on" | "off" | null = null;
  const server: Server = createServer((req, res) => {
    const cors = { "access-control-allow-origin": origin, vary: "Origin" };
    if (req.method === "OPTIONS") {
      preflights.push({
        origin: req.headers.origin,
        privateNetwork: req.headers["access-control-request-private-network"] as string | undefined,
      });
      res
        .writeHead(204, {
          ...cors,
          "access-control-allow-methods": "GET, POST",
          "access-control-allow-headers": "content-type",
          "access-control-allow-private-network": "true",
        })
        .end();
      return;
    }
    let body = "";
    req.on("data", (d: Buffer) => {
      body += d.toString();
    });
    req.on("end", () => {
      if (req.method === "POST") {
        posts.push(body);
        requested = (JSON.parse(body) as { state: "on" | "off" }).state;
      }
      const power = requested === "off" ? "standby" : "on";
      res
        .writeHead(200, { ...cors, "content-type": "application/json" })
        .end(JSON.stringify({ requested, power, via: "cec", error: null }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    preflights,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let c: ControllerProcess;
let hook: StubHook;
const anchor = Date.now();
/** The one clock both sides run on. */
const clockNow = () => START + (Date.now() - anchor);

test.beforeAll(async () => {
  c = await startControllerProcess({
    env: { GATECAST_TEST_HOOKS: "1", GATECAST_TEST_CLOCK: `${new Date(START).toISOString()}*1@${anchor}` },
  });
  hook = await startStubHook(new URL(c.url).origin);
});
test.afterAll(async () => {
  await hook?.close();
  await c?.cleanup();
});

async function console(page: Page): Promise<void> {
  await page.goto(`${c.url}/console/`);
  await page.getByLabel("Tên đăng nhập").fill("admin");
  await page.getByLabel("Mật khẩu").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("navigation", { name: "Điều hướng chính" })).toBeVisible();
}

test("a kiosk goes dark at the end of its on-hours; the dashboard says dark by schedule, not offline", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const api = await adminApi(c.url);
  const kioskContext = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const kiosk = await kioskContext.newPage();
  await kiosk.addInitScript(`window.__gatecastClock = { now: () => ${START} + (Date.now() - ${anchor}) };`);
  await pairKiosk(kiosk, c.url, SCREEN, `heartbeat=1000&displayHook=${encodeURIComponent(hook.url)}`);
  const screen = (await api<Record<string, unknown>>("GET", `/api/v1/screens/${SCREEN}`)).body;
  const { id, gate, name, tags, orientation } = screen as Record<string, never>;
  const put = await api("PUT", `/api/v1/screens/${SCREEN}`, { id, gate, name, tags, orientation, onHours: ON_HOURS });
  expect(put.status).toBe(200);

  const dash = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await console(dash);
  const card = dash.getByTestId(`screen-${SCREEN}`);
  await expect(card.getByTestId("screen-state")).toHaveAttribute("data-presence", "online", { timeout: 15_000 });
  await expect(kiosk.locator(".screen[data-manifest-version]")).toBeVisible();

  // 23:00 gate time: black, the panel asked to sleep (after Chromium's private-network preflight)
  await expect(kiosk.locator('.dark-screen[data-display="dark-by-schedule"]')).toBeVisible({ timeout: 40_000 });
  expect(clockNow()).toBeGreaterThanOrEqual(Date.parse("2026-11-23T23:00:00+07:00"));
  await expect(kiosk.locator("[data-item]")).toHaveCount(0);
  expect(await kiosk.locator("video").count()).toBe(0);
  await expect.poll(() => hook.posts.at(-1), { timeout: 10_000 }).toBe('{"state":"off"}');
  expect(hook.preflights.some((p) => p.privateNetwork === "true" || p.origin === new URL(c.url).origin)).toBe(true);
  await mkdir(SCREENSHOTS, { recursive: true });
  await kiosk.screenshot({ path: join(SCREENSHOTS, "dark-by-schedule.png") });

  // still connected and heartbeating: the dashboard says dark by schedule, with the panel in standby
  await expect(card.getByTestId("screen-state")).toHaveAttribute("data-presence", "dark-by-schedule", {
    timeout: 15_000,
  });
  await expect(card.getByTestId("screen-state")).toHaveText("Tắt theo lịch");
  await expect(card.getByTestId("dark-detail")).toContainText("vẫn kết nối");
  await expect(card.getByTestId("hours")).toContainText("màn hình đang chờ (CEC)", { timeout: 10_000 });
  await expect(card).not.toHaveClass(/screen-alarm/);
  await mkdir(SHOTS, { recursive: true });
  await dash.screenshot({ path: join(SHOTS, "20-dark-by-schedule.png") });

  // a critical urgent notice wakes it, and the panel with it
  const now = clockNow();
  const sent = await api("POST", "/api/v1/alerts", {
    id: "night-closure",
    severity: "critical",
    message: {
      vi: "Tạm dừng thông quan xe hàng do sự cố",
      zh: "因故障暂停货车通关",
      en: "Lorry clearance suspended",
    },
    targets: { screens: [SCREEN] },
    startsAt: new Date(now - 1_000).toISOString(),
    expiresAt: new Date(now + 3_600_000).toISOString(),
  });
  expect(sent.status).toBe(201);
  await expect(
    kiosk.locator('.critical [data-alert="night-closure"], [data-alert="night-closure"]').first(),
  ).toBeVisible({
    timeout: 10_000,
  });
  await expect.poll(() => hook.posts.at(-1), { timeout: 10_000 }).toBe('{"state":"on"}');
  await expect(card.getByTestId("screen-state")).toHaveAttribute("data-presence", "online", { timeout: 15_000 });
  expect((await api("POST", "/api/v1/alerts/night-closure/cancel")).status).toBe(200);
  await expect(kiosk.locator(".dark-screen")).toBeVisible({ timeout: 10_000 });
  await expect.poll(() => hook.posts.at(-1), { timeout: 10_000 }).toBe('{"state":"off"}');

  // the box is switched off for the night: still dark by schedule, not offline, and no alarm
  await kioskContext.close();
  await expect(card.getByTestId("dark-detail")).toContainText("máy đã tắt", { timeout: 20_000 });
  await expect(card.getByTestId("screen-state")).toHaveAttribute("data-presence", "dark-by-schedule");
  await expect(dash.getByTestId("alarm")).toHaveCount(0);
  await dash.screenshot({ path: join(SHOTS, "21-dark-box-off.png") });
  const open = await api<unknown[]>("GET", "/api/v1/incidents?status=open");
  expect(open.body).toEqual([]);
  await dash.goto(`${c.url}/console/incidents`);
  await expect(dash.getByTestId("rule-settings")).toBeVisible();
  await expect(dash.getByTestId("channels")).toBeVisible();
  await dash.screenshot({ path: join(SHOTS, "22-incidents.png"), fullPage: true });
  await dash.goto(`${c.url}/console/hours`);
  await expect(dash.getByTestId(`hours-screen-${SCREEN}`)).toBeVisible();
  await dash.screenshot({ path: join(SHOTS, "23-on-hours.png"), fullPage: true });
});
