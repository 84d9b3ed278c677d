import { request } from "node:http";
import { MAX_SCREENSHOT_BYTES, PUBLIC_JSON_MAX_BYTES } from "@gatecast/playlists/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, startTestController, type TestController } from "../../controller/src/testing/harness.ts";

let t: TestController;

beforeAll(async () => {
  t = await startTestController();
});
afterAll(() => t?.stop());

interface Sent {
  status: number;
  body: string;
  /** Bytes written before the answer came. */
  sent: number;
}

/**
 * Sends a body of `total` bytes (declared in Content-Length, or chunked when `declare` is false) in
 * 64 KB pieces, each only after the last was taken, and stops as soon as an answer comes: what the
 * controller read is at most what was sent by then.
 */
function sendLarge(path: string, total: number, opts: { declare: boolean; headers?: Record<string, string> }) {
  return new Promise<Sent>((resolve, reject) => {
    const url = new URL(path, t.url);
    let sent = 0;
    let done = false;
    const req = request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(opts.declare ? { "content-length": String(total) } : { "transfer-encoding": "chunked" }),
        ...opts.headers,
      },
    });
    req.on("response", (res) => {
      done = true;
      let body = "";
      res.on("data", (d: Buffer) => {
        body += d.toString();
      });
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body, sent });
        req.destroy();
      });
    });
    req.on("error", (e) => (done ? undefined : reject(e)));
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!done && sent >= total) req.end();
    };
    req.write('{"username":"admin","password":"');
    pump();
  });
}

describe("body sizes are limited before a body is read", () => {
  it("a 200 MB login body is refused with 413 at once, after a fraction of it was sent, memory flat", async () => {
    const rssBefore = process.memoryUsage().rss;
    const r = await sendLarge("/api/v1/auth/login", 200 * 1024 * 1024, { declare: true });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ code: "too-large", params: { maxBytes: PUBLIC_JSON_MAX_BYTES } });
    expect(r.sent).toBeLessThan(20 * 1024 * 1024);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it("a chunked login body without Content-Length is cut off once it passes the limit", async () => {
    const r = await sendLarge("/api/v1/auth/login", 200 * 1024 * 1024, { declare: false });
    expect(r.status).toBe(413);
    expect(r.sent).toBeLessThan(20 * 1024 * 1024);
  });

  it("three parallel 150 MB bodies do not grow the controller", async () => {
    const rssBefore = process.memoryUsage().rss;
    const all = await Promise.all(
      [0, 1, 2].map(() => sendLarge("/api/v1/auth/login", 150 * 1024 * 1024, { declare: false })),
    );
    expect(all.map((r) => r.status)).toEqual([413, 413, 413]);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it(`the screenshot route refuses more than ${MAX_SCREENSHOT_BYTES} bytes before buffering, even unauthenticated`, async () => {
    const r = await sendLarge("/api/v1/screens/huu-nghi-arrivals-1/screenshot", 50 * 1024 * 1024, {
      declare: true,
      headers: { "content-type": "image/jpeg" },
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ params: { maxBytes: MAX_SCREENSHOT_BYTES } });
    expect(r.sent).toBeLessThan(20 * 1024 * 1024);
  });

  it("ordinary bodies still pass: a login and a content write", async () => {
    const admin = new ApiClient(t.url);
    expect((await admin.login()).status).toBe(200);
    const hosts = await admin.json<{ hosts: string[] }>("GET", "/api/v1/web-hosts");
    expect((await admin.json("PUT", "/api/v1/web-hosts", hosts.body)).status).toBe(200);
  });
});
