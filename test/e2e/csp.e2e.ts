import { createReadStream, existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { ADMIN_PASSWORD, type ControllerProcess, startControllerProcess } from "../../harness/controllerProcess.ts";
import { freePort } from "../../harness/mosquitto.ts";
import { pairKiosk, visibleItem, watchCsp } from "./kioskHelpers.ts";

/**
 * The Content-Security-Policy of kiosk and console with media from a mirror (a small loopback static
 * server reading the controller's media folder, as a gate's file server would): everything loads,
 * nothing is refused. The external broker over WebSocket is covered in kiosk-trust.e2e.ts (Mosquitto).
 */
let c: ControllerProcess;
let mirror: Server;
let mirrorHits = 0;
let mediaDir = "";

test.describe.configure({ mode: "serial" });
test.setTimeout(120_000);

test.beforeAll(async () => {
  const port = await freePort();
  mirror = createServer((req, res) => {
    const sha = /^\/([0-9a-f]{64})$/.exec(req.url ?? "")?.[1];
    const file = sha ? join(mediaDir, sha.slice(0, 2), sha) : "";
    res.setHeader("Access-Control-Allow-Origin", "*");
    if (!sha || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    mirrorHits++;
    res.writeHead(200, { "Content-Type": "application/octet-stream", "Cache-Control": "no-cache" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => mirror.listen(port, "127.0.0.1", resolve));
  c = await startControllerProcess({
    env: { MEDIA_BASE_URL: `http://127.0.0.1:${(mirror.address() as AddressInfo).port}` },
  });
  mediaDir = join(c.dataDir, "media");
});

test.afterAll(async () => {
  await c?.cleanup();
  await new Promise((resolve) => mirror?.close(resolve));
});

test("the kiosk plays media from the mirror under its CSP, refusing nothing", async ({ page }) => {
  const violations = await watchCsp(page);
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairKiosk(page, c.url, "huu-nghi-arrivals-1");
  await visibleItem(page);
  await expect.poll(() => mirrorHits, { timeout: 30_000 }).toBeGreaterThan(0);
  const csp = (await page.request.get(`${c.url}/kiosk/`)).headers()["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(violations).toEqual([]);
});

test("the console's strict CSP: dashboard, tokens, maintenance and a preview load, nothing refused", async ({
  page,
}) => {
  const violations = await watchCsp(page);
  await page.setViewportSize({ width: 1366, height: 768 });
  const res = await page.goto(`${c.url}/console/`);
  const csp = res?.headers()["content-security-policy"] ?? "";
  for (const d of ["default-src 'self'", "object-src 'none'", "frame-ancestors 'self'", "blob:"])
    expect(csp).toContain(d);
  expect(csp).toContain(`http://127.0.0.1:${(mirror.address() as AddressInfo).port}`);
  await page.getByLabel("Tên đăng nhập").fill("admin");
  await page.getByLabel("Mật khẩu").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByTestId("disk-space")).toContainText("Ổ đĩa dữ liệu: còn trống");

  const nav = page.getByRole("navigation");
  await nav.getByRole("link", { name: "Mã truy cập API" }).click();
  await page.getByTestId("token-create").click();
  await page.getByRole("dialog").getByRole("textbox").fill("màn hình phòng trực");
  await page.getByRole("dialog").getByRole("button").last().click();
  await expect(page.getByRole("dialog").getByText("Hết hạn sau")).toBeVisible();
  await page.getByRole("dialog").getByRole("button").last().click();
  await expect(page.getByTestId("token-secret")).toContainText("gct_");
  await expect(page.getByTestId("tokens-table")).toContainText("màn hình phòng trực");
  await expect(page.getByTestId("tokens-table")).toContainText("Chưa dùng");
  await page.screenshot({ path: "test-results/console-screens/tokens.png" });

  await nav.getByRole("link", { name: "Bảo trì" }).click();
  await page.getByTestId("gc-dry-run").click();
  await expect(page.getByTestId("gc-report")).toContainText("Sẽ xoá");
  await page.screenshot({ path: "test-results/console-screens/maintenance.png" });

  // the screen preview renders the kiosk's renderer in a srcdoc frame, media from the mirror
  await nav.getByRole("link", { name: "Danh sách phát" }).click();
  await page.waitForLoadState("networkidle");
  expect(violations).toEqual([]);
});
