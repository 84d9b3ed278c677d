import { readdir } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { topics } from "@gatecast/playlists";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../testing/harness.ts";
import { startTestController, type TestController, waitFor } from "../../testing/harness.ts";
import { loginAs, userWithRole } from "../testUsers.ts";

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082",
  "hex",
);

let t: TestController;
let admin: ApiClient;
let editor: ApiClient;
let viewer: ApiClient;

beforeAll(async () => {
  t = await startTestController({ env: { MEDIA_MAX_BYTES: "4096" } });
  admin = await loginAs(t.url);
  editor = (await userWithRole(admin, "editor")).client;
  viewer = (await userWithRole(admin, "viewer")).client;
});
afterAll(async () => {
  await t.stop();
});

async function upload(client: ApiClient, bytes: Uint8Array, name = "x.png") {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(`${t.url}/api/v1/media`, { method: "POST", body: form, headers: client.authHeaders("POST") });
  return { status: res.status, body: (await res.json()) as { sha256?: string; error?: string } };
}

const partFiles = async () => (await readdir(join(t.dataDir, "media", "tmp"))).length;

describe("media", () => {
  it("stores an upload once by sha256 and serves it with ETag, Range and immutable caching", async () => {
    const first = await upload(editor, PNG, "dot.png");
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ bytes: PNG.length, mime: "image/png" });
    const again = await upload(editor, PNG, "copy.png");
    expect(again.body.sha256).toBe(first.body.sha256);
    expect(t.controller.ctx.store.media.list().filter((m) => m.sha256 === first.body.sha256)).toHaveLength(1);

    const url = `${t.url}/media/${first.body.sha256}`;
    const full = await fetch(url);
    expect(full.headers.get("cache-control")).toContain("immutable");
    expect(full.headers.get("access-control-allow-origin")).toBe("*");
    expect(Buffer.from(await full.arrayBuffer())).toEqual(PNG);
    const etag = full.headers.get("etag") ?? "";
    expect((await fetch(url, { headers: { "if-none-match": etag } })).status).toBe(304);
    const part = await fetch(url, { headers: { range: "bytes=1-3" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 1-3/${PNG.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(PNG.subarray(1, 4));
    expect((await fetch(url, { headers: { range: "bytes=999-" } })).status).toBe(416);
  });

  it("refuses files over the limit or of the wrong type, leaving nothing behind", async () => {
    const before = t.controller.ctx.store.media.list().length;
    const big = new Uint8Array(8000);
    big.set(PNG);
    const tooBig = await upload(editor, big);
    expect(tooBig.status).toBe(413);
    const script = await upload(editor, new TextEncoder().encode("#!/bin/sh\nrm -rf /\n"));
    expect(script.status).toBe(415);
    expect(t.controller.ctx.store.media.list().length).toBe(before);
    expect(await partFiles()).toBe(0);
  });

  it("leaves no partial file when an upload is cut off mid-stream", async () => {
    const before = t.controller.ctx.store.media.list().length;
    const port = new URL(t.url).port;
    const boundary = "----gatecastcut";
    await new Promise<void>((resolve) => {
      const req = request({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/v1/media",
        headers: {
          "content-type": `multipart/form-data; boundary=${boundary}`,
          // under the limit, so the upload starts (a larger declared length is refused before reading)
          "content-length": "60000",
          ...editor.authHeaders("POST"),
        },
      });
      req.on("error", () => resolve());
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.png"\r\n\r\n`);
      req.write(PNG);
      setImmediate(() => {
        req.destroy();
        resolve();
      });
    });
    await waitFor(async () => ((await partFiles()) === 0 ? true : undefined), 5_000, "temp file removed");
    expect(t.controller.ctx.store.media.list().length).toBe(before);
  });

  it("viewers cannot upload; media paths cannot escape the store", async () => {
    expect((await upload(viewer, PNG)).status).toBe(403);
    for (const path of ["/media/..%2F..%2Fgatecast.db", "/media/../signing-key.json", `/media/${"0".repeat(64)}`]) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('"d"');
    }
    const kiosk = await fetch(`${t.url}/kiosk/..%2F..%2Fdata/signing-key.json`);
    expect(await kiosk.text()).not.toContain('"d":');
  });
});

describe("pairing", () => {
  it("a screen pairs through the API and gets its credentials exactly once", async () => {
    const created = await fetch(`${t.url}/api/v1/pairings`, { method: "POST" });
    expect(created.status).toBe(201);
    const { pairingId, code } = (await created.json()) as { pairingId: string; code: string };
    expect(code).toMatch(/^[ACDEFGHJKMNPQRTUVWXY34679]{6}$/);
    expect(await (await fetch(`${t.url}/api/v1/pairings/${pairingId}`)).json()).toMatchObject({
      status: "pending",
      code,
    });

    expect(
      (await editor.json("POST", `/api/v1/pairings/${code}/claim`, { screenId: "tan-thanh-arrivals-1" })).status,
    ).toBe(403);
    const wrong = await admin.json("POST", "/api/v1/pairings/AAAAAA/claim", { screenId: "tan-thanh-arrivals-1" });
    expect(wrong.status).toBe(404);
    const claim = await admin.json("POST", `/api/v1/pairings/${code.toLowerCase()}/claim`, {
      screenId: "tan-thanh-hall-2",
      gate: "tan-thanh",
      name: "Sảnh chờ — màn hình 2",
      tags: ["arrivals"],
    });
    expect(claim).toEqual({ status: 200, body: { screenId: "tan-thanh-hall-2", gate: "tan-thanh" } });

    const poll = (await (await fetch(`${t.url}/api/v1/pairings/${pairingId}`)).json()) as {
      status: string;
      mqtt: { url: string; wsUrl: string; username: string; password: string };
      jwks: { keys: unknown[] };
    };
    expect(poll.status).toBe("claimed");
    expect(poll.mqtt.wsUrl).toBe(`${t.url.replace("http", "ws")}/mqtt`);
    expect(poll.jwks.keys).toHaveLength(1);
    expect((await fetch(`${t.url}/api/v1/pairings/${pairingId}`)).status).toBe(404);

    // the new screen can connect and gets its manifest
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.controller.mqttPort}`, {
      ...poll.mqtt,
      clientId: `${poll.mqtt.username}.test`,
      reconnectPeriod: 0,
    });
    const got = new Promise<Buffer>((resolve) => client.on("message", (_t, p) => resolve(p)));
    await client.subscribeAsync(topics.manifest("tan-thanh-hall-2"), { qos: 1 });
    expect(JSON.parse((await got).toString()).payload.screenId).toBe("tan-thanh-hall-2");
    await client.endAsync();
  });

  it("hands a pairing kiosk broker URLs from where it connected, never from a Host header it sent", async () => {
    const { pairingId, code } = (await (await fetch(`${t.url}/api/v1/pairings`, { method: "POST" })).json()) as {
      pairingId: string;
      code: string;
    };
    const claim = await admin.json("POST", `/api/v1/pairings/${code}/claim`, { screenId: "tan-thanh-arrivals-1" });
    expect(claim.status).toBe(200);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({
        host: "127.0.0.1",
        port: new URL(t.url).port,
        path: `/api/v1/pairings/${pairingId}`,
        headers: { host: "attacker.example:9999", "x-forwarded-proto": "https" },
      });
      req.on("response", (res) => {
        let text = "";
        res.on("data", (d: Buffer) => {
          text += d.toString();
        });
        res.on("end", () => resolve(text));
      });
      req.on("error", reject);
      req.end();
    });
    const poll = JSON.parse(body) as { status: string; mqtt: { url: string; wsUrl: string } };
    expect(poll.status).toBe("claimed");
    expect(body).not.toContain("attacker.example");
    expect(poll.mqtt.wsUrl).toBe(`${t.url.replace("http", "ws")}/mqtt`);
    expect(poll.mqtt.url).toBe(`mqtt://127.0.0.1:${t.controller.mqttPort}`);
  });

  it("a wrong or expired code creates no screen (the code is checked first)", async () => {
    const before = t.controller.ctx.store.draft.list("screens").length;
    const wrong = await admin.json<{ code: string }>("POST", "/api/v1/pairings/AAAAAA/claim", {
      screenId: "huu-nghi-ghost-1",
      gate: "huu-nghi",
      name: "Không có mã",
    });
    expect(wrong.status).toBe(404);
    expect(wrong.body.code).toBe("not-found");
    expect(t.controller.ctx.store.draft.get("screens", "huu-nghi-ghost-1")).toBeUndefined();
    expect(t.controller.ctx.store.draft.list("screens")).toHaveLength(before);
    const log = t.controller.ctx.store.audit.list({ objectKind: "screen", objectId: "huu-nghi-ghost-1" });
    expect(log).toEqual([]);
  });

  it("rate-limits pairing requests per address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await fetch(`${t.url}/api/v1/pairings`, { method: "POST" })).status);
    expect(statuses).toContain(429);
  });
});

describe("urgent notices", () => {
  const base = {
    severity: "critical",
    message: { vi: "Tạm dừng thông quan do sự cố", zh: "因故暂停通关" },
    targets: { gates: ["huu-nghi"] },
    startsAt: "2026-11-23T02:00:00Z",
    expiresAt: "2030-11-23T04:00:00Z",
  };

  it("needs Chinese, a future expiry and at least one target screen", async () => {
    const approver = (await userWithRole(admin, "approver")).client;
    const noZh = await approver.json<{ issues: { path: string }[] }>("POST", "/api/v1/alerts", {
      ...base,
      id: "a1",
      message: { vi: "x" },
    });
    expect(noZh.status).toBe(400);
    expect(noZh.body.issues.map((i) => i.path)).toContain("message.zh");
    expect(
      (await approver.json("POST", "/api/v1/alerts", { ...base, id: "a2", targets: { gates: ["nowhere"] } })).status,
    ).toBe(400);
    expect((await editor.json("POST", "/api/v1/alerts", { ...base, id: "a3" })).status).toBe(403);
    expect(t.controller.ctx.store.alerts.list()).toHaveLength(0);
  });

  it("publishes a signed gate alert, counts acks from targeted screens, and clears on cancel", async () => {
    const sent = await admin.json<{ targetedScreens: string[] }>("POST", "/api/v1/alerts", {
      ...base,
      id: "huu-nghi-closed",
    });
    expect(sent.status).toBe(201);
    expect(sent.body.targetedScreens).toEqual(["huu-nghi-arrivals-1", "huu-nghi-departures-1", "huu-nghi-lorry-1"]);
    const published = await waitFor(
      () => t.controller.ctx.store.published.gate("huu-nghi")?.envelope ?? undefined,
      5_000,
      "gate alert",
    );
    expect(JSON.parse(published).payload.alerts[0].id).toBe("huu-nghi-closed");

    const issued = t.controller.ctx.pairings.issueCredentials("huu-nghi-arrivals-1");
    const screen = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.controller.mqttPort}`, {
      ...issued,
      clientId: `${issued.username}.test`,
      reconnectPeriod: 0,
    });
    await screen.publishAsync(
      topics.ack("huu-nghi-arrivals-1"),
      JSON.stringify({ type: "alert-shown", alert: "huu-nghi-closed", at: new Date().toISOString() }),
      { qos: 1 },
    );
    const acked = await waitFor(
      async () => {
        const r = await viewer.json<{ ackCount: number }>("GET", "/api/v1/alerts/huu-nghi-closed");
        return r.body.ackCount === 1 ? r.body : undefined;
      },
      5_000,
      "ack count",
    );
    expect(acked.ackCount).toBe(1);
    await screen.endAsync();

    expect((await admin.json("POST", "/api/v1/alerts/huu-nghi-closed/cancel")).status).toBe(200);
    // cleared by a signed, newer, empty list (an empty message could be anyone's)
    const cleared = await waitFor(
      () => {
        const row = t.controller.ctx.store.published.gate("huu-nghi");
        return row?.envelope && JSON.parse(row.envelope).payload.alerts.length === 0 ? row.envelope : undefined;
      },
      5_000,
      "cleared",
    );
    expect(JSON.parse(cleared).payload.seq).toBeGreaterThan(JSON.parse(published).payload.seq);
  });
});

describe("screens and reports", () => {
  it("admins change screens at once; editors send commands; viewers read", async () => {
    expect((await editor.json("PUT", "/api/v1/screens/huu-nghi-lorry-1", { gate: "huu-nghi", name: "x" })).status).toBe(
      403,
    );
    const moved = await admin.json("PUT", "/api/v1/screens/huu-nghi-lorry-1", {
      gate: "huu-nghi",
      name: "Làn xe hàng 1",
      tags: ["lorry", "night"],
      orientation: "landscape",
    });
    expect(moved.status).toBe(200);
    const bad = await admin.json<{ issues: { path: string }[] }>("POST", "/api/v1/screens", {
      id: "x-1",
      gate: "nowhere",
      name: "x",
    });
    expect(bad.body.issues[0]?.path).toBe("gate");
    // no device is paired as it yet: nothing would receive a command
    const unpaired = await editor.json<{ code: string }>("POST", "/api/v1/screens/huu-nghi-lorry-1/commands", {
      cmd: "identify",
    });
    expect(unpaired.status).toBe(409);
    expect(unpaired.body.code).toBe("not-paired");
    expect((await admin.json("POST", "/api/v1/screens/huu-nghi-lorry-1/credentials")).status).toBe(201);
    const cmd = await editor.json<{ id: string; cmd: string }>("POST", "/api/v1/screens/huu-nghi-lorry-1/commands", {
      cmd: "identify",
    });
    expect(cmd.status).toBe(202);
    expect(
      (await editor.json("POST", "/api/v1/screens/huu-nghi-lorry-1/commands", { cmd: "format-disk" })).status,
    ).toBe(400);
    const list = await viewer.json<{ id: string; manifest: { published: number } }[]>("GET", "/api/v1/screens");
    expect(list.body.find((s) => s.id === "huu-nghi-lorry-1")?.manifest.published).toBeGreaterThanOrEqual(1);
  });

  it("exports proof-of-play as CSV that Excel opens with Vietnamese and Chinese intact", async () => {
    t.controller.ctx.store.plays.store(
      "tan-thanh-arrivals-1",
      "tan-thanh",
      [
        {
          id: crypto.randomUUID(),
          item: "notice-customs-declaration",
          startedAt: Date.parse("2026-11-23T01:00:00Z"),
          durationMs: 12_000,
          releaseId: 1,
        },
        {
          id: crypto.randomUUID(),
          item: "notice-customs-declaration",
          startedAt: Date.parse("2026-11-23T01:05:00Z"),
          durationMs: 12_000,
          releaseId: 1,
        },
      ],
      Date.now(),
    );
    const res = await viewer.request(
      "GET",
      "/api/v1/reports/plays?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z&groupBy=item&format=csv",
    );
    expect(res.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("notice-customs-declaration,");
    expect(text).toMatch(/,2,24\r\n/);
    expect(text).toMatch(/[àáảãạăâđêôơư]/i);
  });
});
