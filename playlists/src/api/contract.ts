import type { z } from "zod";
import type { Role } from "../roles.ts";

/*
 * An HTTP route as data: method, path, who may call it, and the schemas of what goes in and comes out.
 * The controller serves each route from its contract, the console calls it through the same contract,
 * and `/api/v1/openapi.json` is written from the lot.
 */

export type Method = "get" | "post" | "put" | "patch" | "delete";

/** Schemas of path and query parameters: objects, so each field is one parameter. */
export type ObjectSchema = z.ZodObject<z.ZodRawShape, z.core.$ZodObjectConfig>;

/** A JSON answer and its schema. */
export interface JsonResponse<S extends z.ZodType = z.ZodType> {
  kind: "json";
  status: 200 | 201 | 202;
  schema: S;
  /** Other statuses answered with the same body: 201 when a PUT created, 503 from an unhealthy `/healthz`. */
  also?: readonly number[];
  /** Another content type the route answers with when its query asks for it (CSV). */
  alternative?: string;
  description: string;
}

/** No body: 204. */
export interface EmptyResponse {
  kind: "empty";
  status: 204;
  description: string;
}

/** A body that is not JSON: media, screenshots, metrics, server-sent events. */
export interface RawResponse {
  kind: "raw";
  status: 200;
  contentType: string;
  description: string;
}

export type ResponseSpec = JsonResponse | EmptyResponse | RawResponse;

export const json = <S extends z.ZodType>(
  schema: S,
  description: string,
  opts: { status?: JsonResponse["status"]; also?: readonly number[]; alternative?: string } = {},
): JsonResponse<S> => ({ kind: "json", status: opts.status ?? 200, schema, description, ...opts });

export const empty = (description: string): EmptyResponse => ({ kind: "empty", status: 204, description });

export const raw = (contentType: string, description: string): RawResponse => ({
  kind: "raw",
  status: 200,
  contentType,
  description,
});

export interface Route<
  Path extends string = string,
  P extends ObjectSchema | undefined = ObjectSchema | undefined,
  Q extends ObjectSchema | undefined = ObjectSchema | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends ResponseSpec = ResponseSpec,
> {
  method: Method;
  /** Hono path, `:name` for each parameter. */
  path: Path;
  summary: string;
  tag: string;
  /** Least role needed; null for public routes. */
  role: Role | null;
  params?: P;
  query?: Q;
  /** A JSON body, parsed with this schema. */
  body?: B;
  /** A multipart upload instead of a JSON body: the form field holding the file. */
  upload?: { field: string };
  /** An API token bound to an agency and its gates may call it too, whatever its user's role (CAP import). */
  boundToken?: boolean;
  /** A body of this type instead of JSON (a screen's screenshot), of at most `maxBytes`. */
  rawBody?: { contentType: string; maxBytes: number };
  response: R;
}

/** JSON bodies of routes with a role: refused (413) beyond this, before being read. */
export const JSON_MAX_BYTES = 1024 * 1024;
/** JSON bodies of public routes (login): anyone may send them, so they stay small. */
export const PUBLIC_JSON_MAX_BYTES = 16 * 1024;

/** Declares a route; the path stays a literal type, so its parameters are known to callers. */
export const route = <
  const Path extends string,
  R extends ResponseSpec,
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  r: Route<Path, P, Q, B, R>,
): Route<Path, P, Q, B, R> => r;

type Out<S> = [S] extends [z.ZodType] ? z.output<S> : undefined;

/** What a handler gets, parsed. */
export type ParamsOf<R extends Route> = Out<NonNullable<R["params"]>>;
export type QueryOf<R extends Route> = Out<NonNullable<R["query"]>>;
export type BodyOf<R extends Route> = Out<NonNullable<R["body"]>>;

/** What a JSON route answers with (the client gets it parsed). */
export type ResponseOf<R extends Route> = R["response"] extends JsonResponse<infer S> ? z.output<S> : undefined;

/** `:id` and `:code` of `/api/v1/pairings/:code/claim`. */
export type ParamKeys<P extends string> = P extends `${string}:${infer K}/${infer Rest}`
  ? K | ParamKeys<`/${Rest}`>
  : P extends `${string}:${infer K}`
    ? K
    : never;

type Nothing = Record<never, never>;

type Given<S> = [S] extends [never] ? false : [S] extends [undefined] ? false : true;

/** What a caller passes: the path's parameters, the query, the body. */
export type CallInput<R extends Route> = ([ParamKeys<R["path"]>] extends [never]
  ? Nothing
  : { params: Record<ParamKeys<R["path"]>, string | number> }) &
  (Given<R["query"]> extends true
    ? { query?: { [K in keyof z.output<NonNullable<R["query"]>>]?: z.output<NonNullable<R["query"]>>[K] | null } }
    : Nothing) &
  (Given<R["body"]> extends true ? { body: z.input<NonNullable<R["body"]>> } : Nothing);

/** The path with its parameters filled in, and the query string from the defined, non-empty values. */
export function urlOf(
  r: Pick<Route, "path">,
  params: Record<string, string | number> = {},
  query: Record<string, unknown> = {},
): string {
  const path = r.path.replace(/:([A-Za-z0-9_]+)/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`${r.path}: no value for :${k}`);
    return encodeURIComponent(String(v));
  });
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
