import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { verifyMqttPassword } from "../auth/passwords.ts";
import { main } from "./main.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
const CONTENT = join(ROOT, "playlists/content");

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function resolveAt(screen: string, at: string) {
  const r = await run("resolve", "--screen", screen, "--at", at, CONTENT);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as { playlist: string; item: string; alerts: string[]; schedule: string | null };
}

/** The controller's hash in a Mosquitto passwd file. */
const controllerHash = (passwd: string) =>
  passwd
    .split("\n")
    .find((l) => l.startsWith("gatecast-controller:"))
    ?.slice("gatecast-controller:".length) ?? "";

const tmp: string[] = [];
afterAll(async () => {
  await Promise.all(tmp.map((d) => rm(d, { recursive: true, force: true })));
});

describe("gatecast help", () => {
  it("lines every command's description up in one column, broker-config included", async () => {
    const r = await run("help");
    expect(r.code).toBe(0);
    const lines = r.out.split("\n").filter((l) => /^ {2}\S/.test(l));
    expect(lines.map((l) => l.trim().split(" ")[0])).toContain("broker-config");
    expect(new Set(lines.map((l) => /^ {2}\S+\s+/.exec(l)?.[0].length)).size).toBe(1);
  });
});

describe("gatecast validate", () => {
  it("accepts the sample content with a one-line summary", async () => {
    const r = await run("validate", CONTENT);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")).toHaveLength(1);
    expect(r.out).toMatch(/^valid: .*2 gates, [5-9] screens, \d+ items/);
  });

  it("exits 1 with one line per problem and no stack trace", async () => {
    const r = await run("validate", "/nonexistent/content");
    expect(r.code).toBe(1);
    expect(r.err).toBe("/nonexistent/content: content folder not found\n1 problem in /nonexistent/content");
  });
});

describe("gatecast resolve on the sample content", () => {
  it("rush hour on a weekday morning at the arrivals hall", async () => {
    // 2026-11-23 is a Monday
    const r = await resolveAt("huu-nghi-arrivals-1", "2026-11-23T07:15:00+07:00");
    expect(r).toMatchObject({ playlist: "rush-hour", schedule: "weekday-rush", alerts: [] });
    expect(typeof r.item).toBe("string");
  });

  it("the same instant given in UTC resolves the same", async () => {
    expect(await resolveAt("huu-nghi-arrivals-1", "2026-11-23T00:15:00Z")).toEqual(
      await resolveAt("huu-nghi-arrivals-1", "2026-11-23T07:15:00+07:00"),
    );
  });

  it("the gate's default playlist outside any schedule", async () => {
    expect(await resolveAt("huu-nghi-arrivals-1", "2026-11-23T12:00:00+07:00")).toMatchObject({
      playlist: "huu-nghi-default",
      schedule: null,
    });
    expect(await resolveAt("tan-thanh-arrivals-1", "2026-11-23T12:00:00+07:00")).toMatchObject({
      playlist: "tan-thanh-default",
    });
  });

  it("the weekend playlist on a Saturday", async () => {
    expect(await resolveAt("tan-thanh-arrivals-1", "2026-11-28T10:00:00+07:00")).toMatchObject({
      playlist: "weekend",
      schedule: "weekend",
    });
  });

  it("Tết wins over the weekend schedule", async () => {
    // 2027-02-06 is a Saturday inside the Tết dates
    expect(await resolveAt("huu-nghi-arrivals-1", "2027-02-06T10:00:00+07:00")).toMatchObject({
      playlist: "tet",
      schedule: "tet",
    });
  });

  it("the lorry lanes' night window crosses midnight and belongs to the day it starts", async () => {
    // Friday 22:00 to Saturday 06:00 is Friday's occurrence
    expect(await resolveAt("huu-nghi-lorry-1", "2026-11-28T02:00:00+07:00")).toMatchObject({
      playlist: "lorry-night",
      schedule: "lorry-night",
    });
    // Saturday night is not scheduled: Sunday 02:00 plays the default
    expect(await resolveAt("huu-nghi-lorry-1", "2026-11-29T02:00:00+07:00")).toMatchObject({
      playlist: "huu-nghi-default",
      schedule: null,
    });
  });

  it("a clear error for an unknown screen or a bad instant", async () => {
    const unknown = await run("resolve", "--screen", "nope", "--at", "2026-11-23T07:00:00+07:00", CONTENT);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^gatecast resolve: unknown screen "nope" in .* \(known: .*huu-nghi-arrivals-1/);
    const badAt = await run("resolve", "--screen", "huu-nghi-arrivals-1", "--at", "tomorrow", CONTENT);
    expect(badAt.code).toBe(2);
    expect(badAt.err).toMatch(/^gatecast resolve: --at: expected an ISO 8601 date-time/);
  });
});

describe("gatecast keygen, sign, verify", () => {
  it("signs a payload that verifies with the public key, and refuses a tampered one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gatecast-keys-"));
    tmp.push(dir);
    const keyFile = join(dir, "key.json");
    const gen = await run("keygen", "--out", keyFile);
    expect(gen.code).toBe(0);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const jwks = JSON.parse(gen.out);
    expect(jwks.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    expect(jwks.keys[0].d).toBeUndefined();
    await writeFile(join(dir, "jwks.json"), gen.out);
    expect((await run("keygen", "--out", keyFile)).err).toMatch(/exists: pass --force/);

    await writeFile(join(dir, "payload.json"), JSON.stringify({ hello: "xin chào", zh: "你好" }));
    const signed = await run("sign", "--key", keyFile, join(dir, "payload.json"));
    expect(signed.code).toBe(0);
    await writeFile(join(dir, "envelope.json"), signed.out);
    const ok = await run("verify", join(dir, "envelope.json"), "--key", join(dir, "jwks.json"));
    expect(ok).toMatchObject({ code: 0, out: expect.stringMatching(/^valid: /) });

    const envelope = JSON.parse(await readFile(join(dir, "envelope.json"), "utf8"));
    envelope.payload.hello = "tạm biệt";
    await writeFile(join(dir, "tampered.json"), JSON.stringify(envelope));
    const bad = await run("verify", join(dir, "tampered.json"), "--key", join(dir, "jwks.json"));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/invalid: .*bad-signature/);
  });
});

describe("the gatecast binary", () => {
  it("runs from the root package and exits non-zero without a stack trace on bad input", async () => {
    const exec = promisify(execFile);
    const result = await exec(process.execPath, [join(ROOT, "bin/gatecast.js"), "validate", "/nonexistent"]).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toContain("content folder not found");
  });
});

describe("gatecast broker-config", () => {
  it("writes central files with the controller, gate bridges and every paired screen, and edge files per gate", async () => {
    const { startTestController } = await import("../testing/harness.ts");
    const t = await startTestController();
    t.controller.ctx.pairings.issueCredentials("huu-nghi-arrivals-1");
    t.controller.ctx.pairings.issueCredentials("tan-thanh-lorry-1");
    await t.stop({ removeData: false });
    const out = await mkdtemp(join(tmpdir(), "gatecast-broker-"));
    tmp.push(out, t.dataDir);
    const saved = { ...process.env };
    Object.assign(process.env, { DATA_DIR: t.dataDir, MQTT_PASSWORD: "controller-secret-123" });
    try {
      const central = await run("broker-config", out);
      expect(central.code).toBe(0);
      const passwd = await readFile(join(out, "passwd"), "utf8");
      const acl = await readFile(join(out, "acl"), "utf8");
      expect(
        passwd
          .split("\n")
          .filter(Boolean)
          .map((l) => l.split(":")[0]),
      ).toEqual([
        "gatecast-controller",
        "gatecast-edge-huu-nghi",
        "gatecast-edge-tan-thanh",
        "screen.huu-nghi-arrivals-1",
        "screen.tan-thanh-lorry-1",
      ]);
      expect(passwd).toMatch(/^gatecast-controller:\$7\$\d+\$/);
      // MQTT_PASSWORD counts without MQTT_URL, and no controller.env is made beside it
      expect(verifyMqttPassword("controller-secret-123", controllerHash(passwd))).toBe(true);
      expect(existsSync(join(out, "controller.env"))).toBe(false);
      expect(acl).toContain("user screen.tan-thanh-lorry-1\ntopic read gatecast/v1/screens/tan-thanh-lorry-1/manifest");
      expect(acl).toContain("topic read gatecast/v1/gates/tan-thanh/alert");
      const secret = await readFile(join(out, "bridge-huu-nghi.secret"), "utf8");
      await run("broker-config", out);
      expect(await readFile(join(out, "bridge-huu-nghi.secret"), "utf8")).toBe(secret);

      const edge = join(out, "edge");
      expect((await run("broker-config", edge, "--gate", "tan-thanh")).code).toBe(0);
      expect(
        (await readFile(join(edge, "passwd"), "utf8"))
          .trim()
          .split("\n")
          .map((l) => l.split(":")[0]),
      ).toEqual(["screen.tan-thanh-lorry-1"]);
      expect((await run("broker-config", edge, "--gate", "nowhere")).err).toMatch(/unknown gate "nowhere"/);
    } finally {
      process.env = saved;
    }
  });
});

describe("gatecast broker-config without MQTT_PASSWORD", () => {
  it("makes the controller's password once in controller.env and never overwrites it", async () => {
    const { startTestController } = await import("../testing/harness.ts");
    const t = await startTestController();
    await t.stop({ removeData: false });
    const out = await mkdtemp(join(tmpdir(), "gatecast-broker-"));
    tmp.push(out, t.dataDir);
    const saved = { ...process.env };
    Object.assign(process.env, { DATA_DIR: t.dataDir });
    delete process.env.MQTT_PASSWORD;
    try {
      const first = await run("broker-config", out);
      expect(first.code).toBe(0);
      expect(first.err).toMatch(/made one for the controller in .*controller\.env/);
      const env = await readFile(join(out, "controller.env"), "utf8");
      expect((await stat(join(out, "controller.env"))).mode & 0o777).toBe(0o600);
      const password = /^MQTT_PASSWORD=(.+)$/m.exec(env)?.[1] ?? "";
      expect(password.length).toBeGreaterThanOrEqual(32);

      const again = await run("broker-config", out);
      expect(again.code).toBe(0);
      expect(await readFile(join(out, "controller.env"), "utf8")).toBe(env);
      const passwd = await readFile(join(out, "passwd"), "utf8");
      expect(verifyMqttPassword(password, controllerHash(passwd))).toBe(true);

      await writeFile(join(out, "controller.env"), "MQTT_USERNAME=gatecast-controller\n");
      const broken = await run("broker-config", out);
      expect(broken.code).toBe(1);
      expect(broken.err).toMatch(/controller\.env has no MQTT_PASSWORD line/);
    } finally {
      process.env = saved;
    }
  });
});

describe("gatecast import", () => {
  it("loads a content folder into the draft, and refuses a broken one without changing anything", async () => {
    const { startTestController } = await import("../testing/harness.ts");
    const { Store } = await import("../store/index.ts");
    const { cp } = await import("node:fs/promises");
    const t = await startTestController();
    await t.stop({ removeData: false });
    const content = await mkdtemp(join(tmpdir(), "gatecast-import-"));
    tmp.push(content, t.dataDir);
    await cp(CONTENT, content, { recursive: true });
    const notices = join(content, "notices.yaml");
    const text = await readFile(notices, "utf8");
    await writeFile(notices, text.replace("Hộ chiếu và thị thực", "Hộ chiếu và thị thực (mới)"));
    const saved = { ...process.env };
    Object.assign(process.env, { DATA_DIR: t.dataDir });
    try {
      const ok = await run("import", content);
      expect(ok.code).toBe(0);
      expect(ok.out).toMatch(/imported .* into the draft/);
      const store = await Store.open(t.dataDir);
      const item = store.draft.get("items", "notice-passport-visa");
      expect(item?.kind === "notice" && item.title.vi).toBe("Hộ chiếu và thị thực (mới)");
      expect(store.releases.list()).toHaveLength(1);
      store.close();

      await writeFile(
        notices,
        text.replace("Hộ chiếu và thị thực", "Đổi lần nữa").replace("      zh: 护照与签证\n", ""),
      );
      const bad = await run("import", content);
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/notices\.yaml items\[\d+\]\.title\.zh/);
      const after = await Store.open(t.dataDir);
      const unchanged = after.draft.get("items", "notice-passport-visa");
      expect(unchanged?.kind === "notice" && unchanged.title.vi).toBe("Hộ chiếu và thị thực (mới)");
      after.close();
    } finally {
      process.env = saved;
    }
  });
});
