import { randomUUID } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, expect, type Page, test } from "@playwright/test";
import mqtt, { type MqttClient } from "mqtt";
import { capXml } from "../../controller/src/cap/capFixtures.ts";
import {
  ADMIN_PASSWORD,
  adminApi,
  type ControllerProcess,
  ROOT,
  startControllerProcess,
} from "../../harness/controllerProcess.ts";

/**
 * The operator console against a real controller process: an editor writes a bilingual notice, puts it
 * in a playlist and schedules it for Tân Thanh; an approver releases it; the fleet dashboard follows a
 * screen live; an urgent notice is sent and acknowledged; proof-of-play is exported as CSV; the audit
 * log shows every write. Every page is photographed at 1366×768 into test-results/console-screens.
 *
 * Screens are played by `FakeScreen` (MQTT with the screen's own credentials) until the kiosk is done:
 * to check the kiosk side, open `${c.url}/kiosk/` in a second page where the comments say "kiosk".
 */

const VIEWPORT = { width: 1366, height: 768 };
const SHOTS = join(ROOT, "test-results/console-screens");

const EDITOR = { username: "bien.tap", password: "e2e-editor-password-1", displayName: "Nguyễn Thị Biên Tập" };
const APPROVER = { username: "phe.duyet", password: "e2e-approver-password-1", displayName: "Hoàng Văn Duyệt" };
const VIEWER = { username: "xem.thoi", password: "e2e-viewer-password-1", displayName: "Lý Xem" };

const NOTICE = {
  id: "notice-tan-thanh-holiday",
  titleVi: "Giờ làm việc dịp lễ tại cửa khẩu Tân Thanh",
  titleZh: "新清口岸节假日通关时间",
  bodyVi:
    "Trong dịp lễ, cửa khẩu Tân Thanh làm thủ tục từ 7 giờ đến 20 giờ. Hành khách vui lòng chuẩn bị sẵn hộ chiếu và tờ khai.",
  bodyZh: "节假日期间，新清口岸通关时间为7时至20时。请旅客提前准备好护照和申报单。",
};
const PLAYLIST = { id: "tan-thanh-holiday", name: "Tân Thanh — ngày lễ" };
const SCHEDULE = { id: "tan-thanh-holiday-hours" };
const TAN_THANH_SCREEN = "tan-thanh-arrivals-1";

type Api = Awaited<ReturnType<typeof adminApi>>;

let c: ControllerProcess;
let api: Api;

async function shot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  // let fonts and images settle: the photo is for a person to look at
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function openAs(browser: Browser, who: { username: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  await page.goto(`${c.url}/console/`);
  await page.getByLabel("Tên đăng nhập").fill(who.username);
  await page.getByLabel("Mật khẩu").fill(who.password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("navigation", { name: "Điều hướng chính" })).toBeVisible();
  return page;
}

/** The screen preview: the kiosk's own renderer in an iframe at the screen's size. */
const screenPreview = (page: Page) => page.frameLocator('[data-testid="screen-preview"] iframe').locator("body");

const nav = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name });

/** A screen on MQTT with its own credentials: what the kiosk will do, reduced to the messages it sends. */
class FakeScreen {
  readonly commands: { id: string; cmd: string }[] = [];

  private constructor(
    readonly id: string,
    private readonly client: MqttClient,
  ) {
    client.on("message", (topic, payload) => {
      if (topic.endsWith("/cmd")) this.commands.push(JSON.parse(payload.toString()) as { id: string; cmd: string });
    });
  }

  static async connect(screenId: string): Promise<FakeScreen> {
    const r = await api<{ mqtt: { url: string; username: string; password: string } }>(
      "POST",
      `/api/v1/screens/${screenId}/credentials`,
    );
    expect(r.status).toBe(201);
    const client = await mqtt.connectAsync(r.body.mqtt.url, {
      username: r.body.mqtt.username,
      password: r.body.mqtt.password,
      clientId: `screen.${screenId}.e2e`,
      will: {
        topic: `gatecast/v1/screens/${screenId}/status`,
        payload: Buffer.from(JSON.stringify({ state: "offline" })),
        qos: 1,
        retain: true,
      },
    });
    await client.subscribeAsync(`gatecast/v1/screens/${screenId}/cmd`, { qos: 1 });
    return new FakeScreen(screenId, client);
  }

  private publish(kind: string, body: unknown, retain = false) {
    return this.client.publishAsync(`gatecast/v1/screens/${this.id}/${kind}`, JSON.stringify(body), {
      qos: 1,
      retain,
    });
  }

  async online(manifestVersion: number | null) {
    await this.publish(
      "status",
      { state: "online", at: new Date().toISOString(), appVersion: "0.1.0+e2e", manifestVersion },
      true,
    );
  }

  async heartbeat(manifestVersion: number | null, nowPlaying: { playlist: string; item: string } | null) {
    await this.publish("heartbeat", {
      at: new Date().toISOString(),
      appVersion: "0.1.0+e2e",
      uptimeS: 120,
      manifestVersion,
      pendingVersion: null,
      nowPlaying: nowPlaying ? { ...nowPlaying, since: new Date().toISOString() } : null,
      lastFrameAt: new Date().toISOString(),
      media: { ready: 4, total: 4 },
      storage: { usageBytes: 150 * 1024 * 1024, quotaBytes: 2 * 1024 * 1024 * 1024, persisted: true },
      memory: null,
      errors: [],
    });
  }

  async plays(records: { item: string; playlist: string; startedAt: number; durationMs: number }[]) {
    await this.publish("plays", {
      records: records.map((r) => ({ ...r, id: randomUUID(), startedAt: new Date(r.startedAt).toISOString() })),
    });
  }

  async ack(body: Record<string, unknown>) {
    await this.publish("ack", body);
  }

  /** Goes away cleanly, saying so (the broker's last will covers the unclean case). */
  async close() {
    await this.publish("status", { state: "offline", at: new Date().toISOString() }, true);
    await this.client.endAsync();
  }
}

test.describe.configure({ mode: "serial" });
test.setTimeout(120_000);

test.beforeAll(async () => {
  c = await startControllerProcess();
  api = await adminApi(c.url);
  for (const [u, role] of [
    [EDITOR, "editor"],
    [APPROVER, "approver"],
    [VIEWER, "viewer"],
  ] as const) {
    const r = await api("POST", "/api/v1/users", { ...u, role });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
});

test.afterAll(async () => {
  await c?.cleanup();
});

test("log in, see only what the role allows, log out", async ({ browser }) => {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto(`${c.url}/console/`);
  await expect(page.getByRole("heading", { name: "Đăng nhập" })).toBeVisible();
  await shot(page, "01-login");

  await page.getByLabel("Tên đăng nhập").fill(VIEWER.username);
  await page.getByLabel("Mật khẩu").fill("not-the-password");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("alert")).toContainText("Sai tên đăng nhập hoặc mật khẩu");

  await page.getByLabel("Mật khẩu").fill(VIEWER.password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  const menu = page.getByRole("navigation");
  await expect(menu.getByRole("link", { name: "Giám sát màn hình" })).toBeVisible();
  await expect(menu.getByRole("link", { name: "Nhật ký thay đổi" })).toHaveCount(0);
  await expect(menu.getByRole("link", { name: "Ghép nối màn hình" })).toHaveCount(0);
  await expect(page.getByTestId("who")).toContainText("Lý Xem");
  // a viewer gets no write buttons
  await nav(page, "Thư viện nội dung").click();
  await expect(page.getByRole("link", { name: "Thông báo mới" })).toHaveCount(0);

  // English switch, and back
  await page.getByRole("button", { name: "English" }).click();
  await expect(menu.getByRole("link", { name: "Content library" })).toBeVisible();
  await page.getByRole("button", { name: "Tiếng Việt" }).click();

  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("heading", { name: "Đăng nhập" })).toBeVisible();
  await context.close();
});

test("an editor writes a bilingual notice, adds it to a playlist and schedules it for Tân Thanh", async ({
  browser,
}) => {
  const page = await openAs(browser, EDITOR);
  await expect(nav(page, "Nhật ký thay đổi")).toHaveCount(0);

  // Library: filters and the media tab with an upload
  await nav(page, "Thư viện nội dung").click();
  await expect(page.getByTestId("items-table")).toBeVisible();
  await shot(page, "03-library");
  await page.getByTestId("lang-filter").selectOption("missing-en");
  await expect(page.getByTestId("items-table").or(page.getByTestId("empty-state"))).toBeVisible();
  await page.getByTestId("lang-filter").selectOption("");

  await page.getByRole("tab", { name: "Tệp ảnh và video" }).click();
  const png = await readFile(join(ROOT, "playlists/content/media/mau-son.png"));
  // trailing bytes after IEND keep the image valid and make its hash new
  const unique = Buffer.concat([png, Buffer.from(`e2e-${randomUUID()}`)]);
  await page
    .getByTestId("media-input")
    .setInputFiles({ name: "cua-khau-tan-thanh.png", mimeType: "image/png", buffer: unique });
  await expect(page.getByText("Đã tải lên cua-khau-tan-thanh.png.")).toBeVisible();
  await expect(page.getByTestId("media-grid").getByText("cua-khau-tan-thanh.png")).toBeVisible();
  await shot(page, "04-library-media");

  // Notice editor: Chinese is required for a procedure notice, and the check sits next to the field
  await page.getByRole("tab", { name: "Nội dung" }).click();
  await page.getByRole("link", { name: "Thông báo mới" }).click();
  await expect(page.getByRole("heading", { name: "Thông báo mới" })).toBeVisible();
  await page.getByLabel("Mã nội dung").fill(NOTICE.id);
  await page.getByLabel("Chuyên mục", { exact: true }).selectOption("procedure");
  await page.getByLabel("Thời lượng (giây)").fill("12");
  await page.getByTestId("source-agency").selectOption({ label: "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn" });
  await page.getByTestId("title-vi").fill(NOTICE.titleVi);
  await page.getByTestId("body-vi").fill(NOTICE.bodyVi);
  await page.getByRole("button", { name: "Lưu" }).click();
  const zhTitle = page.getByTestId("title-zh");
  await expect(zhTitle).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".field", { has: zhTitle }).locator(".field-error")).toContainText(
    "bắt buộc với chuyên mục “Thủ tục xuất nhập cảnh”",
  );
  await zhTitle.fill(NOTICE.titleZh);
  await page.getByTestId("body-zh").fill(NOTICE.bodyZh);
  // live preview, drawn at the chosen screen's size
  await page.getByTestId("preview-screen").selectOption(`screen:${TAN_THANH_SCREEN}`);
  const preview = screenPreview(page);
  await expect(preview).toContainText(NOTICE.titleVi);
  await expect(preview).toContainText(NOTICE.titleZh);
  await expect(preview).toContainText("Cửa khẩu Tân Thanh");
  await expect(page.getByText(`${[...NOTICE.titleZh].length}/2000 ký tự`)).toBeVisible();
  // too much text: the kiosk will not make it smaller than readable from the screen's distance, it pages
  // it, and the editor says the pages are too short to read
  await page.getByTestId("title-en").fill("Holiday opening hours at Tan Thanh border gate. ".repeat(4));
  await page.getByTestId("body-en").fill("Please have your passport and declaration ready. ".repeat(40));
  await expect(page.locator('[data-testid="readability-warning"][data-severity="blocking"]').first()).toContainText(
    "trang, mỗi trang",
    { timeout: 15_000 },
  );
  await page.getByTestId("title-en").fill("");
  await page.getByTestId("body-en").fill("");
  await expect(page.locator('[data-testid="readability-warning"][data-severity="blocking"]')).toHaveCount(0);
  await shot(page, "05-notice-editor");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText(`Đã tạo nội dung “${NOTICE.id}”.`)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/console/library/items/${NOTICE.id}$`));

  // A server-side check shows up next to its field too: a duplicate id
  await page.goto(`${c.url}/console/library/new/notice`);
  await page.getByLabel("Mã nội dung").fill(NOTICE.id);
  await page.getByTestId("title-vi").fill("Trùng mã");
  await page.getByTestId("body-vi").fill("Thử");
  await page.getByLabel("Chuyên mục", { exact: true }).selectOption("promotion");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.locator(".field", { has: page.getByLabel("Mã nội dung") }).locator(".field-error")).toContainText(
    "đã tồn tại",
  );
  page.once("dialog", (d) => void d.accept());
  // Playlist: new, add the notice and one more, reorder by keyboard and by drag and drop
  await nav(page, "Danh sách phát").click();
  await page.getByRole("link", { name: "Danh sách phát mới" }).click();
  await page.getByLabel("Mã danh sách").fill(PLAYLIST.id);
  await page.getByLabel("Tên danh sách phát").fill(PLAYLIST.name);
  for (const id of ["notice-border-pass", NOTICE.id, "promo-ky-lua"]) {
    await page.getByTestId("add-item").selectOption(id);
    await page.getByRole("button", { name: "Thêm", exact: true }).click();
  }
  const rows = page.getByTestId("playlist-rows").locator("li");
  await expect(rows).toHaveCount(3);
  await page.getByRole("button", { name: `Chuyển lên: ${NOTICE.id}` }).click();
  await expect(rows.first()).toHaveAttribute("data-item", NOTICE.id);
  await expect(page.getByRole("button", { name: `Chuyển xuống: ${NOTICE.id}` })).toBeFocused();
  // drag promo-ky-lua (3rd) onto the 2nd place
  await rows.nth(2).locator(".drag-handle").dragTo(rows.nth(1));
  await expect(rows.nth(1)).toHaveAttribute("data-item", "promo-ky-lua");
  // per-item duration and total run time: the notice held 20 s, then 15 + 12 (durations long enough to read)
  await rows.first().getByRole("textbox").fill("20");
  await expect(page.getByTestId("playlist-total")).toContainText(/\d:\d\d/);
  const total = await page.getByTestId("playlist-total").textContent();
  await page.getByTestId("player-toggle").click();
  await expect(page.getByTestId("player-status")).toContainText("Mục 1/3");
  await expect(screenPreview(page)).toContainText(NOTICE.titleVi);
  await page.getByTestId("player-toggle").click();
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã lưu vào bản nháp.").first()).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/console/playlists/${PLAYLIST.id}$`));
  expect(total).toContain("0:47");
  await shot(page, "06-playlist");

  // Schedule: every day 07:00–20:00 at Tân Thanh, above the weekday rush hour
  await nav(page, "Lịch phát").click();
  await page.getByRole("link", { name: "Lịch mới" }).click();
  await page.getByLabel("Mã lịch").fill(SCHEDULE.id);
  await page.getByTestId("schedule-playlist").selectOption(PLAYLIST.id);
  await page.getByLabel("Độ ưu tiên").fill("30");
  await page.getByRole("group", { name: "Cửa khẩu" }).getByLabel("Cửa khẩu Tân Thanh").check();
  await page.getByRole("button", { name: "Hằng ngày" }).click();
  await page.getByLabel("Từ giờ").fill("07:00");
  await page.getByLabel("Đến giờ").fill("20:00");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã lưu vào bản nháp.").first()).toBeVisible();
  await expect(page.getByTestId(`schedule-row-${SCHEDULE.id}`)).toBeVisible();

  // Week view per gate: the new entry wins 07:00–20:00, and hides the rush hour (hatched)
  await page.getByTestId("week-gate").selectOption("tan-thanh");
  const week = page.getByTestId("week-view");
  await expect(week.locator(`.week-block[data-playlist="${PLAYLIST.id}"]`).first()).toBeVisible();
  await expect(week.locator(".week-block.has-hidden[data-hidden~='weekday-rush']").first()).toBeAttached();
  await week.scrollIntoViewIfNeeded();
  await shot(page, "07-schedules-week");
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "07-schedules");
  await page.context().close();
});

test("an approver sees the draft as a diff and releases it", async ({ browser }) => {
  const page = await openAs(browser, APPROVER);
  await nav(page, "Phát hành").click();
  const draft = page.getByTestId("draft-section");
  await expect(draft).toContainText("Bản nháp so với bản phát hành 1");
  await expect(draft.getByTestId(`diff-added-${NOTICE.id}`)).toContainText(NOTICE.titleVi);
  await expect(draft.getByTestId(`diff-added-${PLAYLIST.id}`)).toBeVisible();
  // an added object opens to show what it holds
  await draft.getByTestId(`diff-added-${NOTICE.id}`).locator("summary").click();
  await expect(draft.getByTestId(`diff-added-${NOTICE.id}`)).toContainText(NOTICE.bodyZh);
  await shot(page, "08-releases-draft");
  await page.getByRole("button", { name: "Duyệt và phát hành" }).click();
  await expect(page.locator(".field", { has: page.getByTestId("release-note") }).locator(".field-error")).toHaveText(
    "Bắt buộc",
  );
  await page.getByTestId("release-note").fill("Thông báo giờ làm việc dịp lễ tại Tân Thanh");
  await page.getByRole("button", { name: "Duyệt và phát hành" }).click();
  await expect(page.getByText("Đã phát hành bản 2.")).toBeVisible();
  const history = page.getByTestId("release-history");
  await expect(history.getByTestId("release-2")).toContainText("Thông báo giờ làm việc dịp lễ tại Tân Thanh");
  await expect(history.getByTestId("release-2")).toContainText("phe.duyet");
  await expect(history.getByTestId("release-2")).toContainText("Đang dùng");
  await expect(draft).toContainText("không có gì để phát hành");
  await history.getByTestId("release-2").getByRole("button", { name: "Xem thay đổi" }).click();
  await expect(page.getByTestId(`diff-added-${SCHEDULE.id}`).first()).toBeVisible();
  await shot(page, "09-releases-history");

  // Reject: a change made since (here through the API) is reverted to what release 2 holds
  const item = await api<Record<string, unknown>>("GET", `/api/v1/items/${NOTICE.id}`);
  const changed = { ...item.body, duration: 30 };
  expect((await api("PUT", `/api/v1/items/${NOTICE.id}`, changed)).status).toBe(200);
  await page.reload();
  await expect(draft.getByTestId(`diff-changed-${NOTICE.id}`)).toBeVisible();
  await draft.getByTestId(`diff-changed-${NOTICE.id}`).locator("summary").click();
  await expect(draft.getByTestId(`diff-changed-${NOTICE.id}`)).toContainText("duration");
  await page.getByRole("button", { name: "Từ chối và hoàn tác bản nháp" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Từ chối và hoàn tác bản nháp" }).click();
  await expect(page.getByText("Đã hoàn tác bản nháp về bản phát hành 2.")).toBeVisible();
  await expect(draft).toContainText("không có gì để phát hành");
  expect((await api<{ duration: number }>("GET", `/api/v1/items/${NOTICE.id}`)).body.duration).toBe(12);

  // Rollback to release 1 and forward again, each as a new release
  await history.getByTestId("release-1").getByRole("button", { name: "Quay lại bản này" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Quay lại bản này" }).click();
  await expect(history.getByTestId("release-3")).toContainText("quay lại bản 1");
  await history.getByTestId("release-2").getByRole("button", { name: "Quay lại bản này" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox").fill("Khôi phục thông báo ngày lễ");
  await dialog.getByRole("button", { name: "Quay lại bản này" }).click();
  await expect(history.getByTestId("release-4")).toContainText("Khôi phục thông báo ngày lễ");
  await expect(history.getByTestId("release-4")).toContainText("Đang dùng");
  await page.context().close();
});

test("the dashboard lists screens by gate and follows a screen live", async ({ browser }) => {
  const page = await openAs(browser, { username: "admin", password: ADMIN_PASSWORD });
  await expect(page.getByTestId("gate-huu-nghi").locator("article")).toHaveCount(3);
  await expect(page.getByTestId("gate-tan-thanh").locator("article")).toHaveCount(2);
  await expect(page.getByTestId("gate-huu-nghi").getByRole("heading", { level: 2 })).toContainText(
    "Cửa khẩu Quốc tế Hữu Nghị",
  );
  await expect(page.getByTestId("live-state")).toContainText("Cập nhật trực tiếp");
  const card = page.getByTestId(`screen-${TAN_THANH_SCREEN}`);
  await expect(card).toHaveAttribute("data-health", /never|unpaired/);

  // The screen comes online: the card changes without a reload (server-sent events)
  const published = await api<{ manifest: { published: number; release: number } }>(
    "GET",
    `/api/v1/screens/${TAN_THANH_SCREEN}`,
  );
  const version = published.body.manifest.published;
  const screen = await FakeScreen.connect(TAN_THANH_SCREEN);
  try {
    await screen.online(version);
    await screen.heartbeat(version, { playlist: PLAYLIST.id, item: NOTICE.id });
    await expect(card).toHaveAttribute("data-health", "online");
    await expect(card.getByTestId("screen-state")).toHaveText("Trực tuyến");
    await expect(card).toContainText(`Đã đồng bộ · bản phát hành ${published.body.manifest.release}`);
    await expect(card.getByTestId("now-playing")).toHaveText(NOTICE.titleVi);
    await expect(card).toContainText("150 MB / 2,0 GB");
    await expect(page.getByTestId("fleet-summary")).toContainText("1 trực tuyến");

    // A command reaches the screen over MQTT, and its acknowledgement comes back as a message
    await card.getByTestId("cmd-identify").click();
    await expect(page.getByText(`Đã gửi lệnh “Nhận diện” tới ${TAN_THANH_SCREEN}.`)).toBeVisible();
    await expect.poll(() => screen.commands.map((x) => x.cmd)).toContain("identify");
    const cmd = screen.commands.find((x) => x.cmd === "identify");
    await screen.ack({ type: "cmd-done", id: cmd?.id, ok: true, at: new Date().toISOString() });
    await expect(page.getByText(`${TAN_THANH_SCREEN}: đã thực hiện lệnh.`)).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, "02-fleet");

    // kiosk: the dashboard's screenshot thumbnail appears once a real kiosk answers "screenshot"
  } finally {
    await screen.close();
  }
  // it says goodbye: offline, live
  await expect(card).toHaveAttribute("data-health", "offline");

  // Offline for longer than the alarm threshold: a visible alarm (and a beep, which a test cannot hear)
  await expect(page.getByTestId("alarm")).toHaveCount(0);
  await page.clock.setFixedTime(Date.now() + 10 * 60_000);
  const threshold = page.getByLabel("Báo động sau (phút)");
  await threshold.fill("3");
  await threshold.press("Tab");
  await expect(page.getByTestId("alarm")).toContainText(`(${TAN_THANH_SCREEN}) mất kết nối đã 10 phút`);
  await expect(card).toHaveClass(/screen-alarm/);
  await expect(page).toHaveTitle(/^\(1\) ⚠/);
  await page.getByLabel("Tắt tiếng báo động").check();
  await expect(page.getByTestId("alarm")).toContainText("Đã tắt tiếng");
  await shot(page, "02-fleet-alarm");
  // settings survive a reload (localStorage)
  await page.reload();
  await expect(page.getByLabel("Báo động sau (phút)")).toHaveValue("3");
  await expect(page.getByLabel("Tắt tiếng báo động")).toBeChecked();
  await page.context().close();
});

test("pairing a new screen from its code", async ({ browser }) => {
  const page = await openAs(browser, { username: "admin", password: ADMIN_PASSWORD });
  const res = await fetch(`${c.url}/api/v1/pairings`, { method: "POST" });
  const { code } = (await res.json()) as { code: string };
  await nav(page, "Ghép nối màn hình").click();
  await page.getByLabel("Mã ghép nối").fill("ZZZZZZ");
  await page.getByLabel("Mã màn hình").fill("tan-thanh-departures-1");
  await page.getByLabel("Tên màn hình").fill("Sảnh xuất cảnh — màn hình 1");
  await page.getByLabel("Cửa khẩu", { exact: true }).selectOption("tan-thanh");
  await page.getByLabel("Thẻ vị trí").fill("departures");
  await page.getByRole("button", { name: "Ghép nối", exact: true }).click();
  await expect(page.locator(".field", { has: page.getByLabel("Mã ghép nối") })).toContainText("Mã không đúng");
  await page.getByLabel("Mã ghép nối").fill(code);
  await shot(page, "10-pairing");
  await page.getByRole("button", { name: "Ghép nối", exact: true }).click();
  await expect(page.getByTestId("pairing-done")).toContainText(
    "Đã ghép nối tan-thanh-departures-1 tại Cửa khẩu Tân Thanh",
  );
  await nav(page, "Giám sát màn hình").click();
  await expect(page.getByTestId("gate-tan-thanh").locator("article")).toHaveCount(3);
  await page.context().close();
});

test("an urgent notice is sent, counted as screens show it, and taken down", async ({ browser }) => {
  const page = await openAs(browser, APPROVER);
  await nav(page, "Thông báo khẩn").click();
  await page.getByRole("radio", { name: "Khẩn cấp" }).check();
  await page.getByTestId("alert-vi").fill("Tạm dừng làm thủ tục 30 phút do sự cố mạng. Xin quý khách thông cảm.");
  await page.getByRole("button", { name: "Gửi thông báo khẩn" }).click();
  // Chinese is required, checked by the domain schema before anything is sent
  await expect(page.locator(".field", { has: page.getByTestId("alert-zh") }).locator(".field-error")).toBeVisible();
  await page.getByTestId("alert-zh").fill("因网络故障，暂停通关30分钟。敬请谅解。");
  await page.getByRole("group", { name: "Cả cửa khẩu" }).getByLabel("Cửa khẩu Tân Thanh").check();
  // paired screens count (arrivals-1 has credentials, departures-1 was just paired; lorry-1 is not)
  await expect(page.getByTestId("alert-matches")).toContainText(
    "Sẽ hiện trên 2 màn hình đã ghép nối (0 đang trực tuyến) 1 màn hình chưa ghép nối sẽ không nhận.",
  );
  await expect(screenPreview(page)).toContainText("KHẨN CẤP");
  await expect(screenPreview(page)).toContainText("因网络故障");
  await shot(page, "11-alert-compose");
  await page.getByRole("button", { name: "Gửi thông báo khẩn" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Gửi thông báo khẩn tới 2 màn hình?");
  await dialog.getByRole("button", { name: "Gửi thông báo khẩn" }).click();
  await expect(page.getByText("Đã gửi thông báo khẩn.")).toBeVisible();
  const card = page.getByTestId("alert-list").locator("li").first();
  await expect(card).toContainText("Tạm dừng làm thủ tục 30 phút");
  await expect(card).toContainText("Đang hiển thị");
  await expect(card.getByTestId("ack-count")).toContainText("0/3 màn hình đã hiển thị");

  // kiosk: a real kiosk at Tân Thanh shows it and acks; here a screen acks over MQTT
  const alertId = ((await card.getAttribute("data-testid")) ?? "").replace(/^alert-/, "");
  const screen = await FakeScreen.connect(TAN_THANH_SCREEN);
  try {
    await screen.ack({ type: "alert-shown", alert: alertId, at: new Date().toISOString() });
    await expect(card.getByTestId("ack-count")).toContainText("1/3 màn hình đã hiển thị");
  } finally {
    await screen.close();
  }
  await page.getByTestId("alert-list").scrollIntoViewIfNeeded();
  await shot(page, "12-alerts");
  await card.getByRole("button", { name: "Gỡ thông báo" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Gỡ thông báo" }).click();
  await expect(card).toContainText("Đã hủy");
  await page.context().close();
});

test("a CAP message is checked, then sent; an admin keeps the CAP area table", async ({ browser }) => {
  const page = await openAs(browser, APPROVER);
  await nav(page, "Thông báo khẩn").click();
  const buffer = Buffer.from(capXml({ identifier: "E2E-CAP-1" }));
  await page.getByTestId("cap-input").setInputFiles({ name: "bdbp-0142.xml", mimeType: "application/xml", buffer });
  const result = page.getByTestId("cap-result");
  await expect(result).toContainText("Sẽ: Gửi thông báo mới");
  await expect(result).toContainText("Cửa khẩu Quốc tế Hữu Nghị");
  await expect(result).toContainText("货物暂停通关");
  await result.scrollIntoViewIfNeeded();
  await shot(page, "12b-cap-check");
  await page.getByRole("button", { name: "Gửi tới màn hình" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Gửi tới màn hình" }).click();
  await expect(result).toContainText("Đã: Gửi thông báo mới");
  const card = page.getByTestId("alert-list").locator("li", { hasText: "Tạm dừng thông quan hàng hóa" });
  await expect(card).toContainText("Đang hiển thị");
  const alertId = ((await card.getAttribute("data-testid")) ?? "").replace(/^alert-/, "");
  // a refusal is said in the operator's words
  const noZh = capXml({
    identifier: "E2E-CAP-2",
    infos: [{ language: "vi-VN", headline: "Ùn tắc", areas: ["huu-nghi"] }],
  });
  await page
    .getByTestId("cap-input")
    .setInputFiles({ name: "no-zh.xml", mimeType: "application/xml", buffer: Buffer.from(noZh) });
  await expect(
    page.getByRole("alert").filter({ hasText: "Cửa khẩu huu-nghi cần một <info> bằng Tiếng Trung (giản thể)." }),
  ).toBeVisible();
  await page.context().close();

  const admin = await openAs(browser, { username: "admin", password: ADMIN_PASSWORD });
  await nav(admin, "Thông báo khẩn").click();
  await admin.getByRole("button", { name: "Thêm dòng" }).click();
  const row = admin.getByTestId("cap-area-row").first();
  await row.getByLabel("Giá trị").fill("Tỉnh Lạng Sơn");
  await row.getByLabel("Cửa khẩu Tân Thanh").check();
  await admin.getByRole("button", { name: "Lưu bảng vùng" }).click();
  await expect(admin.getByText("Đã lưu bảng vùng CAP")).toBeVisible();
  await row.scrollIntoViewIfNeeded();
  await shot(admin, "12c-cap-areas");
  expect((await api<{ rules: unknown[] }>("GET", "/api/v1/cap/areas")).body.rules).toEqual([
    { areaDesc: "Tỉnh Lạng Sơn", gates: ["tan-thanh"] },
  ]);
  expect((await api("POST", `/api/v1/alerts/${alertId}/cancel`)).status).toBe(200);
  await admin.context().close();
});

test("proof-of-play report with a chart and a CSV export Excel reads (BOM, Vietnamese and Chinese intact)", async ({
  browser,
}) => {
  const screen = await FakeScreen.connect(TAN_THANH_SCREEN);
  const now = Date.now();
  try {
    // as a kiosk does: its status (its clock) first, then plays of what it was sent, each over by now
    await screen.online(null);
    await screen.plays([
      ...Array.from({ length: 3 }, (_, i) => ({
        item: NOTICE.id,
        playlist: PLAYLIST.id,
        startedAt: now - (i + 1) * 60_000,
        durationMs: 20_000,
      })),
      { item: "notice-border-pass", playlist: PLAYLIST.id, startedAt: now - 30_000, durationMs: 12_000 },
    ]);
  } finally {
    await screen.close();
  }
  const page = await openAs(browser, VIEWER);
  // "Báo cáo" comes before "Báo cáo định kỳ" in the menu
  await nav(page, "Báo cáo").first().click();
  const table = page.getByTestId("plays-table");
  await expect(table).toContainText(NOTICE.titleVi);
  await expect(table.locator("tr", { hasText: NOTICE.id })).toContainText("3");
  await expect(page.getByTestId("plays-chart")).toBeVisible();
  await expect(page.getByTestId("uptime-table")).toContainText("Sảnh nhập cảnh — màn hình 1");
  await shot(page, "13-reports");
  await page.getByRole("radio", { name: "Màn hình" }).check();
  await expect(table).toContainText(TAN_THANH_SCREEN);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("csv-export").click()]);
  expect(download.suggestedFilename()).toMatch(/^gatecast-plays-screen-.*\.csv$/);
  const bytes = await readFile((await download.path()) ?? "");
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString("utf8");
  expect(text.split("\r\n")[0]).toBe("Mã màn hình,Tên màn hình,Số lượt phát,Thời lượng (giây)");
  expect(text).toContain(`${TAN_THANH_SCREEN},Sảnh nhập cảnh — màn hình 1,4,`);

  await page.getByRole("radio", { name: "Nội dung" }).check();
  const [itemsCsv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("csv-export").click()]);
  const itemsText = (await readFile((await itemsCsv.path()) ?? "")).toString("utf8");
  expect(itemsText).toContain(`${NOTICE.id},${NOTICE.titleVi},3,60`);

  // the periodic report: a docx to edit and sign, and a range backwards said in Vietnamese
  await nav(page, "Báo cáo định kỳ").click();
  const [docx] = await Promise.all([page.waitForEvent("download"), page.getByTestId("periodic-docx").click()]);
  expect(docx.suggestedFilename()).toMatch(/^bao-cao-tat-ca-.*\.docx$/);
  const zip = await readFile((await docx.path()) ?? "");
  expect([...zip.subarray(0, 2)]).toEqual([0x50, 0x4b]);
  await page.getByLabel("Từ ngày").fill("31/12/2026");
  await page.getByLabel("Đến ngày").fill("01/01/2026");
  await page.getByTestId("periodic-xlsx").click();
  await expect(page.locator(".notice-error")).toContainText("phải sau ngày bắt đầu");
  await shot(page, "13b-periodic-report");
  await page.context().close();
});

test("the audit log shows the writes, filterable by person, object and date", async ({ browser }) => {
  const page = await openAs(browser, APPROVER);
  await nav(page, "Nhật ký thay đổi").click();
  const table = page.getByTestId("audit-table");
  await expect(table).toBeVisible();
  await page.getByTestId("audit-actor").fill(EDITOR.username);
  await page.getByRole("button", { name: "Lọc", exact: true }).click();
  const rows = table.getByTestId("audit-row");
  await expect(rows.filter({ hasText: NOTICE.id }).filter({ hasText: "Nội dung" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Danh sách phát" }).filter({ hasText: PLAYLIST.id })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Lịch phát" }).filter({ hasText: SCHEDULE.id })).toHaveCount(1);
  await expect(rows.filter({ hasText: "phe.duyet" })).toHaveCount(0);
  await shot(page, "14-audit");

  await page.getByTestId("audit-kind").selectOption("release");
  await page.getByTestId("audit-actor").fill("");
  await page.getByRole("button", { name: "Lọc", exact: true }).click();
  const released = rows
    .filter({ hasText: "phe.duyet" })
    .filter({ has: page.getByRole("cell", { name: "Phát hành", exact: true }) });
  await expect(released).toHaveCount(1);
  await expect(rows.filter({ has: page.getByRole("cell", { name: "Quay lại bản cũ", exact: true }) })).toHaveCount(2);
  await released.getByText("Xem trước/sau").click();
  await expect(released).toContainText("Thông báo giờ làm việc dịp lễ tại Tân Thanh");

  // dates: nothing is logged tomorrow
  const tomorrow = new Date(Date.now() + 86_400_000 + 7 * 3_600_000);
  const d = `${String(tomorrow.getUTCDate()).padStart(2, "0")}/${String(tomorrow.getUTCMonth() + 1).padStart(2, "0")}/${tomorrow.getUTCFullYear()}`;
  await page.getByLabel("Từ ngày").fill(d);
  await page.getByLabel("Từ ngày").blur();
  await expect(page.getByTestId("empty-state")).toContainText("Không có bản ghi nào");
  await page.context().close();
});

test("the remaining pages in English, and the item editor for an image", async ({ browser }) => {
  const page = await openAs(browser, { username: "admin", password: ADMIN_PASSWORD });
  await page.goto(`${c.url}/console/library/items/promo-mau-son`);
  await expect(screenPreview(page).locator("img")).toBeVisible();
  await expect(screenPreview(page)).toContainText("Mẫu Sơn — biển mây trên đỉnh núi");
  await page.waitForTimeout(1_000);
  await expect(page.locator('[data-testid="readability-warning"][data-severity="blocking"]')).toHaveCount(0);
  await shot(page, "15-image-editor");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Edit content promo-mau-son" })).toBeVisible();
  await page.goto(`${c.url}/console/`);
  await expect(page.getByRole("heading", { name: "Screen monitor" })).toBeVisible();
  await shot(page, "16-fleet-en");
  await page.goto(`${c.url}/console/schedules/weekday-rush`);
  await expect(page.getByRole("heading", { name: "Edit schedule weekday-rush" })).toBeVisible();
  await shot(page, "17-schedule-editor-en");
  await page.getByRole("button", { name: "Tiếng Việt" }).click();

  // a tablet in landscape: the same pages, one column where two do not fit
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(`${c.url}/console/`);
  await expect(page.getByTestId("gate-tan-thanh")).toBeVisible();
  await shot(page, "18-tablet-fleet");
  await page.goto(`${c.url}/console/library/items/${NOTICE.id}`);
  await expect(screenPreview(page)).toContainText(NOTICE.titleVi);
  await shot(page, "19-tablet-notice-editor");
});
