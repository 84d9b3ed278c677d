import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { simCommand } from "../controller/src/cli/commands/sim.ts";
import { ADMIN_PASSWORD, startControllerProcess } from "../harness/controllerProcess.ts";
import { BROKERS } from "../harness/installation.ts";
import { FIGURES, kioskBuilt, markdown, runBench } from "./run.ts";

/**
 * The simulator and every benchmark in their quick variant (20 screens, seconds-long intervals, a short
 * kiosk soak), so that neither rots between real benchmark runs. The figures themselves mean nothing here.
 */
describe("benchmarks and simulator, quick", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("gatecast sim runs screens against a controller and stops cleanly", { timeout: 60_000 }, async () => {
    const c = await startControllerProcess();
    try {
      const lines: string[] = [];
      const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
      const code = await simCommand(
        [
          "--screens",
          "6",
          "--gate",
          "tan-thanh",
          "--controller",
          c.url,
          "--user",
          "admin",
          "--password",
          ADMIN_PASSWORD,
          "--duration",
          "4",
          "--every",
          "1",
        ],
        io,
      );
      const text = lines.join("\n");
      expect(code, text).toBe(0);
      expect(text).toMatch(/credentials issued: 6\/6/);
      expect(text).toMatch(/^\d+s screens 6 · connected 6 · in sync 6 · media ready 6/m);
      expect(text).toMatch(/final: 6 screens/);
      expect(text).toMatch(/errors 0/);
    } finally {
      await c.cleanup();
    }
  });

  it("npm run bench -- --quick measures every figure on both brokers", { timeout: 150_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "gatecast-bench-"));
    dirs.push(dir);
    const log: string[] = [];
    const r = await runBench({
      quick: true,
      soakMinutes: 15 / 60,
      brokers: BROKERS,
      only: new Set(FIGURES),
      out: join(dir, "latest.json"),
      log: (l) => log.push(l),
    });
    const table = markdown(r);
    const soakSkipped = !kioskBuilt();
    const errors = r.errors.filter((e) => !(soakSkipped && e.figure === "soak"));
    expect(errors, `${table}\n${log.join("\n")}`).toEqual([]);
    for (const broker of BROKERS) {
      expect(r.figures.publish.find((p) => p.broker === broker)?.received).toBe(20);
      expect(r.figures.alert.find((a) => a.broker === broker)?.acked).toBe(20);
      const restart = r.figures.restart.find((x) => x.broker === broker);
      expect(restart?.screens).toBe(20);
      expect(restart?.allInSyncMs).toBeGreaterThan(0);
      expect(r.figures.bandwidth.find((b) => b.broker === broker)?.onlyChangedFile).toBe(true);
      expect(r.figures.resources.filter((x) => x.broker === broker).map((x) => x.screens)).toEqual([20, 40]);
      if (!soakSkipped) expect(r.figures.soak.find((s) => s.broker === broker)?.plays).toBeGreaterThan(0);
    }
    expect(table).toContain("## 6. Kiosk soak");
    expect(r.targets.length).toBeGreaterThan(0);
  });
});
