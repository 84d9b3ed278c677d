import { z } from "zod";
import { refinement } from "../issues.ts";
import { ContributorScope } from "../review.ts";
import { Role } from "../roles.ts";
import { Id } from "../schema/common.ts";
import { empty, json, route } from "./contract.ts";
import { IntIdParams } from "./params.ts";

export const PublicUser = z.object({
  id: z.int(),
  username: z.string(),
  role: Role,
  displayName: z.string().nullable(),
  /** A contributor's agency, categories and gates (the console offers only what is inside). */
  scope: ContributorScope.nullable().optional(),
});
export type PublicUser = z.infer<typeof PublicUser>;

export const SessionInfo = z.object({ user: PublicUser, csrfToken: z.string().nullable() });
export type SessionInfo = z.infer<typeof SessionInfo>;

export const UserView = PublicUser.extend({
  createdAt: z.int(),
  disabled: z.boolean(),
});
export type UserView = z.infer<typeof UserView>;

/**
 * What an API token bound to an agency may do: send CAP messages for its gates (the CAP import takes
 * it whatever its user's role), and nothing else. Only an admin makes one.
 */
export const TokenBinding = z.strictObject({
  agency: z.string().trim().min(1, { error: "must not be empty" }).max(200),
  gates: z.array(Id).min(1, { error: "name at least one gate" }).max(50),
});
export type TokenBinding = z.infer<typeof TokenBinding>;

export const TokenView = z.object({
  id: z.int(),
  userId: z.int(),
  username: z.string().nullable(),
  name: z.string(),
  createdAt: z.int(),
  /** After this it is refused (null: a token from before tokens expired, never the case since). */
  expiresAt: z.int().nullable(),
  lastUsedAt: z.int().nullable(),
  /** Revoked by hand, or by a password reset of its user. */
  revokedAt: z.int().nullable(),
  /** Set on a token bound to an agency and its gates (CAP import only). */
  binding: TokenBinding.nullable().optional(),
});
export type TokenView = z.infer<typeof TokenView>;

export const LoginBody = z.strictObject({
  username: z.string().trim().min(1, { error: "required" }).max(200),
  password: z.string().min(1, { error: "required" }).max(1024),
});

const Username = z.stringFormat("username", /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/, {
  error: 'use 2–64 letters, digits, ".", "_", "-" or "@", starting with a letter or digit',
});
const Password = z.string().min(12, { error: "must be at least 12 characters" }).max(1024);
const DisplayName = z.string().trim().min(1, { error: "must not be empty" }).max(200);

export const CreateUser = z
  .strictObject({
    username: z.string().trim().pipe(Username),
    password: Password,
    role: Role,
    displayName: DisplayName.optional(),
    /** Required for a contributor, refused for other roles. */
    scope: ContributorScope.optional(),
  })
  .refine((u) => (u.role === "contributor") === (u.scope !== undefined), {
    error: "a contributor needs its scope (agency, categories, gates); other roles have none",
    path: ["scope"],
    params: refinement("out-of-scope"),
  });

export const ChangePassword = z.strictObject({
  current: z.string().min(1, { error: "required" }).max(1024),
  password: Password,
});

export const PatchUser = z
  .strictObject({
    role: Role.optional(),
    displayName: DisplayName.nullable().optional(),
    disabled: z.boolean().optional(),
    password: Password.optional(),
    scope: ContributorScope.nullable().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    error: "change at least one field",
    params: refinement("empty-patch"),
  });

const auth = "auth";

export const authRoutes = {
  login: route({
    method: "post",
    path: "/api/v1/auth/login",
    summary: "Log in: sets the session cookie and returns the CSRF token for writes",
    tag: auth,
    role: null,
    body: LoginBody,
    response: json(SessionInfo, "the user and the CSRF token"),
  }),
  logout: route({
    method: "post",
    path: "/api/v1/auth/logout",
    summary: "Log out: ends the session and clears its cookie",
    tag: auth,
    role: "viewer",
    response: empty("logged out"),
  }),
  password: route({
    method: "post",
    path: "/api/v1/auth/password",
    summary: "Change your own password (ends your other sessions; this one goes on with a new CSRF token)",
    tag: auth,
    role: "viewer",
    body: ChangePassword,
    response: json(SessionInfo, "the user and the session's new CSRF token"),
  }),
  me: route({
    method: "get",
    path: "/api/v1/auth/me",
    summary: "Who is logged in, with the session's CSRF token (null for API tokens)",
    tag: auth,
    role: "viewer",
    response: json(SessionInfo, "the user and the CSRF token"),
  }),
};

export const TOKEN_DEFAULT_DAYS = 90;
export const TOKEN_MAX_DAYS = 366;

export const tokenRoutes = {
  list: route({
    method: "get",
    path: "/api/v1/tokens",
    summary: "API tokens: your own; an admin sees everyone's",
    tag: auth,
    role: "viewer",
    response: json(z.array(TokenView), "tokens without their secret"),
  }),
  create: route({
    method: "post",
    path: "/api/v1/tokens",
    summary:
      "Create an API token that acts as you until it expires (default 90 days, at most a year) or your password is reset; its secret is shown only in this answer",
    tag: auth,
    role: "viewer",
    body: z.strictObject({
      name: z.string().trim().min(1, { error: "must not be empty" }).max(100),
      expiresInDays: z.int().min(1).max(TOKEN_MAX_DAYS).default(TOKEN_DEFAULT_DAYS),
      /** An admin's token for an agency's CAP feed: only the CAP import, only these gates. */
      binding: TokenBinding.optional(),
    }),
    response: json(
      z.object({ id: z.int(), name: z.string(), token: z.string(), expiresAt: z.int() }),
      "the token and its secret",
      { status: 201 },
    ),
  }),
  revoke: route({
    method: "delete",
    path: "/api/v1/tokens/:id",
    summary: "Revoke an API token (your own; an admin may revoke anyone's)",
    tag: auth,
    role: "viewer",
    params: IntIdParams,
    response: empty("revoked"),
  }),
};

const users = "users";

export const userRoutes = {
  list: route({
    method: "get",
    path: "/api/v1/users",
    summary: "Operator accounts",
    tag: users,
    role: "admin",
    response: json(z.array(UserView), "every account"),
  }),
  create: route({
    method: "post",
    path: "/api/v1/users",
    summary: "Create an operator account (409 when the username is taken)",
    tag: users,
    role: "admin",
    body: CreateUser,
    response: json(UserView, "the account", { status: 201 }),
  }),
  update: route({
    method: "patch",
    path: "/api/v1/users/:id",
    summary: "Change an account's role, name, password or disabled flag (ends its sessions on password or disable)",
    tag: users,
    role: "admin",
    params: IntIdParams,
    body: PatchUser,
    response: json(UserView, "the account"),
  }),
  remove: route({
    method: "delete",
    path: "/api/v1/users/:id",
    summary: "Delete an account and its sessions and API tokens",
    tag: users,
    role: "admin",
    params: IntIdParams,
    response: empty("deleted"),
  }),
};
