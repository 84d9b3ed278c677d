import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { startController } from "../../controller/src/app.ts";
import { loadConfig } from "../../controller/src/config.ts";
import { ADMIN_PASSWORD, ApiClient, SAMPLE_CONTENT } from "../../controller/src/testing/harness.ts";

describe("secrets stay secret", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it("the signing key and passwords never appear in logs or API responses", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "gatecast-secrets-"));
    dirs.push(dataDir);
    let logs = "";
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs += chunk.toString();
        done();
      },
    });
    const controller = await startController(
      loadConfig({
        HOST: "127.0.0.1",
        PORT: "0",
        MQTT_PORT: "0",
        DATA_DIR: dataDir,
        GATECAST_CONTENT: SAMPLE_CONTENT,
        GATECAST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      }),
      { log: pino({ level: "trace" }, sink) },
    );
    const responses: string[] = [];
    const url = controller.baseUrl;
    try {
      const admin = new ApiClient(url);
      await admin.login("admin", "wrong-password-attempt");
      const login = await admin.login();
      responses.push(await login.text());
      const paths = [
        "/api/v1/keys",
        "/api/v1/users",
        "/api/v1/screens",
        "/api/v1/audit?limit=500",
        "/api/v1/openapi.json",
        "/metrics",
        "/healthz",
      ];
      for (const p of paths) responses.push(await (await admin.request("GET", p)).text());
      const user = await admin.request("POST", "/api/v1/users", {
        username: "editor1",
        password: "editor-password-123",
        role: "editor",
      });
      responses.push(await user.text());
      const creds = await admin.json<{ mqtt: { password: string } }>(
        "POST",
        "/api/v1/screens/huu-nghi-arrivals-1/credentials",
      );
      const token = await admin.json<{ token: string }>("POST", "/api/v1/tokens", { name: "ci" });
      responses.push(JSON.stringify((await admin.json("GET", "/api/v1/audit?limit=500")).body));
      responses.push(JSON.stringify((await admin.json("GET", "/api/v1/tokens")).body));

      const key = JSON.parse(await readFile(join(dataDir, "signing-key.json"), "utf8")) as { d: string };
      const secrets = [
        key.d,
        ADMIN_PASSWORD,
        "wrong-password-attempt",
        "editor-password-123",
        creds.body.mqtt.password,
        token.body.token,
      ];
      const everything = `${logs}\n${responses.join("\n")}`;
      expect(logs.length).toBeGreaterThan(0);
      for (const secret of secrets) expect(everything).not.toContain(secret);
      // the pages that hand out a secret once do so only in their own response
      expect(JSON.stringify(creds.body)).toContain(creds.body.mqtt.password);
    } finally {
      await controller.stop();
    }
  });
});
