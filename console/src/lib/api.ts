import {
  ApiErrorBody,
  type ApiIssue,
  type CallInput,
  type ErrorCode,
  type IssueParams,
  type ResponseOf,
  type Route,
  urlOf,
} from "@gatecast/playlists/api";
import { signal } from "@preact/signals";

/**
 * The console's one way to the controller: every call names a route of the contract
 * (`@gatecast/playlists/api`), and every answer is parsed with that route's schema.
 */

/** Why a call failed: the controller's error code, or what went wrong on the way. */
export type FailureCode = ErrorCode | "network" | "aborted" | "bad-response";

/** A failed call: the controller's `{code, params, issues}`, or one of our own codes. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: FailureCode,
    message: string,
    readonly issues: ApiIssue[] = [],
    readonly params: IssueParams = {},
  ) {
    super(message);
  }
}

/** CSRF token of the session, sent with every write. */
export const csrfToken = signal<string | null>(null);
/** Called when the controller answers 401: the session ended elsewhere. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

/** The error a non-2xx answer carries; one that is not the contract's error body is `bad-response`. */
export function errorOf(status: number, text: string): ApiError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return new ApiError(status, "bad-response", `HTTP ${status}`);
  }
  const body = ApiErrorBody.safeParse(json);
  if (!body.success) return new ApiError(status, "bad-response", `HTTP ${status}`);
  const { code, message, issues, params } = body.data;
  return new ApiError(status, code, message, issues ?? [], params ?? {});
}

/** A 2xx answer's body, parsed with the route's schema. */
export function parseAnswer<R extends Route>(route: R, status: number, text: string): ResponseOf<R> {
  const spec = route.response;
  if (spec.kind !== "json") return undefined as ResponseOf<R>;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(status, "bad-response", `${route.method.toUpperCase()} ${route.path}: not JSON`);
  }
  const r = spec.schema.safeParse(json);
  if (!r.success)
    throw new ApiError(status, "bad-response", `${route.method.toUpperCase()} ${route.path}: ${r.error.message}`);
  return r.data as ResponseOf<R>;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;
let fetchImpl: Fetch = (input, init) => fetch(input, init);
/** For tests: where requests go. */
export function setFetch(f: Fetch): void {
  fetchImpl = f;
}

type Args<R extends Route> = Record<never, never> extends CallInput<R> ? [input?: CallInput<R>] : [input: CallInput<R>];

/** Calls a route of the contract and returns its parsed answer. */
export async function call<R extends Route>(route: R, ...[input]: Args<R>): Promise<ResponseOf<R>> {
  const { params, query, body } = (input ?? {}) as {
    params?: Record<string, string | number>;
    query?: object;
    body?: unknown;
  };
  const sendsBody = route.body !== undefined;
  return request(
    route,
    urlOf(route, params, query as Record<string, unknown> | undefined),
    sendsBody ? { type: "application/json", text: JSON.stringify(body ?? {}) } : undefined,
  );
}

/** Calls a route that takes a body other than JSON (a CAP message), as text of the route's type. */
export function callRaw<R extends Route>(
  route: R,
  text: string,
  opts: { query?: Record<string, string | number | undefined> } = {},
): Promise<ResponseOf<R>> {
  return request(route, urlOf(route, {}, opts.query ?? {}), {
    type: route.rawBody?.contentType ?? "application/octet-stream",
    text,
  });
}

async function request<R extends Route>(
  route: R,
  url: string,
  body: { type: string; text: string } | undefined,
): Promise<ResponseOf<R>> {
  const method = route.method.toUpperCase();
  const headers: Record<string, string> = { accept: "application/json" };
  if (body) headers["content-type"] = body.type;
  if (method !== "GET" && csrfToken.value) headers["x-csrf-token"] = csrfToken.value;
  let res: Response;
  try {
    res = await fetchImpl(url, { method, headers, credentials: "same-origin", body: body?.text });
  } catch {
    throw new ApiError(0, "network", "network");
  }
  const text = await res.text();
  if (!res.ok) {
    if (res.status === 401 && route.path !== "/api/v1/auth/login") onUnauthorized();
    throw errorOf(res.status, text);
  }
  return parseAnswer(route, res.status, text);
}

/** The URL of a route that answers with something other than JSON (a CSV, a screenshot). */
export const hrefOf = <R extends Route>(route: R, ...[input]: Args<R>): string => {
  const { params, query } = (input ?? {}) as { params?: Record<string, string | number>; query?: object };
  return urlOf(route, params, query as Record<string, unknown> | undefined);
};

export interface Upload<T> {
  done: Promise<T>;
  abort: () => void;
}

/** Multipart upload of one file with progress (fetch cannot report upload progress; XMLHttpRequest can). */
export function upload<R extends Route>(
  route: R,
  file: File,
  onProgress: (ratio: number) => void,
): Upload<ResponseOf<R>> {
  const xhr = new XMLHttpRequest();
  const done = new Promise<ResponseOf<R>>((resolve, reject) => {
    xhr.open(route.method.toUpperCase(), route.path);
    xhr.responseType = "text";
    if (csrfToken.value) xhr.setRequestHeader("x-csrf-token", csrfToken.value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          const parsed = parseAnswer(route, xhr.status, xhr.responseText);
          onProgress(1);
          resolve(parsed);
        } catch (e) {
          reject(e);
        }
      } else {
        if (xhr.status === 401) onUnauthorized();
        reject(errorOf(xhr.status, xhr.responseText));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "network"));
    xhr.onabort = () => reject(new ApiError(0, "aborted", "aborted"));
    const form = new FormData();
    form.append(route.upload?.field ?? "file", file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
