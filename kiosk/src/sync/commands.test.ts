import type { AckPayload, CommandName } from "@gatecast/playlists";
import { describe, expect, it } from "vitest";
import { AlertAcks, mergeAlerts } from "./alerts.ts";
import { CommandRunner } from "./commands.ts";

const enc = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));
const cmd = (id: string, name: CommandName) => ({ id, cmd: name, issuedAt: "2026-11-23T00:00:00Z" });
const ID1 = "6f2d1c7e-8a41-4b6e-9a55-0d9f1b2c3d4e";
const ID2 = "7f2d1c7e-8a41-4b6e-9a55-0d9f1b2c3d4e";

function setup() {
  const ran: string[] = [];
  const acks: AckPayload[] = [];
  const invalid: string[] = [];
  const runner = new CommandRunner({
    handlers: {
      reload: async () => void ran.push("reload"),
      identify: async () => void ran.push("identify"),
      screenshot: async () => {
        throw new Error("upload failed: HTTP 401");
      },
      "clear-cache": async () => void ran.push("clear-cache"),
    },
    ack: (a) => acks.push(a),
    now: () => Date.parse("2026-11-23T01:00:00Z"),
    onInvalid: (m) => invalid.push(m),
  });
  return { ran, acks, invalid, runner };
}

describe("CommandRunner", () => {
  it("runs a command and acknowledges it", async () => {
    const { ran, acks, runner } = setup();
    await runner.handle(enc(cmd(ID1, "identify")));
    expect(ran).toEqual(["identify"]);
    expect(acks).toEqual([{ type: "cmd-done", id: ID1, ok: true, at: "2026-11-23T01:00:00.000Z" }]);
  });

  it("runs a command delivered twice once", async () => {
    const { ran, acks, runner } = setup();
    await runner.handle(enc(cmd(ID1, "reload")));
    await runner.handle(enc(cmd(ID1, "reload")));
    expect(ran).toEqual(["reload"]);
    expect(acks).toHaveLength(1);
  });

  it("acknowledges a failure with its reason", async () => {
    const { acks, runner } = setup();
    await runner.handle(enc(cmd(ID2, "screenshot")));
    expect(acks).toEqual([
      { type: "cmd-done", id: ID2, ok: false, error: "upload failed: HTTP 401", at: "2026-11-23T01:00:00.000Z" },
    ]);
  });

  it("drops payloads that are not commands", async () => {
    const { ran, acks, invalid, runner } = setup();
    await runner.handle(enc({ id: "nope", cmd: "format-disk" }));
    await runner.handle(new Uint8Array([0xff, 0x00]));
    expect(ran).toEqual([]);
    expect(acks).toEqual([]);
    expect(invalid).toHaveLength(2);
  });
});

describe("alerts", () => {
  const a = (id: string, vi: string) => ({
    id,
    severity: "info" as const,
    message: { vi, zh: "中文" },
    targets: {},
    startsAt: "2026-11-23T00:00:00Z",
    expiresAt: "2026-11-24T00:00:00Z",
  });

  it("merges manifest and gate alerts by id, the gate's version winning", () => {
    const merged = mergeAlerts([a("x", "manifest"), a("y", "only manifest")], [a("x", "gate"), a("z", "only gate")]);
    expect(merged.map((m) => [m.id, m.message.vi])).toEqual([
      ["x", "gate"],
      ["y", "only manifest"],
      ["z", "only gate"],
    ]);
  });

  it("acknowledges each alert once", () => {
    const acks = new AlertAcks();
    expect(acks.take(["x", "y"])).toEqual(["x", "y"]);
    expect(acks.take(["x", "y", "z"])).toEqual(["z"]);
    acks.forget("x");
    expect(acks.take(["x"])).toEqual(["x"]);
  });
});
