import { type Role, roleAtLeast } from "@gatecast/playlists";
import { type PublicUser, routes, type SessionInfo } from "@gatecast/playlists/api";
import { computed, signal } from "@preact/signals";
import { call, csrfToken, setUnauthorizedHandler } from "./api.ts";

/** The logged-in operator; null when logged out; undefined while the first check runs. */
export const user = signal<PublicUser | null | undefined>(undefined);
export const role = computed<Role | null>(() => user.value?.role ?? null);

/** Whether the operator may do what `need` allows; read inside a component to re-render on change. */
export const can = (need: Role): boolean => role.value !== null && roleAtLeast(role.value, need);
/** A contributor's scope (agency, categories, gates), or null: the console offers only what is inside it. */
export const scope = computed(() => (user.value?.role === "contributor" ? (user.value.scope ?? null) : null));

/** Takes on a session the controller answered with (login, or a password change's new session). */
export function adopt(info: SessionInfo): void {
  csrfToken.value = info.csrfToken;
  user.value = info.user;
}

setUnauthorizedHandler(() => {
  csrfToken.value = null;
  user.value = null;
});

export async function restoreSession(): Promise<void> {
  try {
    adopt(await call(routes.auth.me));
  } catch {
    user.value = null;
  }
}

export async function login(username: string, password: string): Promise<void> {
  adopt(await call(routes.auth.login, { body: { username, password } }));
}

export async function logout(): Promise<void> {
  try {
    await call(routes.auth.logout);
  } finally {
    csrfToken.value = null;
    user.value = null;
  }
}
