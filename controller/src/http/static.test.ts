import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestController, type TestController } from "../testing/harness.ts";
import { APP_DIRS, withTestHooks } from "./static.ts";

const MARK = '<meta name="gatecast-test-hooks" content="1" />';

describe("the kiosk's test hooks", () => {
  it("are marked in the shell only with GATECAST_TEST_HOOKS=1", () => {
    const html = "<!doctype html><html><head><title>k</title></head></html>";
    expect(withTestHooks(html, true)).toContain(MARK);
    expect(withTestHooks(html, false)).toBe(html);
  });

  describe.skipIf(!existsSync(join(APP_DIRS.kiosk, "index.html")))("as served (kiosk built)", () => {
    let prod: TestController;
    let hooked: TestController;
    beforeAll(async () => {
      prod = await startTestController();
      hooked = await startTestController({ env: { GATECAST_TEST_HOOKS: "1" } });
    });
    afterAll(async () => {
      await prod?.stop();
      await hooked?.stop();
    });

    it("a production controller's kiosk ignores ?clock= and friends; a test controller's honours them", async () => {
      for (const path of ["/kiosk/", "/kiosk/index.html", "/kiosk/some/route?clock=2026-01-01T00:00:00Z"]) {
        expect(await (await fetch(`${prod.url}${path}`)).text()).not.toContain("gatecast-test-hooks");
        expect(await (await fetch(`${hooked.url}${path}`)).text()).toContain(MARK);
      }
    });
  });
});
