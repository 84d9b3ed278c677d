import { CONTENT_KINDS, type ContentKind, type KindRoutes, routes } from "@gatecast/playlists/api";
import type { z } from "zod";
import type { Context } from "../../context.ts";
import {
  type ContentObject,
  createObject,
  draftView,
  getObject,
  objectAt,
  removeObject,
  reorderSchedules,
  saveObject,
  setWebHosts,
} from "../../usecases/content.ts";
import { type Api, Reply } from "../api.ts";
import { caller } from "../request.ts";

/** Draft CRUD: editors write, viewers read. Nothing here reaches a screen until an approver releases. */
export function registerContentRoutes(api: Api, ctx: Context): void {
  const r = routes.content;
  api.handle(r.draft, () => draftView(ctx));
  api.handle(r.webHosts, () => ({ hosts: ctx.store.draft.webHosts() }));
  api.handle(r.setWebHosts, ({ body, user }) => ({ hosts: setWebHosts(ctx, caller(user), body.hosts) }));
  api.handle(r.scheduleOrder, ({ body, user }) => {
    reorderSchedules(ctx, caller(user), body.ids);
    return { ids: body.ids };
  });
  for (const kind of CONTENT_KINDS) registerKind(api, ctx, kind);
}

function registerKind(api: Api, ctx: Context, kind: ContentKind): void {
  // one body for the four kinds: typed for any of their objects (the contract checks each answer)
  const r: KindRoutes<z.ZodType<ContentObject>> = routes.content[kind];
  api.handle(r.list, () => ctx.store.draft.list(kind));
  api.handle(r.get, ({ params }) => getObject(ctx, kind, params.id));
  api.handle(r.create, ({ body, user }) => {
    createObject(ctx, caller(user), kind, body);
    return body;
  });
  api.handle(r.put, ({ params, body, user }) => {
    const obj = objectAt(kind, params.id, body);
    const created = saveObject(ctx, caller(user), kind, obj);
    return new Reply(created ? 201 : 200, obj);
  });
  api.handle(r.remove, ({ params, user }) => {
    removeObject(ctx, caller(user), kind, params.id);
  });
}
