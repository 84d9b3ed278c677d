import { describe, expect, it } from "vitest";
import { loginAs } from "./http/testUsers.ts";
import { startTestController } from "./testing/harness.ts";

describe("stopping the controller", () => {
  it("ends open event streams and keep-alive sockets at once instead of waiting them out", async () => {
    const t = await startTestController();
    const admin = await loginAs(t.url);
    // the dashboard's live link: an answer that never ends by itself
    const events = await admin.request("GET", "/api/v1/events");
    const reader = events.body?.getReader();
    await reader?.read(); // "hello"
    await admin.json("GET", "/api/v1/screens"); // and an idle keep-alive socket
    const t0 = performance.now();
    await t.stop();
    expect(performance.now() - t0).toBeLessThan(2_000);
    // the stream was ended, not cut
    for (;;) {
      const r = await reader?.read();
      if (!r || r.done) break;
    }
  });
});
