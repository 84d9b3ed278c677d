import { expect, test } from "@playwright/test";
import { startControllerProcess } from "../../harness/controllerProcess.ts";

test("the controller process serves its health, keys and OpenAPI description", async ({ page }) => {
  const c = await startControllerProcess();
  try {
    await page.goto(`${c.url}/api/v1/openapi.json`);
    const spec = JSON.parse((await page.locator("body").textContent()) ?? "{}") as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.paths)).toContain("/api/v1/pairings");
    expect(await c.stop()).toBe(0);
  } finally {
    await c.cleanup();
  }
});
