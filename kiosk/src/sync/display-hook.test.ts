import { describe, expect, it } from "vitest";
import { DisplayHook, displayHookUrl } from "./display-hook.ts";

describe("display hook", () => {
  it("is found only on the loopback interface", () => {
    expect(displayHookUrl("?displayHook=http://127.0.0.1:47800")).toBe("http://127.0.0.1:47800/display");
    expect(displayHookUrl("?displayHook=http://localhost:9")).toBe("http://localhost:9/display");
    expect(displayHookUrl("?displayHook=http://10.0.0.5:47800")).toBeNull();
    expect(displayHookUrl("?displayHook=file:///x")).toBeNull();
    expect(displayHookUrl("")).toBeNull();
  });

  it("asks, reads back, asks again when the panel does not follow, and reports failures once", async () => {
    let now = 0;
    const calls: string[] = [];
    const errors: string[] = [];
    let answer: unknown = { requested: "off", power: "standby", via: "cec" };
    let fail = false;
    const hook = new DisplayHook({
      url: "http://127.0.0.1:1/display",
      now: () => now,
      onError: (m) => errors.push(m),
      fetch: async (_url, init) => {
        calls.push(`${init?.method} ${init?.body ?? ""}`);
        if (fail) throw new TypeError("Failed to fetch");
        return new Response(JSON.stringify(answer), { status: 200 });
      },
    });
    expect(hook.panel).toBeNull();
    await hook.want("off");
    expect(hook.panel).toEqual({ power: "standby", via: "cec" });
    answer = { requested: "off", power: "on", via: "cec" }; // someone pressed the remote
    await hook.refresh();
    expect(calls).toEqual(['POST {"state":"off"}', "GET "]);
    now = 5 * 60_000;
    await hook.refresh();
    expect(calls.slice(-2)).toEqual(["GET ", 'POST {"state":"off"}']);
    fail = true;
    await hook.refresh();
    await hook.refresh();
    expect(hook.panel).toMatchObject({ power: "unknown", via: "cec" });
    expect(errors).toEqual(["display hook GET failed: Failed to fetch"]);
  });
});
