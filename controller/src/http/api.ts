import { checkInput } from "@gatecast/playlists";
import {
  ApiErrorBody,
  type BodyOf,
  ERROR_STATUS,
  JSON_MAX_BYTES,
  type JsonResponse,
  type ParamsOf,
  PUBLIC_JSON_MAX_BYTES,
  type QueryOf,
  type ResponseSpec,
  type Route,
  SERVER_EVENTS,
} from "@gatecast/playlists/api";
import type { Hono, Context as HonoContext, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { AppError, invalid } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { User } from "../store/users.ts";
import { type Env, requireRole } from "./auth.ts";

/** A JSON answer with a status other than the route's first (201 from a PUT that created) or headers. */
export class Reply<T> {
  constructor(
    readonly status: number,
    readonly body: T,
    readonly headers: Record<string, string> = {},
  ) {}
}

export interface RouteInput<R extends Route> {
  params: ParamsOf<R>;
  query: QueryOf<R>;
  body: BodyOf<R>;
  /** The caller; never null on a route with a role. */
  user: User | null;
  c: HonoContext<Env>;
}

type Awaitable<T> = T | Promise<T>;

/**
 * What a handler returns: the body its contract declares (as is, or in a `Reply`), nothing for a 204,
 * or a `Response` of its own for a route that answers with something other than JSON.
 */
export type RouteOutput<R extends Route> =
  R["response"] extends JsonResponse<infer S>
    ? z.output<S> | Reply<z.output<S>> | Response
    : R["response"] extends { kind: "empty" }
      ? // biome-ignore lint/suspicious/noConfusingVoidType: a 204 handler returns nothing
        void
      : Response;

export type Handler<R extends Route> = (input: RouteInput<R>) => Awaitable<RouteOutput<R>>;

const METHODS = { get: "GET", post: "POST", put: "PUT", patch: "PATCH", delete: "DELETE" } as const;

/**
 * Serves routes from their contracts (`@gatecast/playlists/api`): parses path, query and body with the
 * contract's schemas (400 naming each field), checks the role (401/403), and answers with what the
 * handler returns. With `checkResponses` (the test suites set it) every answer is checked against its
 * contract as well, and one that does not match becomes a loud 500 `response-mismatch`.
 */
export class Api {
  private readonly served: Route[] = [];
  private readonly stopping = new AbortController();
  /** Aborted when the server stops: long-lived answers (server-sent events) end on it. */
  readonly closing: AbortSignal = this.stopping.signal;

  /** Ends the long-lived answers, so the server's close does not wait for them. */
  close(): void {
    this.stopping.abort();
  }

  constructor(
    readonly app: Hono<Env>,
    private readonly opts: { checkResponses: boolean; log: Logger; uploadMaxBytes: number },
  ) {}

  /** The contracts served so far, in order. */
  get routes(): readonly Route[] {
    return this.served;
  }

  /**
   * Records a route served by a Hono handler of its own (byte ranges and HEAD of `/media`), so the
   * document and the list of served routes still name it.
   */
  document(route: Route): void {
    this.served.push(route);
  }

  handle<R extends Route>(route: R, handler: Handler<R>): void {
    this.served.push(route);
    this.app.on(METHODS[route.method], route.path, this.limitBody(route), async (c) => {
      const auth = c.get("auth");
      // a bound token opens only the routes that take one, public ones included
      if (!route.role && auth?.binding) requireRole(c, "viewer", { boundToken: route.boundToken ?? false });
      const user = route.role
        ? requireRole(c, route.role, { boundToken: route.boundToken ?? false })
        : (auth?.user ?? null);
      const params = parseWith(route.params, c.req.param(), "path parameters");
      const query = parseWith(route.query, c.req.query(), "query");
      let body: unknown;
      if (route.body) {
        let json: unknown;
        try {
          json = await c.req.json();
        } catch {
          throw invalid([{ path: "", code: "not-json", message: "expected a JSON body" }], "body is not JSON");
        }
        body = parseWith(route.body, json, "body");
      }
      const input = { params, query, body, user, c } as RouteInput<R>;
      const out: unknown = await handler(input);
      return this.answer(c, route, out);
    });
  }

  /**
   * Refuses (413 `too-large`) a body over the route's limit before reading it: by Content-Length when
   * given, else while it streams in. JSON is small (smaller still on public routes, which anyone may
   * call); a raw body has its route's limit; an upload (streamed to disk by the handler) the media limit.
   */
  private limitBody(route: Route): MiddlewareHandler<Env> {
    const tooLarge = (maxBytes: number) =>
      new AppError("too-large", `body is larger than ${maxBytes} bytes`, { params: { maxBytes } });
    if (route.upload) {
      // multipart framing around the file
      const maxBytes = this.opts.uploadMaxBytes + 64 * 1024;
      return async (c, next) => {
        if (Number(c.req.header("content-length") ?? 0) > maxBytes) throw tooLarge(this.opts.uploadMaxBytes);
        await next();
      };
    }
    const maxSize = route.rawBody?.maxBytes ?? (route.role ? JSON_MAX_BYTES : PUBLIC_JSON_MAX_BYTES);
    return bodyLimit({
      maxSize,
      onError: () => {
        throw tooLarge(maxSize);
      },
    });
  }

  private answer(c: HonoContext<Env>, route: Route, out: unknown): Response {
    const spec = route.response;
    if (out instanceof Response) {
      if (this.opts.checkResponses) this.checkRaw(route, out);
      return out;
    }
    if (spec.kind === "empty") return c.body(null, 204);
    if (spec.kind === "raw") throw mismatch(route, `expected a ${spec.contentType} Response from the handler`);
    const reply = out instanceof Reply ? out : new Reply(spec.status, out);
    if (this.opts.checkResponses) this.checkJson(route, spec, reply);
    for (const [k, v] of Object.entries(reply.headers)) c.header(k, v);
    return c.json(reply.body as object, reply.status as 200);
  }

  private checkJson(route: Route, spec: JsonResponse, reply: Reply<unknown>): void {
    if (reply.status !== spec.status && !spec.also?.includes(reply.status))
      throw mismatch(route, `status ${reply.status} is not declared`);
    const r = checkInput(spec.schema, reply.body);
    if (!r.ok) throw mismatch(route, "body does not match its schema", r.issues);
  }

  private checkRaw(route: Route, res: Response): void {
    const spec: ResponseSpec = route.response;
    const type = res.headers.get("content-type") ?? "";
    const declared = spec.kind === "raw" ? spec.contentType : spec.kind === "json" ? spec.alternative : undefined;
    if (!declared || (declared !== "application/octet-stream" && !type.startsWith(declared)))
      throw mismatch(route, `content type "${type}" is not declared`);
  }

  /** Whether a server-sent event's data matches its schema (always, where answers are not checked). */
  eventMatches(name: keyof typeof SERVER_EVENTS, data: unknown): boolean {
    if (!this.opts.checkResponses) return true;
    const r = checkInput(SERVER_EVENTS[name], data);
    if (!r.ok) this.opts.log.error({ event: name, issues: r.issues }, "server-sent event does not match its schema");
    return r.ok;
  }

  /** An error answer, checked like the others. */
  errorBody(err: AppError): { status: number; body: ApiErrorBody } {
    const body: ApiErrorBody = {
      code: err.code,
      message: err.message,
      ...(err.params ? { params: err.params } : {}),
      ...(err.issues ? { issues: err.issues } : {}),
    };
    if (this.opts.checkResponses && !ApiErrorBody.safeParse(body).success)
      return { status: 500, body: { code: "response-mismatch", message: `error body of ${err.code} is malformed` } };
    return { status: ERROR_STATUS[err.code], body };
  }

  openapi(info: { title: string; version: string }): Record<string, unknown> {
    return openapiDocument(this.served, info);
  }
}

function parseWith(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const r = checkInput(schema, value);
  if (!r.ok) throw invalid(r.issues, `invalid ${where}`);
  return r.data;
}

function mismatch(route: Pick<Route, "method" | "path">, what: string, issues?: AppError["issues"]): AppError {
  return new AppError("response-mismatch", `${route.method.toUpperCase()} ${route.path}: ${what}`, {
    ...(issues ? { issues } : {}),
  });
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): unknown {
  try {
    return z.toJSONSchema(schema, { io, unrepresentable: "any" });
  } catch {
    return {};
  }
}

function objectParams(schema: Route["params"], where: "path" | "query"): unknown[] {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || !(s as z.ZodType).safeParse(undefined).success,
    schema: jsonSchema(s as z.ZodType, "input"),
  }));
}

const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

function successResponses(r: Route): Record<string, unknown> {
  const spec = r.response;
  if (spec.kind === "empty") return { 204: { description: spec.description } };
  if (spec.kind === "raw") {
    const events =
      spec.contentType === "text/event-stream"
        ? {
            "x-events": Object.fromEntries(
              Object.entries(SERVER_EVENTS).map(([name, s]) => [name, jsonSchema(s, "output")]),
            ),
          }
        : {};
    return {
      200: {
        description: spec.description,
        content: { [spec.contentType]: { schema: { type: "string", format: "binary" }, ...events } },
      },
    };
  }
  const content = {
    "application/json": { schema: jsonSchema(spec.schema, "output") },
    ...(spec.alternative ? { [spec.alternative]: { schema: { type: "string" } } } : {}),
  };
  const out: Record<string, unknown> = { [spec.status]: { description: spec.description, content } };
  for (const s of spec.also ?? []) out[s] = { description: spec.description, content };
  return out;
}

/** The OpenAPI 3.1 document of the routes, from their contracts. */
export function openapiDocument(routes: readonly Route[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    const parameters = [...objectParams(r.params, "path"), ...objectParams(r.query, "query")];
    const requestBody = r.body
      ? { required: true, content: { "application/json": { schema: jsonSchema(r.body, "input") } } }
      : r.upload
        ? {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  properties: { [r.upload.field]: { type: "string", format: "binary" } },
                  required: [r.upload.field],
                },
              },
            },
          }
        : r.rawBody
          ? { required: true, content: { [r.rawBody.contentType]: { schema: { type: "string", format: "binary" } } } }
          : undefined;
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses: {
        ...successResponses(r),
        ...(r.body || r.params || r.query || r.upload ? { 400: errorRef("Invalid") } : {}),
        ...(r.role ? { 401: errorRef("Unauthenticated"), 403: errorRef("Forbidden") } : {}),
        default: errorRef("Error"),
      },
      ...(r.role ? { security: [{ session: [] }, { bearer: [] }], "x-gatecast-role": r.role } : {}),
      // an API token bound to an agency and its gates may call it too, whatever its user's role
      ...(r.boundToken ? { "x-gatecast-bound-token": true } : {}),
    };
    paths[path] = { ...paths[path], [r.method]: op };
  }
  const errorResponse = (description: string) => ({
    description,
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  });
  return {
    openapi: "3.1.0",
    info,
    paths,
    components: {
      schemas: { Error: jsonSchema(ApiErrorBody, "output") },
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: "gatecast_session",
          description: "Writes also need the X-CSRF-Token header from login.",
        },
        bearer: { type: "http", scheme: "bearer" },
      },
      responses: {
        Invalid: errorResponse("Input failed validation (`validation`); `issues` names each field with its code"),
        Unauthenticated: errorResponse("Not logged in (`unauthenticated`, `invalid-token`)"),
        Forbidden: errorResponse("Role too low (`forbidden`), or CSRF token missing (`csrf`)"),
        Error: errorResponse("Any other refusal; `code` says which (see the Error schema's enum)"),
      },
    },
  };
}
