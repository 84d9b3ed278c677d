import type { CreateUser, PatchUser, TokenBinding } from "@gatecast/playlists/api";
import type { z } from "zod";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { AppError, invalid, issue, notFound } from "../errors.ts";
import type { User } from "../store/users.ts";

/*
 * Operator accounts (admins manage them) and API tokens (everyone manages their own). The store's
 * User never carries the password hash.
 */

type Ctx = Pick<Context, "store" | "clock">;

function existing(ctx: Ctx, id: number): User {
  const u = ctx.store.users.get(id);
  if (!u) throw notFound("user", id);
  return u;
}

const lastAdmin = () => new AppError("last-admin", "this is the last enabled admin: make another admin first");

function isLastEnabledAdmin(ctx: Ctx, u: User): boolean {
  if (u.role !== "admin" || u.disabled) return false;
  return ctx.store.users.list().filter((x) => x.role === "admin" && !x.disabled).length <= 1;
}

export function createUser(ctx: Ctx, by: User, body: z.output<typeof CreateUser>): User {
  return ctx.store.transaction(() => {
    if (ctx.store.users.byUsername(body.username))
      throw new AppError("exists", `user "${body.username}" already exists`, {
        params: { kind: "user", id: body.username },
        issues: [issue("username", "exists", "taken", { kind: "user", id: body.username })],
      });
    const u = ctx.store.users.create(body, ctx.clock.now());
    audit(ctx, by, "create", "user", u.username, null, u);
    return u;
  });
}

/** Changes role, name, password or disabled flag; never leaves the store without an enabled admin. */
export function updateUser(ctx: Ctx, by: User, id: number, patch: z.output<typeof PatchUser>): User {
  return ctx.store.transaction(() => {
    const before = existing(ctx, id);
    const { password, ...rest } = patch;
    const demoted = (rest.role !== undefined && rest.role !== "admin") || rest.disabled === true;
    if (demoted && isLastEnabledAdmin(ctx, before)) throw lastAdmin();
    if (Object.values(rest).some((v) => v !== undefined)) {
      ctx.store.users.update(before.id, ctx.clock.now(), rest);
      audit(ctx, by, "update", "user", before.username, before, existing(ctx, before.id));
    }
    if (password) setPassword(ctx, by, before.id, password);
    return existing(ctx, before.id);
  });
}

/**
 * The one way a password changes, by an admin's reset or by its owner: stores it, ends the account's
 * sessions (the store does) and audits it without the password.
 */
export function setPassword(ctx: Ctx, by: User, id: number, password: string): void {
  const target = existing(ctx, id);
  ctx.store.users.update(target.id, ctx.clock.now(), { password });
  audit(ctx, by, by.id === target.id ? "change-password" : "reset-password", "user", target.username, null, {
    passwordChanged: true,
  });
}

/** Everyone changes their own password, knowing the current one (400 on `current` when wrong). */
export function changeOwnPassword(ctx: Ctx, me: User, current: string, password: string): void {
  if (!ctx.store.users.checkPassword(me.username, current))
    throw invalid([issue("current", "wrong-password", "is not your current password")], "wrong current password");
  setPassword(ctx, me, me.id, password);
}

export function deleteUser(ctx: Ctx, by: User, id: number): void {
  ctx.store.transaction(() => {
    const target = existing(ctx, id);
    if (target.id === by.id) throw new AppError("own-account", "you cannot delete your own account");
    if (isLastEnabledAdmin(ctx, target)) throw lastAdmin();
    ctx.store.users.delete(target.id);
    audit(ctx, by, "delete", "user", target.username, target, null);
  });
}

/** Tokens the caller may see: their own; an admin sees everyone's. */
export function listTokens(ctx: Ctx, me: User) {
  const names = new Map(ctx.store.users.list().map((u) => [u.id, u.username]));
  return ctx.store.users
    .listApiTokens(me.role === "admin" ? undefined : me.id)
    .map((t) => ({ ...t, username: names.get(t.userId) ?? null }));
}

export function createToken(
  ctx: Ctx,
  me: User,
  name: string,
  expiresInDays: number,
  binding: TokenBinding | null = null,
): { id: number; name: string; token: string; expiresAt: number } {
  if (binding) {
    // a bound token opens the CAP import whatever its user's role: only an admin hands one out
    if (me.role !== "admin")
      throw new AppError("forbidden", "only an admin makes a token bound to an agency", {
        params: { need: "admin", have: me.role },
      });
    const unknown = binding.gates.find((g) => !ctx.store.draft.get("gates", g));
    if (unknown)
      throw invalid(
        [issue("binding.gates", "unknown-ref", `unknown gate "${unknown}"`, { kind: "gate", id: unknown })],
        "invalid body",
      );
  }
  const now = ctx.clock.now();
  const created = ctx.store.users.createApiToken(me.id, name, now, now + expiresInDays * 86_400_000, binding);
  audit(ctx, me, "create", "api-token", created.id, null, {
    name,
    user: me.username,
    expiresAt: created.expiresAt,
    ...(binding ? { binding } : {}),
  });
  return { id: created.id, name, token: created.token, expiresAt: created.expiresAt };
}

/** Revokes a token the caller may see; someone else's is "not found" too (its existence is none of theirs). */
export function revokeToken(ctx: Ctx, me: User, id: number): void {
  const token = ctx.store.users.listApiTokens(me.role === "admin" ? undefined : me.id).find((t) => t.id === id);
  if (!token) throw notFound("API token", id);
  const now = ctx.clock.now();
  if (ctx.store.users.revokeApiToken(token.id, now))
    audit(
      ctx,
      me,
      "revoke",
      "api-token",
      token.id,
      { name: token.name, revokedAt: null },
      { name: token.name, revokedAt: now },
    );
}
