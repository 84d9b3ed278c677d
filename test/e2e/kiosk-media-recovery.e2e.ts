import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { adminApi, type ControllerProcess, startControllerProcess } from "../../harness/controllerProcess.ts";
import { manifestVersionOnScreen, publishedManifest, SCREENSHOTS } from "./kioskHelpers.ts";

const SCREEN = "tan-thanh-arrivals-1";

let c: ControllerProcess;
test.beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  c = await startControllerProcess();
});
test.afterAll(async () => {
  await c?.cleanup();
});

/** Puts `bytes` at `file` by renaming a new file over it: imported media are hard links to the sample content. */
async function replaceFile(file: string, bytes: Uint8Array): Promise<void> {
  await writeFile(`${file}.swap`, bytes);
  await rename(`${file}.swap`, file);
}

/**
 * A media file served corrupt for a moment (a disk hiccup, a half-synced mirror) must not wedge a
 * kiosk: it is served `immutable` with its expected hash as ETag, so a retry that revalidates gets a
 * 304 and Chromium's cached corrupt body, for ever. The kiosk fetches with `no-store` and recovers at
 * its next retry once the file is right again.
 */
test("a kiosk recovers from a media file that was corrupt for a moment", async ({ page }) => {
  const manifest = await publishedManifest(c.url, SCREEN);
  const media = manifest.media.find((m) => m.mime.startsWith("image/"));
  if (!media) throw new Error(`no image in ${SCREEN}'s manifest`);
  const file = join(c.dataDir, "media", media.sha256.slice(0, 2), media.sha256);
  const good = await readFile(file);
  // same length, other bytes: only the hash tells
  await replaceFile(
    file,
    good.map((b) => b ^ 0xff),
  );

  await page.goto(`${c.url}/kiosk/?heartbeat=1000`);
  const codeEl = page.locator(".pair-code[data-code]");
  await expect(codeEl).toHaveAttribute("data-code", /^[A-Z0-9]{6}$/, { timeout: 15_000 });
  const api = await adminApi(c.url);
  expect(
    (
      await api("POST", `/api/v1/pairings/${(await codeEl.getAttribute("data-code")) ?? ""}/claim`, {
        screenId: SCREEN,
      })
    ).status,
  ).toBe(200);

  // the kiosk downloads the corrupt file, refuses it and says so in its heartbeat
  await expect
    .poll(
      async () => {
        const r = await api<{ errors: { kind: string; message: string }[] }>("GET", `/api/v1/screens/${SCREEN}`);
        return r.body.errors.some((e) => e.kind === "hash-mismatch" && e.message.includes(media.sha256.slice(0, 12)));
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  await expect(page.locator(".screen[data-manifest-version]")).toHaveCount(0);

  // the file is right again: the next retry (back-off from 1 s) fetches it afresh and the kiosk plays
  await replaceFile(file, good);
  expect(await manifestVersionOnScreen(page, 30_000)).toBe(manifest.version);
  await page.screenshot({ path: `${SCREENSHOTS}/recovered-after-corrupt-media.png` });
});
