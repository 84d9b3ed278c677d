import { type Browser, expect, type Page, test } from "@playwright/test";
import {
  ADMIN_PASSWORD,
  adminApi,
  type ControllerProcess,
  startControllerProcess,
} from "../../harness/controllerProcess.ts";
import { pairKiosk, SCREENSHOTS } from "./kioskHelpers.ts";

/**
 * One working day across the whole system, with real kiosk pages open beside the console: the two
 * Tân Thanh screens play, an approver releases a new notice from the console and the screens show it,
 * the dashboard sees them in sync, and an urgent notice is shown and acknowledged by both.
 */
const APPROVER = { username: "phe.duyet", password: "gate-day-approver-1", role: "approver" };
const NOTICE = {
  id: "notice-tan-thanh-late-hours",
  kind: "notice",
  category: "procedure",
  duration: 15,
  source: { agency: { vi: "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn", zh: "谅山省边防部队指挥部" } },
  layout: "stacked",
  title: { vi: "Kéo dài giờ làm thủ tục tại Tân Thanh", zh: "新清口岸延长通关时间" },
  body: {
    vi: "Từ tuần này, cửa khẩu Tân Thanh làm thủ tục đến 22 giờ cho xe hàng và hành khách.",
    zh: "自本周起，新清口岸为货车和旅客办理通关手续至22时。",
  },
};

let c: ControllerProcess;
test.beforeAll(async () => {
  c = await startControllerProcess();
  const api = await adminApi(c.url);
  expect((await api("POST", "/api/v1/users", APPROVER)).status).toBe(201);
});
test.afterAll(async () => {
  await c?.cleanup();
});

async function console_(browser: Browser, who: { username: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${c.url}/console/`);
  await page.getByLabel("Tên đăng nhập").fill(who.username);
  await page.getByLabel("Mật khẩu").fill(who.password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("navigation", { name: "Điều hướng chính" })).toBeVisible();
  return page;
}

async function kiosk(browser: Browser, screenId: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await pairKiosk(page, c.url, screenId);
  return page;
}

test("a release from the console reaches the Tân Thanh kiosks, the dashboard sees them in sync, and an urgent notice is acked by both", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const arrivals = await kiosk(browser, "tan-thanh-arrivals-1");
  const lorry = await kiosk(browser, "tan-thanh-lorry-1");

  // the editor's work (covered screen by screen in console.e2e.ts) through the API
  const api = await adminApi(c.url);
  expect((await api("POST", "/api/v1/items", NOTICE)).status).toBe(201);
  expect(
    (
      await api("POST", "/api/v1/playlists", {
        id: "tan-thanh-late-hours",
        name: "Giờ làm việc mới",
        items: [NOTICE.id],
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await api("POST", "/api/v1/schedules", {
        id: "tan-thanh-late-hours",
        playlist: "tan-thanh-late-hours",
        targets: { gates: ["tan-thanh"] },
        priority: 100,
      })
    ).status,
  ).toBe(201);

  // the approver releases it from the console
  const approver = await console_(browser, APPROVER);
  await approver.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Phát hành" }).click();
  await expect(approver.getByTestId(`diff-added-${NOTICE.id}`)).toBeVisible();
  await approver.getByTestId("release-note").fill("Giờ làm việc mới tại Tân Thanh");
  await approver.getByRole("button", { name: "Duyệt và phát hành" }).click();
  await expect(approver.getByText("Đã phát hành bản 2.")).toBeVisible();

  // both kiosks show it, in both languages
  for (const page of [arrivals, lorry]) {
    const layer = page.locator(`[data-item="${NOTICE.id}"].in`);
    await expect(layer).toBeVisible({ timeout: 10_000 });
    await expect(layer.locator('[lang="vi"]', { hasText: NOTICE.title.vi })).toBeVisible();
    await expect(layer.locator('[lang="zh-Hans"]', { hasText: NOTICE.title.zh })).toBeVisible();
  }
  await expect(arrivals.locator(`[data-item="${NOTICE.id}"].in`)).toHaveCSS("opacity", "1");
  await arrivals.screenshot({ path: `${SCREENSHOTS}/tan-thanh-new-notice-1920x1080.png` });

  // the dashboard shows both screens online and in sync with what was published to them
  const admin = await console_(browser, { username: "admin", password: ADMIN_PASSWORD });
  for (const screenId of ["tan-thanh-arrivals-1", "tan-thanh-lorry-1"]) {
    const published = await api<{ manifest: { release: number } }>("GET", `/api/v1/screens/${screenId}`);
    const card = admin.getByTestId(`screen-${screenId}`);
    await expect(card).toHaveAttribute("data-health", "online", { timeout: 15_000 });
    // the release number an operator knows, not the manifest's version
    await expect(card).toContainText(`Đã đồng bộ · bản phát hành ${published.body.manifest.release}`, {
      timeout: 15_000,
    });
  }

  // an urgent notice from the console: both Tân Thanh kiosks show it and the count says 2/2
  await approver
    .getByRole("navigation", { name: "Điều hướng chính" })
    .getByRole("link", { name: "Thông báo khẩn" })
    .click();
  await approver.getByRole("radio", { name: "Khẩn cấp" }).check();
  await approver.getByTestId("alert-vi").fill("Tạm dừng làm thủ tục xe hàng 20 phút để kiểm tra an ninh.");
  await approver.getByTestId("alert-zh").fill("因安全检查，货车通关暂停20分钟。");
  await approver.getByRole("group", { name: "Cả cửa khẩu" }).getByLabel("Cửa khẩu Tân Thanh").check();
  await approver.getByRole("button", { name: "Gửi thông báo khẩn" }).click();
  await approver.getByRole("dialog").getByRole("button", { name: "Gửi thông báo khẩn" }).click();
  await expect(approver.getByText("Đã gửi thông báo khẩn.")).toBeVisible();
  for (const page of [arrivals, lorry]) {
    await expect(page.locator(".critical")).toBeVisible({ timeout: 5_000 });
    await expect(page.locator(".critical [lang='zh-Hans']", { hasText: "因安全检查" })).toBeVisible();
  }
  const card = approver.getByTestId("alert-list").locator("li").first();
  await expect(card.getByTestId("ack-count")).toContainText("2/2", { timeout: 15_000 });

  // taken down from the console: the screens go back to their playlist
  await card.getByRole("button", { name: "Gỡ thông báo" }).click();
  await approver.getByRole("dialog").getByRole("button", { name: "Gỡ thông báo" }).click();
  for (const page of [arrivals, lorry]) await expect(page.locator(".critical")).toBeHidden({ timeout: 10_000 });
});
