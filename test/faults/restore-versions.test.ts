import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ControllerApi, type Fleet, provisionScreens, setupGate, startFleet, waitFor } from "@gatecast/sim";
import { afterAll, describe, expect, it } from "vitest";
import { backup, restore } from "../../controller/src/backup/backup.ts";
import { ADMIN_PASSWORD, type ControllerProcess, startControllerProcess } from "../../harness/controllerProcess.ts";

const GATE = "fault-restore";
const notice = (text: string) => [{ kind: "notice" as const, seconds: 2, text }];

/**
 * Issue 11 item 4: a controller restored from a backup must not issue manifest versions its screens
 * already passed (a kiosk refuses a version that is not newer as a replay, so content would freeze until
 * the counter climbed back). Backup, two releases the screen takes, restore, one release: the screen
 * must take it.
 */
describe("manifest versions across a restore", () => {
  let c: ControllerProcess | null = null;
  let fleet: Fleet | null = null;
  const dirs: string[] = [];
  afterAll(async () => {
    await fleet?.stop();
    await c?.cleanup();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("a screen accepts the first release made after a restore", { timeout: 90_000 }, async () => {
    const first = await startControllerProcess();
    c = first;
    const api = await ControllerApi.connect(first.url, { user: "admin", password: ADMIN_PASSWORD });
    await setupGate(api, { gate: GATE, items: notice("before the backup") });
    const creds = await provisionScreens(api, { count: 1, gates: [GATE] });
    const f = startFleet({ controllerUrl: first.url, credentials: creds, rampPerSecond: Number.POSITIVE_INFINITY });
    fleet = f;
    const screen = f.screens[0];
    if (!screen) throw new Error("no screen");
    await waitFor(() => (screen.inSync ? true : undefined), 20_000, "the screen's first manifest");

    const dir = await mkdtemp(join(tmpdir(), "gatecast-restore-test-"));
    dirs.push(dir);
    const archive = join(dir, "backup.tar.gz");
    await backup(first.dataDir, archive);

    for (const text of ["after the backup, 1", "after the backup, 2"]) {
      const seen = screen.currentVersion ?? 0;
      await setupGate(api, { gate: GATE, items: notice(text) });
      await waitFor(
        () => ((screen.currentVersion ?? 0) > seen && screen.inSync ? true : undefined),
        20_000,
        `the screen taking "${text}"`,
      );
    }
    const held = screen.currentVersion ?? 0;

    // the operator restores last night's backup on the same machine and starts the controller again
    await first.stop();
    await restore(archive, first.dataDir, { force: true });
    c = await first.restart();
    const api2 = await ControllerApi.connect(c.url, { user: "admin", password: ADMIN_PASSWORD });
    await setupGate(api2, { gate: GATE, items: notice("after the restore") });

    await waitFor(
      () => {
        const m = screen.snapshot.current?.manifest;
        const item = m?.items.find((i) => i.kind === "notice");
        return item?.kind === "notice" && item.body.vi === "after the restore" && screen.inSync ? true : undefined;
      },
      30_000,
      () =>
        `the screen showing the release made after the restore (holds ${screen.currentVersion}, had ${held}; last error ${screen.stats.lastError})`,
    );
    expect(screen.currentVersion ?? 0).toBeGreaterThan(held);
  });
});
