import { routes } from "@gatecast/playlists/api";
import type { Context } from "../../context.ts";
import { createUser, deleteUser, updateUser } from "../../usecases/users.ts";
import type { Api } from "../api.ts";
import { caller } from "../request.ts";

/** Admins manage operator accounts. */
export function registerUserRoutes(api: Api, ctx: Context): void {
  const r = routes.users;
  api.handle(r.list, () => ctx.store.users.list());
  api.handle(r.create, ({ body, user }) => createUser(ctx, caller(user), body));
  api.handle(r.update, ({ params, body, user }) => updateUser(ctx, caller(user), params.id, body));
  api.handle(r.remove, ({ params, user }) => {
    deleteUser(ctx, caller(user), params.id);
  });
}
