import { HeartbeatPayload } from "@gatecast/playlists";
import { describe, expect, it } from "vitest";
import { buildHeartbeat, ErrorLog } from "./heartbeat.ts";

describe("buildHeartbeat", () => {
  it("produces a payload the controller's schema accepts", () => {
    const log = new ErrorLog(() => 0);
    log.push("manifest-rejected", "signature: bad-signature");
    const hb = buildHeartbeat({
      now: Date.parse("2026-11-23T03:00:00Z"),
      appVersion: "0.1.0+202611230300",
      uptimeMs: 123_456,
      manifestVersion: 4,
      pendingVersion: 5,
      nowPlaying: { playlist: "default", item: "notice-1", since: Date.parse("2026-11-23T02:59:55Z") },
      lastFrameAt: Date.parse("2026-11-23T02:59:59.900Z"),
      media: { ready: 3, total: 7 },
      storage: { usageBytes: 1e6, quotaBytes: 1e9, persisted: true },
      usedJsHeapBytes: 12_345_678,
      errors: log.peek(),
    });
    expect(HeartbeatPayload.parse(hb)).toEqual(hb);
    expect(hb.uptimeS).toBe(123.5);
    expect(hb.errors).toHaveLength(1);
  });

  it("reports nulls when nothing is known", () => {
    const hb = buildHeartbeat({
      now: 0,
      appVersion: "x",
      uptimeMs: -5,
      manifestVersion: null,
      pendingVersion: null,
      nowPlaying: null,
      lastFrameAt: null,
      media: { ready: 0, total: 0 },
      storage: null,
      usedJsHeapBytes: null,
      errors: [],
    });
    expect(HeartbeatPayload.parse(hb)).toEqual(hb);
    expect(hb.uptimeS).toBe(0);
  });
});

describe("ErrorLog", () => {
  it("keeps errors until the heartbeat carrying them was sent", () => {
    const log = new ErrorLog(() => 0);
    log.push("hash-mismatch", "a");
    const first = log.peek();
    log.push("download-failed", "b");
    log.commit(first);
    expect(log.peek().map((e) => e.message)).toEqual(["b"]);
  });

  it("caps at 50 entries and says how many were dropped", () => {
    const log = new ErrorLog(() => 0);
    for (let i = 0; i < 70; i++) log.push("uncaught", `e${i}`);
    const errors = log.peek();
    expect(errors).toHaveLength(50);
    expect(errors[0]?.message).toMatch(/^21 earlier/);
    expect(errors.at(-1)?.message).toBe("e69");
    log.commit(errors);
    expect(log.peek()).toEqual([]);
  });

  it("truncates long messages to the schema's limit", () => {
    const log = new ErrorLog(() => 0);
    log.push("uncaught", "x".repeat(2000));
    expect(log.peek()[0]?.message.length).toBe(500);
  });
});
