import { expect, test } from "@playwright/test";
import mqtt from "mqtt";
import {
  ADMIN_PASSWORD,
  adminApi,
  type ControllerProcess,
  startControllerProcess,
} from "../../harness/controllerProcess.ts";
import { fieldError, openConsole, shot } from "./consoleHelpers.ts";

/**
 * What a new operator must be able to trust on day one, against a real controller: bad input is
 * refused beside its field and nothing is saved.
 */

const ADMIN = { username: "admin", password: ADMIN_PASSWORD };
const SHOTS = "console-trust";

type Api = Awaited<ReturnType<typeof adminApi>>;
let c: ControllerProcess;
let api: Api;

test.describe.configure({ mode: "serial" });
test.setTimeout(120_000);

test.beforeAll(async () => {
  c = await startControllerProcess();
  api = await adminApi(c.url);
});

test.afterAll(async () => {
  await c?.cleanup();
});

test("bad times and dates are refused beside their field, and nothing is saved", async ({ browser }) => {
  const page = await openConsole(browser, c.url, ADMIN);
  const id = "trust-night";
  await page.goto(`${c.url}/console/schedules/new`);
  await page.getByLabel("Mã lịch").fill(id);
  await page.getByLabel("Từ giờ").fill("7h");
  await page.getByLabel("Đến giờ").fill("25:00");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(fieldError(page, "Từ giờ")).toContainText("Giờ không hợp lệ");
  await expect(fieldError(page, "Đến giờ")).toContainText("Giờ không hợp lệ");
  await expect(page.getByText("Đã lưu vào bản nháp.")).toHaveCount(0);
  expect((await api("GET", `/api/v1/schedules/${id}`)).status).toBe(404);

  // 09:00 → 07:00 is 22 hours: asked, naming the span; saying no saves nothing
  await page.getByLabel("Từ giờ").fill("09:00");
  await page.getByLabel("Đến giờ").fill("07:00");
  await page.getByRole("button", { name: "Lưu" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Lịch kéo dài 22 giờ, đến 07:00 hôm sau — đúng không?");
  await shot(page, SHOTS, "overnight-confirm");
  await dialog.getByRole("button", { name: "Hủy" }).click();
  expect((await api("GET", `/api/v1/schedules/${id}`)).status).toBe(404);

  // a two-digit year: refused beside "Đến ngày"
  await page.getByLabel("Từ giờ").fill("22:00");
  await page.getByLabel("Đến giờ").fill("06:00");
  await page.getByLabel("Đến ngày").fill("31/12/26");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(fieldError(page, "Đến ngày")).toContainText("Ngày không hợp lệ");
  await shot(page, SHOTS, "schedule-bad-date");
  expect((await api("GET", `/api/v1/schedules/${id}`)).status).toBe(404);

  // 22:00 → 06:00 is the common case: one click
  await page.getByLabel("Đến ngày").fill("31/12/2026");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã lưu vào bản nháp.").first()).toBeVisible();
  await expect(dialog).toBeHidden();
  const saved = await api<{ window: unknown; dates: unknown }>("GET", `/api/v1/schedules/${id}`);
  expect(saved.body.window).toEqual({ from: "22:00", to: "06:00" });
  expect(saved.body.dates).toEqual({ to: "2026-12-31" });

  // a notice's "Hiệu lực đến ngày": the same
  const item = "notice-border-pass";
  const before = await api<{ valid?: unknown }>("GET", `/api/v1/items/${item}`);
  await page.goto(`${c.url}/console/library/items/${item}`);
  await page.getByLabel("Hiệu lực đến ngày").fill("31/12/26");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(fieldError(page, "Hiệu lực đến ngày")).toContainText("Ngày không hợp lệ");
  await expect(page.getByText("Đã lưu vào bản nháp.")).toHaveCount(0);
  await shot(page, SHOTS, "item-bad-date");
  expect((await api<{ valid?: unknown }>("GET", `/api/v1/items/${item}`)).body.valid).toEqual(before.body.valid);
  await page.context().close();
});

test("script checks: Traditional offered as Simplified, Vietnamese and emoji refused in a procedure notice, warned in a promotion and in the diff", async ({
  browser,
}) => {
  const page = await openConsole(browser, c.url, ADMIN);
  const item = "notice-currency";
  const before = await api<{ title: { zh?: string } }>("GET", `/api/v1/items/${item}`);
  await page.goto(`${c.url}/console/library/items/${item}`);
  const zh = page.getByTestId("title-zh");
  await zh.fill("攜帶超過限額現金須申報");
  const note = page.locator(".field", { has: zh }).getByTestId("script-traditional-chinese");
  await expect(note).toContainText("có chữ phồn thể (攜帶過額現須報)");
  await page.getByTestId("body-vi").fill("Khai báo tiền mặt tại quầy hải quan 💵");
  await expect(
    page.locator(".field", { has: page.getByTestId("body-vi") }).getByTestId("script-undrawable"),
  ).toContainText("màn hình không hiển thị được ký tự 💵");
  await shot(page, SHOTS, "script-notes");
  // the controller refuses it, beside the field, and nothing is saved
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.locator(".field", { has: page.getByTestId("body-vi") }).locator(".field-error")).toContainText(
    "💵",
  );
  await expect(page.locator(".field", { has: zh }).locator(".field-error")).toContainText("phồn thể");
  expect((await api<{ title: { zh?: string } }>("GET", `/api/v1/items/${item}`)).body.title.zh).toBe(
    before.body.title.zh,
  );
  // one click to the Simplified form; without the emoji it saves
  await note.getByRole("button", { name: "Đổi sang giản thể" }).click();
  await expect(zh).toHaveValue("携带超过限额现金须申报");
  await page.getByTestId("body-vi").fill("Khai báo tiền mặt tại quầy hải quan.");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã lưu vào bản nháp.").first()).toBeVisible();

  // a promotion: Vietnamese in the Chinese field is a warning, saved, and shown again in the diff
  await page.goto(`${c.url}/console/library/items/promo-mau-son`);
  // at 1366×768 the fit select shows its choice whole ("Phủ kín màn hình", not "Phủ kín màn")
  const fit = page.getByLabel("Cách hiển thị ảnh");
  const room = await fit.evaluate((el: HTMLSelectElement) => {
    const ctx = document.createElement("canvas").getContext("2d");
    if (!ctx) return 0;
    ctx.font = getComputedStyle(el).font;
    // padding and the arrow take about 30 px
    return el.clientWidth - 30 - ctx.measureText(el.selectedOptions[0]?.text ?? "").width;
  });
  expect(room).toBeGreaterThanOrEqual(0);
  await shot(page, SHOTS, "image-editor");
  const promoZh = page.getByTestId("caption-zh");
  await promoZh.fill("Mẫu Sơn云海");
  await expect(page.locator(".field", { has: promoZh }).getByTestId("script-not-chinese")).toContainText(
    "Cảnh báo: không phải tiếng Trung: “Mẫu Sơn”",
  );
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã lưu vào bản nháp.").first()).toBeVisible();
  await page.goto(`${c.url}/console/releases`);
  await expect(page.getByTestId("diff-scripts-promo-mau-son")).toContainText("không phải tiếng Trung: “Mẫu Sơn”");
  await shot(page, SHOTS, "diff-script-warning");
  await page.context().close();
});

test("users: an admin creates, edits, resets and disables; everyone changes their own password", async ({
  browser,
}) => {
  // the start-up lines name the user, and never print a password taken from the environment
  expect(c.output()).toContain('First start: user "admin", password from GATECAST_ADMIN_PASSWORD');
  expect(c.output()).not.toContain(ADMIN_PASSWORD);

  const page = await openConsole(browser, c.url, ADMIN);
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Người dùng" }).click();
  await page.getByRole("button", { name: "Thêm người dùng" }).click();
  // roles come from the domain's list
  await expect(page.getByLabel("Vai trò").locator("option")).toHaveText([
    "Người xem",
    "Cộng tác viên (cơ quan)",
    "Biên tập viên",
    "Người duyệt",
    "Quản trị viên",
  ]);
  await page.getByLabel("Tên đăng nhập").fill("thu.trang");
  await page.getByLabel("Họ và tên").fill("Nguyễn Thu Trang");
  await page.getByLabel("Mật khẩu ban đầu").fill("ngắn");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(fieldError(page, "Mật khẩu ban đầu")).toBeVisible();
  await page.getByLabel("Mật khẩu ban đầu").fill("mat-khau-ban-dau-1");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page.getByText("Đã tạo tài khoản thu.trang.")).toBeVisible();
  const row = page.getByTestId("user-thu.trang");
  await expect(row).toContainText("Nguyễn Thu Trang");
  await expect(row).toContainText("Biên tập viên");

  await row.getByRole("button", { name: "Sửa" }).click();
  await row.getByLabel("Vai trò").selectOption("approver");
  await row.getByRole("button", { name: "Lưu" }).click();
  await expect(row).toContainText("Người duyệt");
  await shot(page, SHOTS, "users");

  await row.getByRole("button", { name: "Đặt lại mật khẩu" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Mật khẩu mới").fill("mat-khau-dat-lai-2");
  await dialog.getByRole("button", { name: "Đặt lại mật khẩu" }).click();
  await expect(page.getByText("Đã đặt lại mật khẩu cho thu.trang.")).toBeVisible();

  // the user logs in with the reset password and chooses their own
  const own = await openConsole(browser, c.url, { username: "thu.trang", password: "mat-khau-dat-lai-2" });
  await own.getByRole("link", { name: "Đổi mật khẩu" }).click();
  await own.getByLabel("Mật khẩu hiện tại").fill("sai-mat-khau");
  await own.getByLabel("Mật khẩu mới", { exact: true }).fill("mat-khau-cua-toi-3");
  await own.getByLabel("Nhập lại mật khẩu mới").fill("mat-khau-cua-toi-3");
  await own.getByRole("button", { name: "Đổi mật khẩu" }).click();
  await expect(fieldError(own, "Mật khẩu hiện tại")).toContainText("không đúng mật khẩu hiện tại");
  await own.getByLabel("Mật khẩu hiện tại").fill("mat-khau-dat-lai-2");
  await own.getByRole("button", { name: "Đổi mật khẩu" }).click();
  await expect(own.getByText("Đã đổi mật khẩu.")).toBeVisible();
  await shot(own, SHOTS, "account");
  // still logged in here
  await own.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Lịch phát" }).click();
  await expect(own.getByRole("heading", { name: "Lịch phát", level: 1 })).toBeVisible();
  await own.context().close();

  // disabled: logged out and refused
  await row.getByRole("button", { name: "Tắt tài khoản" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Tắt tài khoản" }).click();
  await expect(row).toContainText("Đã tắt");
  const login = await fetch(`${c.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "thu.trang", password: "mat-khau-cua-toi-3" }),
  });
  expect(login.status).toBe(401);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await shot(page, SHOTS, "users-en");
  await page.getByRole("button", { name: "Tiếng Việt" }).click();
  await page.context().close();
});

/** A screen on MQTT with its own credentials, reduced to the status it reports. */
async function screenOnline(id: string): Promise<{ leave: () => Promise<void>; end: () => Promise<void> }> {
  const r = await api<{ mqtt: { url: string; username: string; password: string } }>(
    "POST",
    `/api/v1/screens/${id}/credentials`,
  );
  expect(r.status).toBe(201);
  const client = await mqtt.connectAsync(r.body.mqtt.url, {
    username: r.body.mqtt.username,
    password: r.body.mqtt.password,
    clientId: `screen.${id}.e2e`,
    reconnectPeriod: 0,
  });
  const status = (state: string) =>
    client.publishAsync(
      `gatecast/v1/screens/${id}/status`,
      JSON.stringify({ state, at: new Date().toISOString(), appVersion: "0.1.0+e2e", manifestVersion: null }),
      { qos: 1, retain: true },
    );
  await status("online");
  return {
    // goes away cleanly, saying so
    leave: async () => {
      await status("offline");
      await client.endAsync();
    },
    end: () => client.endAsync(),
  };
}

test("fleet truth: the summary counts what is shown; with the controller stopped every card is grey", async ({
  browser,
}) => {
  const page = await openConsole(browser, c.url, ADMIN);
  const summary = page.getByTestId("fleet-summary");
  // first start: nothing connected, and nothing says all is well
  await expect(summary).toContainText("0 trực tuyến");
  await expect(summary).toContainText("chưa ghép nối");
  await expect(page.getByTestId("fleet-all-well")).toHaveCount(0);
  // commands to a screen no device is paired as: not offered
  await expect(page.getByTestId("screen-huu-nghi-lorry-1").getByTestId("cmd-identify")).toBeDisabled();

  const up = await screenOnline("huu-nghi-arrivals-1");
  const gone = await screenOnline("tan-thanh-arrivals-1");
  await gone.leave();
  await expect(page.getByTestId("screen-huu-nghi-arrivals-1")).toHaveAttribute("data-health", "online");
  await expect(page.getByTestId("screen-tan-thanh-arrivals-1")).toHaveAttribute("data-health", "offline");
  await expect(summary).toContainText("1 trực tuyến");
  await expect(summary).toContainText("1 mất kết nối");
  await expect(page.getByTestId("fleet-all-well")).toHaveCount(0);
  await shot(page, SHOTS, "fleet-one-offline");

  // the controller goes away: nothing on the page may claim a state
  await up.end();
  const stopped = Date.now();
  await c.stop();
  expect(Date.now() - stopped).toBeLessThan(5_000);
  await expect(page.getByTestId("fleet-unknown")).toContainText("không rõ trạng thái — mất kết nối tới máy chủ");
  const card = page.getByTestId("screen-huu-nghi-arrivals-1");
  await expect(card).toHaveAttribute("data-health", "unknown");
  await expect(card.getByTestId("screen-state")).toHaveText("Không rõ");
  await expect(card).toContainText("không rõ — mất kết nối tới máy chủ");
  await expect(page.locator('article[data-health="online"]')).toHaveCount(0);
  await shot(page, SHOTS, "fleet-controller-stopped");
  c = await c.restart();
  api = await adminApi(c.url);
  await expect(page.getByTestId("live-state")).toContainText("Cập nhật trực tiếp", { timeout: 30_000 });
  await expect(card).not.toHaveAttribute("data-health", "unknown");
  await page.context().close();
});
