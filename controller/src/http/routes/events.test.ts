import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, startTestController, type TestController } from "../../testing/harness.ts";
import { loginAs, userWithRole } from "../testUsers.ts";

const PING_S = 0.3;
let t: TestController;
let admin: ApiClient;

beforeAll(async () => {
  t = await startTestController({ env: { SSE_PING_S: String(PING_S) } });
  admin = await loginAs(t.url);
});
afterAll(() => t?.stop());

/** Opens the event stream; `ended` settles when the controller closes it, with the event names read. */
async function openStream(client: ApiClient) {
  const res = await client.request("GET", "/api/v1/events");
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const names: string[] = [];
  const decoder = new TextDecoder();
  let text = "";
  const ended = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return names;
      text += decoder.decode(value, { stream: true });
      for (const m of text.matchAll(/^event: (\w+)$/gm)) names.push(m[1] ?? "");
      text = text.slice(text.lastIndexOf("\n") + 1);
    }
  })();
  const pings = async (n: number) => {
    const deadline = Date.now() + 10_000;
    while (names.filter((x) => x === "ping").length < n && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    return names.filter((x) => x === "ping").length;
  };
  return { ended, pings, cancel: () => reader.cancel() };
}

/** Settles with "ended" when the stream closed within `ms`, else "open". */
const within = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => "ended"), new Promise((r) => setTimeout(() => r("open"), ms))]);

describe("server-sent events end with the login", () => {
  it("a live session's stream stays open and pings", async () => {
    const s = await openStream(admin);
    expect(await s.pings(2)).toBeGreaterThanOrEqual(2);
    expect(await within(s.ended, PING_S * 1000)).toBe("open");
    await s.cancel();
  });

  it("closes at the next ping after logout", async () => {
    const client = await loginAs(t.url);
    const s = await openStream(client);
    await s.pings(1);
    expect((await client.request("POST", "/api/v1/auth/logout")).status).toBe(204);
    expect(await within(s.ended, PING_S * 1000 * 4)).toBe("ended");
  });

  it("closes at the next ping after the account is disabled", async () => {
    const { client, id } = await userWithRole(admin, "viewer", "sse-viewer");
    const s = await openStream(client);
    await s.pings(1);
    expect((await admin.json("PATCH", `/api/v1/users/${id}`, { disabled: true })).status).toBe(200);
    expect(await within(s.ended, PING_S * 1000 * 4)).toBe("ended");
  });

  it("closes at the next ping after its API token is revoked", async () => {
    const made = await admin.json<{ id: number; token: string }>("POST", "/api/v1/tokens", { name: "dashboard tv" });
    const viaToken = new ApiClient(t.url);
    viaToken.bearer = made.body.token;
    const s = await openStream(viaToken);
    await s.pings(1);
    expect((await admin.json("DELETE", `/api/v1/tokens/${made.body.id}`)).status).toBe(204);
    expect(await within(s.ended, PING_S * 1000 * 4)).toBe("ended");
  });
});
