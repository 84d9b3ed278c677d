import { type ChildProcess, spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DisplayHookStatus } from "@gatecast/playlists";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../harness/mosquitto.ts";

const HOOK = resolve(import.meta.dirname, "../../deploy/kiosk/gatecast-display-hook");
const KIOSK_ORIGIN = "https://gatecast.langson.example";

/**
 * A stand-in for Debian's cec-ctl (v4l-utils): logs its arguments, keeps the panel's power in a file
 * and answers the way cec-ctl prints a TV's REPORT_POWER_STATUS. `fail` makes every call fail as a
 * panel that does not acknowledge (nack) would.
 */
const FAKE_CEC = `#!/usr/bin/env bash
echo "$*" >> "$FAKE_DIR/cec.log"
[ -f "$FAKE_DIR/fail" ] && { echo "CEC_TRANSMIT: Transmit failed (nack)" >&2; exit 1; }
state="$FAKE_DIR/power"
case "$*" in
  *--standby*) echo standby > "$state"; echo "Transmit from Playback Device 1 to TV (4 to 0): STANDBY (0x36)" ;;
  *--image-view-on*) echo on > "$state"; echo "Transmit from Playback Device 1 to TV (4 to 0): IMAGE_VIEW_ON (0x04)" ;;
  *--give-device-power-status*)
    echo "Transmit from Playback Device 1 to TV (4 to 0): GIVE_DEVICE_POWER_STATUS (0x8f)"
    echo "    Received from TV (0 to 4): REPORT_POWER_STATUS (0x90):"
    echo "        pwr-state: $(cat "$state" 2>/dev/null || echo on) (0x00)" ;;
  *--playback*|*--active-source*) ;;
  *) echo "Physical Address            : 1.0.0.0" ;;
esac
`;
/** wlopm (wlr-output-power-management) as the compositor fallback. */
const FAKE_WLOPM = `#!/usr/bin/env bash
echo "wlopm $*" >> "$FAKE_DIR/cec.log"
case "$1" in
  --off) echo off > "$FAKE_DIR/dpms" ;;
  --on) echo on > "$FAKE_DIR/dpms" ;;
  *) echo "HDMI-A-1 $(cat "$FAKE_DIR/dpms" 2>/dev/null || echo on)" ;;
esac
`;

interface Hook {
  url: string;
  dir: string;
  proc: ChildProcess;
  output: () => string;
  log: () => Promise<string[]>;
  stop: () => Promise<void>;
}

async function startHook(opts: { cec?: boolean; wlopm?: boolean; env?: Record<string, string> } = {}): Promise<Hook> {
  const dir = await mkdtemp(join(tmpdir(), "gatecast-hook-"));
  const bin = join(dir, "bin");
  await writeFile(join(dir, "cec.log"), "");
  await mkdir(bin);
  if (opts.cec !== false) {
    await writeFile(join(bin, "cec-ctl"), FAKE_CEC);
    await chmod(join(bin, "cec-ctl"), 0o755);
    await writeFile(join(dir, "cec0"), "");
  }
  if (opts.wlopm) {
    await writeFile(join(bin, "wlopm"), FAKE_WLOPM);
    await chmod(join(bin, "wlopm"), 0o755);
  }
  const port = await freePort();
  const proc = spawn("python3", [HOOK], {
    env: {
      // only the fakes and the basics: no real cec-ctl, wlopm or wlr-randr of this machine
      PATH: `${bin}:/usr/bin:/bin`,
      FAKE_DIR: dir,
      GATECAST_DISPLAY_HOOK_PORT: String(port),
      GATECAST_CEC_DEVICE: join(dir, "cec0"),
      GATECAST_KIOSK_ORIGIN: KIOSK_ORIGIN,
      ...(opts.wlopm ? { WAYLAND_DISPLAY: "wayland-0" } : {}),
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const url = `http://127.0.0.1:${port}/display`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`display hook exited ${proc.exitCode}: ${out}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`display hook did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    dir,
    proc,
    output: () => out,
    log: async () => (await readFile(join(dir, "cec.log"), "utf8")).split("\n").filter(Boolean),
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const status = async (res: Response) => DisplayHookStatus.parse(await res.json());
const post = (url: string, body: string, origin = KIOSK_ORIGIN) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", origin }, body });

describe("display hook (deploy/kiosk/gatecast-display-hook) over HDMI-CEC", () => {
  let hook: Hook;
  beforeAll(async () => {
    hook = await startHook();
  });
  afterAll(async () => {
    await hook?.stop();
  });

  it("puts the panel to sleep and wakes it with cec-ctl, and reads its power back", async () => {
    expect(await status(await fetch(hook.url))).toEqual({ requested: null, power: "on", via: "cec", error: null });
    const off = await post(hook.url, JSON.stringify({ state: "off" }));
    expect(off.headers.get("access-control-allow-origin")).toBe(KIOSK_ORIGIN);
    expect(await status(off)).toEqual({ requested: "off", power: "standby", via: "cec", error: null });
    expect(await hook.log()).toContain(`-d ${join(hook.dir, "cec0")} --to 0 --standby`);
    const on = await status(await post(hook.url, "on")); // a bare body, as from curl
    expect(on).toMatchObject({ requested: "on", power: "on", via: "cec" });
    const log = await hook.log();
    expect(log).toContain(`-d ${join(hook.dir, "cec0")} --to 0 --image-view-on`);
    expect(log).toContain(`-d ${join(hook.dir, "cec0")} --to 0 --active-source phys-addr=1.0.0.0`);
  });

  it("answers Chromium's private-network preflight for the kiosk's origin only", async () => {
    const preflight = (origin: string) =>
      fetch(hook.url, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
          "access-control-request-private-network": "true",
        },
      });
    const ok = await preflight(KIOSK_ORIGIN);
    expect(ok.status).toBe(204);
    expect(Object.fromEntries(ok.headers)).toMatchObject({
      "access-control-allow-origin": KIOSK_ORIGIN,
      "access-control-allow-methods": "GET, POST",
      "access-control-allow-headers": "content-type",
      "access-control-allow-private-network": "true",
    });
    expect((await preflight("https://evil.example")).status).toBe(403);
    expect((await post(hook.url, '{"state":"off"}', "https://evil.example")).status).toBe(403);
  });

  it("refuses what it does not understand and keeps serving", async () => {
    expect((await post(hook.url, '{"state":"dim"}')).status).toBe(400);
    expect((await post(hook.url, "not json {")).status).toBe(400);
    expect((await fetch(hook.url.replace("/display", "/other"))).status).toBe(404);
    expect((await fetch(hook.url)).status).toBe(200);
  });

  it("a panel that stops answering CEC: the error is reported, the hook stays up", async () => {
    await writeFile(join(hook.dir, "fail"), "");
    const r = await status(await post(hook.url, '{"state":"off"}'));
    expect(r).toMatchObject({ requested: "off", power: "unknown", via: "cec" });
    expect(r.error).toMatch(/nack/);
    await rm(join(hook.dir, "fail"));
    expect(await status(await post(hook.url, '{"state":"on"}'))).toMatchObject({ power: "on", error: null });
  });
});

describe("display hook without CEC", () => {
  const started: Hook[] = [];
  afterEach(async () => {
    for (const h of started.splice(0)) await h.stop();
  });

  it("uses the compositor's DPMS (wlopm) when no panel answers CEC", async () => {
    const h = await startHook({ cec: false, wlopm: true });
    started.push(h);
    expect(await status(await post(h.url, '{"state":"off"}'))).toEqual({
      requested: "off",
      power: "standby",
      via: "dpms",
      error: null,
    });
    expect(await h.log()).toContain("wlopm --off *");
  });

  it("with neither, says so: via none, power unknown (the kiosk still shows black)", async () => {
    const h = await startHook({ cec: false });
    started.push(h);
    expect(await status(await post(h.url, '{"state":"off"}'))).toEqual({
      requested: "off",
      power: "unknown",
      via: "none",
      error: null,
    });
  });
});
