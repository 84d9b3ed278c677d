import { z } from "zod";
import type { Context } from "../../context.ts";
import { Role, type User } from "../../store/users.ts";
import type { Api } from "../api.ts";
import { audit } from "../audit.ts";
import { HttpError, notFound } from "../errors.ts";
import { IntIdParams } from "../params.ts";
import { caller } from "../request.ts";

const TAG = "users";

const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/, {
    error: 'use 2–64 letters, digits, ".", "_", "-" or "@", starting with a letter or digit',
  });
const Password = z.string().min(12, { error: "must be at least 12 characters" }).max(1024);
const DisplayName = z.string().trim().min(1, { error: "must not be empty" }).max(200);

const CreateUser = z.strictObject({
  username: Username,
  password: Password,
  role: Role,
  displayName: DisplayName.optional(),
});

const PatchUser = z
  .strictObject({
    role: Role.optional(),
    displayName: DisplayName.nullable().optional(),
    disabled: z.boolean().optional(),
    password: Password.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { error: "change at least one field" });

const UserOut = z.object({
  id: z.int(),
  username: z.string(),
  role: Role,
  displayName: z.string().nullable(),
  createdAt: z.int(),
  disabled: z.boolean(),
});

/** Admins manage operator accounts. The store's User never carries the password hash. */
export function registerUserRoutes(api: Api, ctx: Context): void {
  api.route(
    {
      method: "get",
      path: "/api/v1/users",
      summary: "Operator accounts",
      tag: TAG,
      role: "admin",
      response: { description: "every account", schema: z.array(UserOut) },
    },
    (c) => c.json(ctx.store.users.list()),
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/users",
      summary: "Create an operator account (409 when the username is taken)",
      tag: TAG,
      role: "admin",
      body: CreateUser,
      response: { status: 201, description: "the account", schema: UserOut },
    },
    (c, { body, user }) => {
      const created = ctx.store.transaction(() => {
        if (ctx.store.users.byUsername(body.username))
          throw new HttpError(409, `user "${body.username}" already exists`, [{ path: "username", message: "taken" }]);
        const u = ctx.store.users.create(body, ctx.clock.now());
        audit(ctx, caller(user), "create", "user", u.username, null, u);
        return u;
      });
      return c.json(created, 201);
    },
  );

  api.route(
    {
      method: "patch",
      path: "/api/v1/users/:id",
      summary: "Change an account's role, name, password or disabled flag (ends its sessions on password or disable)",
      tag: TAG,
      role: "admin",
      params: IntIdParams,
      body: PatchUser,
      response: { description: "the account", schema: UserOut },
    },
    (c, { params, body, user }) => {
      const updated = ctx.store.transaction(() => {
        const before = existing(ctx, params.id);
        const demoted = (body.role !== undefined && body.role !== "admin") || body.disabled === true;
        if (demoted && isLastEnabledAdmin(ctx, before))
          throw new HttpError(409, "this is the last enabled admin: make another admin first");
        ctx.store.users.update(before.id, body);
        const after = existing(ctx, before.id);
        audit(ctx, caller(user), "update", "user", after.username, before, {
          ...after,
          ...(body.password ? { passwordChanged: true } : {}),
        });
        return after;
      });
      return c.json(updated);
    },
  );

  api.route(
    {
      method: "delete",
      path: "/api/v1/users/:id",
      summary: "Delete an account and its sessions and API tokens",
      tag: TAG,
      role: "admin",
      params: IntIdParams,
      response: { status: 204, description: "deleted" },
    },
    (c, { params, user }) => {
      const me = caller(user);
      ctx.store.transaction(() => {
        const target = existing(ctx, params.id);
        if (target.id === me.id) throw new HttpError(409, "you cannot delete your own account");
        if (isLastEnabledAdmin(ctx, target))
          throw new HttpError(409, "this is the last enabled admin: make another admin first");
        ctx.store.users.delete(target.id);
        audit(ctx, me, "delete", "user", target.username, target, null);
      });
      return c.body(null, 204);
    },
  );
}

function existing(ctx: Context, id: number): User {
  const u = ctx.store.users.get(id);
  if (!u) throw notFound(`user ${id}`);
  return u;
}

function isLastEnabledAdmin(ctx: Context, u: User): boolean {
  if (u.role !== "admin" || u.disabled) return false;
  return ctx.store.users.list().filter((x) => x.role === "admin" && !x.disabled).length <= 1;
}
