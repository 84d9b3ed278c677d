import { routes } from "@gatecast/playlists/api";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, call, csrfToken, setFetch } from "./api.ts";

interface Sent {
  url: string;
  init: RequestInit;
}

function answer(status: number, body: unknown): Sent[] {
  const sent: Sent[] = [];
  setFetch(async (url, init) => {
    sent.push({ url, init });
    const text = status === 204 ? null : typeof body === "string" ? body : JSON.stringify(body);
    return new Response(text, { status });
  });
  return sent;
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => {
      if (!(e instanceof ApiError)) throw e;
      return e;
    },
  );

afterEach(() => {
  csrfToken.value = null;
});

describe("call", () => {
  it("fills the path, sends the body with the CSRF token, and parses the answer with the route's schema", async () => {
    csrfToken.value = "csrf-1";
    const sent = answer(201, { id: 7, createdAt: 1, createdBy: "phe.duyet", note: "n", rollbackOf: 3 });
    const r = await call(routes.releases.rollback, { params: { id: 3 }, body: { note: "n" } });
    expect(r.rollbackOf).toBe(3);
    expect(sent[0]?.url).toBe("/api/v1/releases/3/rollback");
    expect(sent[0]?.init.method).toBe("POST");
    expect(sent[0]?.init.body).toBe(JSON.stringify({ note: "n" }));
    expect(sent[0]?.init.headers).toMatchObject({ "x-csrf-token": "csrf-1" });
  });

  it("builds the query from the defined values and escapes path parameters", async () => {
    const sent = answer(200, []);
    await call(routes.audit.list, { query: { actor: "phe duyet", objectKind: "", limit: 20 } });
    expect(sent[0]?.url).toBe("/api/v1/audit?actor=phe+duyet&limit=20");
    answer(404, { code: "not-found", message: "x", params: { kind: "screen", id: "a/b" } });
    const e = await failure(call(routes.screens.get, { params: { id: "a/b" } }));
    expect(e.code).toBe("not-found");
  });

  it("refuses an answer that does not match the contract, instead of handing it on", async () => {
    answer(200, [{ id: 1, createdAt: "yesterday", createdBy: "x", note: "", rollbackOf: null }]);
    const e = await failure(call(routes.releases.list));
    expect(e.code).toBe("bad-response");
  });

  it("turns an error body into its code, params and issues", async () => {
    answer(400, {
      code: "validation",
      message: "invalid body",
      issues: [{ path: "title.zh", code: "zh-required", message: "required", params: { category: "procedure" } }],
    });
    const e = await failure(call(routes.content.items.create, { body: {} as never }));
    expect(e.status).toBe(400);
    expect(e.code).toBe("validation");
    expect(e.issues).toEqual([
      { path: "title.zh", code: "zh-required", message: "required", params: { category: "procedure" } },
    ]);
  });

  it("calls an error body that is not the contract's, or no answer at all, what it is", async () => {
    answer(502, "<html>Bad gateway</html>");
    expect((await failure(call(routes.auth.me))).code).toBe("bad-response");
    answer(500, { error: "old shape" });
    expect((await failure(call(routes.auth.me))).code).toBe("bad-response");
    setFetch(() => Promise.reject(new TypeError("fetch failed")));
    expect((await failure(call(routes.auth.me))).code).toBe("network");
  });

  it("answers nothing for a 204", async () => {
    answer(204, "");
    expect(await call(routes.content.items.remove, { params: { id: "x" } })).toBeUndefined();
  });
});
