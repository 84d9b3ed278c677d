import type { Context as HonoContext } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { type Env, SESSION_COOKIE } from "./auth.ts";

/** HttpOnly so scripts cannot read it; SameSite=Strict so other sites cannot make the browser send it. */
export function setSessionCookie(c: HonoContext<Env>, token: string, opts: { secure: boolean; maxAgeS: number }): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Strict",
    path: "/",
    secure: opts.secure,
    maxAge: opts.maxAgeS,
  });
}

export function clearSessionCookie(c: HonoContext<Env>, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: "Strict", path: "/", secure });
}
