import { computed, signal } from "@preact/signals";
import { csrfToken, get, post, setUnauthorizedHandler } from "./api.ts";
import type { Role, SessionInfo, SessionUser } from "./types.ts";

export const ROLES: readonly Role[] = ["viewer", "editor", "approver", "admin"];

/** The logged-in operator; null when logged out; undefined while the first check runs. */
export const user = signal<SessionUser | null | undefined>(undefined);
export const role = computed<Role | null>(() => user.value?.role ?? null);

export function roleAtLeast(have: Role | null, need: Role): boolean {
  return have !== null && ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** Whether the operator may do what `need` allows; read inside a component to re-render on change. */
export const can = (need: Role): boolean => roleAtLeast(role.value, need);

function adopt(info: SessionInfo): void {
  csrfToken.value = info.csrfToken;
  user.value = info.user;
}

setUnauthorizedHandler(() => {
  csrfToken.value = null;
  user.value = null;
});

export async function restoreSession(): Promise<void> {
  try {
    adopt(await get<SessionInfo>("/api/v1/auth/me"));
  } catch {
    user.value = null;
  }
}

export async function login(username: string, password: string): Promise<void> {
  adopt(await post<SessionInfo>("/api/v1/auth/login", { username, password }));
}

export async function logout(): Promise<void> {
  try {
    await post("/api/v1/auth/logout");
  } finally {
    csrfToken.value = null;
    user.value = null;
  }
}
