import type { Hono, Context as HonoContext } from "hono";
import { z } from "zod";
import type { Role, User } from "../store/users.ts";
import { type Env, requireRole } from "./auth.ts";
import { badRequest, HttpError } from "./errors.ts";

type Method = "get" | "post" | "put" | "patch" | "delete";
type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface RouteSpec<
  P extends AnyObject | undefined,
  Q extends AnyObject | undefined,
  B extends z.ZodType | undefined,
> {
  method: Method;
  /** Hono path, `:name` for parameters. */
  path: string;
  summary: string;
  tag: string;
  /** Least role needed; null for public routes. */
  role: Role | null;
  params?: P;
  query?: Q;
  body?: B;
  /** Documented success response. */
  response?: { status?: number; description: string; schema?: z.ZodType; contentType?: string };
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface RouteInput<P, Q, B> {
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  user: User | null;
}

type Handler<P, Q, B> = (c: HonoContext<Env>, input: RouteInput<P, Q, B>) => Response | Promise<Response>;

interface Registered {
  spec: RouteSpec<AnyObject | undefined, AnyObject | undefined, z.ZodType | undefined>;
}

/**
 * Registers a route on Hono with its inputs parsed by zod (400 with field paths when they do not parse)
 * and its role checked (401/403), and records it for `/api/v1/openapi.json`: one declaration, both uses.
 */
export class Api {
  private readonly registered: Registered[] = [];

  constructor(readonly app: Hono<Env>) {}

  route<
    P extends AnyObject | undefined = undefined,
    Q extends AnyObject | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
  >(spec: RouteSpec<P, Q, B>, handler: Handler<P, Q, B>): void {
    this.registered.push({ spec: spec as Registered["spec"] });
    this.app.on(spec.method.toUpperCase(), spec.path, async (c) => {
      const user = spec.role ? requireRole(c, spec.role) : (c.get("auth")?.user ?? null);
      const params = parseWith(spec.params, c.req.param(), "path parameters");
      const query = parseWith(spec.query, c.req.query(), "query");
      let body: unknown;
      if (spec.body) {
        let json: unknown;
        try {
          json = await c.req.json();
        } catch {
          throw new HttpError(400, "body is not JSON", [{ path: "", message: "expected a JSON body" }]);
        }
        body = parseWith(spec.body, json, "body");
      }
      return handler(c, { params, query, body, user } as RouteInput<P, Q, B>);
    });
  }

  openapi(info: { title: string; version: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const { spec } of this.registered) {
      const path = spec.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
      const parameters = [...objectParams(spec.params, "path"), ...objectParams(spec.query, "query")];
      const status = String(spec.response?.status ?? 200);
      const op: Record<string, unknown> = {
        summary: spec.summary,
        tags: [spec.tag],
        ...(parameters.length ? { parameters } : {}),
        ...(spec.body
          ? {
              requestBody: {
                required: true,
                content: { "application/json": { schema: jsonSchema(spec.body, "input") } },
              },
            }
          : {}),
        responses: {
          [status]: {
            description: spec.response?.description ?? "OK",
            ...(spec.response?.schema
              ? {
                  content: {
                    [spec.response.contentType ?? "application/json"]: {
                      schema: jsonSchema(spec.response.schema, "output"),
                    },
                  },
                }
              : {}),
          },
          ...(spec.body || spec.params || spec.query ? { 400: { $ref: "#/components/responses/Invalid" } } : {}),
          ...(spec.role
            ? {
                401: { $ref: "#/components/responses/Unauthenticated" },
                403: { $ref: "#/components/responses/Forbidden" },
              }
            : {}),
        },
        ...(spec.role ? { security: [{ session: [] }, { bearer: [] }], "x-gatecast-role": spec.role } : {}),
      };
      paths[path] = { ...paths[path], [spec.method]: op };
    }
    const error = {
      type: "object",
      properties: {
        error: { type: "string" },
        issues: {
          type: "array",
          items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } },
        },
      },
      required: ["error"],
    };
    const errorResponse = (description: string) => ({
      description,
      content: { "application/json": { schema: error } },
    });
    return {
      openapi: "3.1.0",
      info,
      paths,
      components: {
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
          Invalid: errorResponse("Input failed validation; `issues` names each field"),
          Unauthenticated: errorResponse("Not logged in"),
          Forbidden: errorResponse("Role too low, or CSRF token missing"),
        },
      },
    };
  }
}

function parseWith(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(r.error, where);
  return r.data;
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): unknown {
  try {
    return z.toJSONSchema(schema, { io, unrepresentable: "any" });
  } catch {
    return {};
  }
}

function objectParams(schema: AnyObject | undefined, where: "path" | "query"): unknown[] {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || !(s as z.ZodType).safeParse(undefined).success,
    schema: jsonSchema(s as z.ZodType, "input"),
  }));
}
