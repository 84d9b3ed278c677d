import { signal } from "@preact/signals";
import type { ComponentChildren, JSX } from "preact";

/** A tiny history router under the console's base path. */
export const BASE = "/console";

export interface Location {
  /** Path inside the console, always starting with "/". */
  path: string;
  query: URLSearchParams;
}

function read(): Location {
  const raw = window.location.pathname;
  const path = raw.startsWith(BASE) ? raw.slice(BASE.length) || "/" : raw;
  return { path, query: new URLSearchParams(window.location.search) };
}

export const location = signal<Location>(read());

/** Asked before leaving a page with unsaved changes; return false to stay. */
let leaveGuard: (() => boolean) | null = null;
export function setLeaveGuard(fn: (() => boolean) | null): void {
  leaveGuard = fn;
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (leaveGuard && !leaveGuard()) return;
  leaveGuard = null;
  const url = `${BASE}${to}`;
  if (opts.replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  location.value = read();
  window.scrollTo(0, 0);
}

/** Changes the query string in place (filters), without a history entry per keystroke. */
export function setQuery(params: Record<string, string | undefined>): void {
  const q = new URLSearchParams(location.value.query);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === "") q.delete(k);
    else q.set(k, v);
  }
  const s = q.toString();
  history.replaceState(null, "", `${BASE}${location.value.path}${s ? `?${s}` : ""}`);
  location.value = read();
}

window.addEventListener("popstate", () => {
  location.value = read();
});

/** `/playlists/:id` against `/playlists/rush-hour` → {id: "rush-hour"}; null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split("/").filter(Boolean);
  const s = path.split("/").filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i] ?? "";
    const seg = s[i] ?? "";
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return null;
  }
  return params;
}

type LinkProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, "href"> & { href: string; children: ComponentChildren };

/** An ordinary link (open in new tab works) that navigates in place on a plain click. */
export function Link({ href, children, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={`${BASE}${href}`}
      onClick={(e) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
