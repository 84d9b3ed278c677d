import { ALL_ROUTES, ApiErrorBody, json, route } from "@gatecast/playlists/api";
import { Hono } from "hono";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { startTestController, type TestController } from "../testing/harness.ts";
import { Api } from "./api.ts";
import type { Env } from "./auth.ts";

const Thing = z.object({ id: z.string(), n: z.int() });
const thing = route({
  method: "get",
  path: "/things/:id",
  summary: "a thing",
  tag: "test",
  role: null,
  params: z.object({ id: z.string().max(3) }),
  response: json(Thing, "the thing"),
});

function appWith(checkResponses: boolean, body: unknown) {
  const app = new Hono<Env>();
  const api = new Api(app, { checkResponses, log: pino({ level: "silent" }), uploadMaxBytes: 1024 });
  app.onError((err, c) => {
    if (!(err instanceof AppError)) throw err;
    const { status, body } = api.errorBody(err);
    return c.json(body, status as 400);
  });
  // the handler's type would refuse this body: the point is what happens when code drifts anyway
  api.handle(thing, () => body as z.output<typeof Thing>);
  return app;
}

describe("Api.handle", () => {
  it("turns an answer that does not match its contract into a 500 naming the field, where answers are checked", async () => {
    const res = await appWith(true, { id: "a", n: "not a number" }).request("/things/a");
    expect(res.status).toBe(500);
    const body = ApiErrorBody.parse(await res.json());
    expect(body.code).toBe("response-mismatch");
    expect(body.issues).toMatchObject([
      { path: "n", code: "invalid_type", params: { expected: "number", received: "string" } },
    ]);
  });

  it("answers as the handler said where answers are not checked (production)", async () => {
    const res = await appWith(false, { id: "a", n: "x" }).request("/things/a");
    expect(res.status).toBe(200);
  });

  it("reports bad input with each issue's path, zod code and params", async () => {
    const res = await appWith(true, { id: "a", n: 1 }).request("/things/abcd");
    expect(res.status).toBe(400);
    expect(ApiErrorBody.parse(await res.json())).toMatchObject({
      code: "validation",
      issues: [{ path: "id", code: "too_big", params: { origin: "string", maximum: 3 } }],
    });
  });
});

describe("/api/v1/openapi.json", () => {
  let t: TestController;
  let doc: { paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>> };
  beforeAll(async () => {
    t = await startTestController();
    doc = (await (await fetch(`${t.url}/api/v1/openapi.json`)).json()) as typeof doc;
  });
  afterAll(() => t.stop());

  it("documents every route of the contract, each JSON answer with its schema and the others with their type", () => {
    for (const r of ALL_ROUTES) {
      const op = doc.paths[r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")]?.[r.method];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      const ok = op?.responses[String(r.response.status)];
      expect(ok, `${r.method} ${r.path} ${r.response.status}`).toBeDefined();
      if (r.response.kind === "json") expect(Object.keys(ok?.content ?? {})).toContain("application/json");
      if (r.response.kind === "raw") expect(Object.keys(ok?.content ?? {})).toEqual([r.response.contentType]);
      expect(op?.responses.default).toBeDefined();
    }
    const served = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
    expect(served).toBe(ALL_ROUTES.length);
  });
});
