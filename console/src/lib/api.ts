import { signal } from "@preact/signals";

/** One problem the controller found, at a dotted path inside what was sent (`title.zh`, `items.2.item`). */
export interface Issue {
  path: string;
  message: string;
}

/** A non-2xx answer: `{error, issues?}` from the controller, with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: Issue[] = [],
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

interface ErrorBody {
  message?: unknown;
  issues?: unknown;
}

function toIssues(v: unknown): Issue[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((i: unknown) => {
    if (typeof i !== "object" || i === null) return [];
    const o = i as Record<string, unknown>;
    return [{ path: typeof o.path === "string" ? o.path : "", message: String(o.message ?? "") }];
  });
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // not JSON: keep the status text
  }
  const message = typeof body.message === "string" ? body.message : res.statusText || `HTTP ${res.status}`;
  return new ApiError(res.status, message, toIssues(body.issues));
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken.value) headers["x-csrf-token"] = csrfToken.value;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network");
  }
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && !path.endsWith("/auth/login")) onUnauthorized();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string) => request<T>("GET", path);
export const post = <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {});
export const put = <T>(path: string, body: unknown) => request<T>("PUT", path, body);
export const del = (path: string) => request<undefined>("DELETE", path);

/** Query string from the defined, non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

export interface Upload<T> {
  done: Promise<T>;
  abort: () => void;
}

/** Multipart upload with progress (fetch cannot report upload progress; XMLHttpRequest can). */
export function upload<T>(path: string, field: string, file: File, onProgress: (ratio: number) => void): Upload<T> {
  const xhr = new XMLHttpRequest();
  const done = new Promise<T>((resolve, reject) => {
    xhr.open("POST", path);
    xhr.responseType = "text";
    if (csrfToken.value) xhr.setRequestHeader("x-csrf-token", csrfToken.value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: ErrorBody & Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText || "{}") as ErrorBody & Record<string, unknown>;
      } catch {
        // keep empty
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
      } else {
        if (xhr.status === 401) onUnauthorized();
        reject(
          new ApiError(
            xhr.status,
            typeof body.message === "string" ? body.message : `HTTP ${xhr.status}`,
            toIssues(body.issues),
          ),
        );
      }
    };
    xhr.onerror = () => reject(new ApiError(0, "network"));
    xhr.onabort = () => reject(new ApiError(0, "aborted"));
    const form = new FormData();
    form.append(field, file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

/** Issues keyed by path, for fields to find theirs; `prefix` strips a leading path (e.g. "body."). */
export function issueMap(issues: readonly Issue[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const i of issues) {
    const prev = m.get(i.path);
    m.set(i.path, prev ? `${prev}; ${i.message}` : i.message);
  }
  return m;
}
