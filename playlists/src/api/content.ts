import { z } from "zod";
import { ApiIssue } from "../issues.ts";
import { Id } from "../schema/common.ts";
import { Content, Gate, Item, MediaInfo, Playlist, ScheduleEntry, WebHost } from "../schema/content.ts";
import { empty, json, route } from "./contract.ts";
import { IdParams } from "./params.ts";

const TAG = "content";

/** A problem that would stop the draft's release, with the object it is in (`id` null: in no listed object). */
export const DraftIssue = ApiIssue.extend({ kind: z.string(), id: z.string().nullable() });
export type DraftIssue = z.infer<typeof DraftIssue>;

export const DraftView = z.object({ content: Content, issues: z.array(DraftIssue) });
export type DraftView = z.infer<typeof DraftView>;

export const WebHosts = z.strictObject({ hosts: z.array(WebHost).max(1000) });
export const ScheduleOrder = z.strictObject({ ids: z.array(Id).max(10_000) });

/** A stored media file. */
export const MediaEntry = MediaInfo.extend({ name: z.string().nullable(), createdAt: z.int() });
export type MediaEntry = z.infer<typeof MediaEntry>;

/** A PUT body: checked against the kind's schema once the path's id is filled in. */
const ObjectBody = z
  .record(z.string(), z.unknown())
  .meta({ description: "The object; `id` may be left out (it is taken from the path)" });

/** The draft's list of one kind, and each object in it. */
function objectRoutes<const K extends string, S extends z.ZodType>(
  kind: K,
  one: string,
  schema: S,
  writer: "contributor" | "editor" = "editor",
) {
  const base = `/api/v1/${kind}` as const;
  return {
    list: route({
      method: "get",
      path: base,
      summary: `List the draft's ${kind}`,
      tag: TAG,
      role: "viewer",
      response: json(z.array(schema), `every ${one}, in order`),
    }),
    get: route({
      method: "get",
      path: `${base}/:id`,
      summary: `One ${one} of the draft`,
      tag: TAG,
      role: "viewer",
      params: IdParams,
      response: json(schema, `the ${one}`),
    }),
    create: route({
      method: "post",
      path: base,
      summary: `Add a ${one} to the draft (409 when the id is taken)`,
      tag: TAG,
      role: writer,
      body: schema,
      response: json(schema, `the ${one} as stored`, { status: 201 }),
    }),
    put: route({
      method: "put",
      path: `${base}/:id`,
      summary: `Create or replace a ${one} of the draft`,
      tag: TAG,
      role: writer,
      params: IdParams,
      body: ObjectBody,
      response: json(schema, `the ${one} as stored (201 when it is new)`, { also: [201] }),
    }),
    remove: route({
      method: "delete",
      path: `${base}/:id`,
      summary: `Remove a ${one} from the draft (409 while anything refers to it)`,
      tag: TAG,
      role: writer,
      params: IdParams,
      response: empty("removed"),
    }),
  };
}

/** One kind's routes, for code generic over the kind. */
export type KindRoutes<S extends z.ZodType = z.ZodType> = ReturnType<typeof objectRoutes<string, S>>;

export const CONTENT_KINDS = ["gates", "items", "playlists", "schedules"] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export const contentRoutes = {
  draft: route({
    method: "get",
    path: "/api/v1/draft",
    summary: "The whole draft and the problems that would stop its release",
    tag: TAG,
    role: "viewer",
    response: json(DraftView, "`{content, issues}`"),
  }),
  webHosts: route({
    method: "get",
    path: "/api/v1/web-hosts",
    summary: "Hosts `web` items may show",
    tag: TAG,
    role: "viewer",
    response: json(WebHosts, "`{hosts}`"),
  }),
  setWebHosts: route({
    method: "put",
    path: "/api/v1/web-hosts",
    summary: "Replace the hosts `web` items may show (approver or admin: the list exists to constrain editors)",
    tag: TAG,
    role: "approver",
    body: WebHosts,
    response: json(WebHosts, "`{hosts}` as stored (sorted, without duplicates)"),
  }),
  // before `PUT /schedules/:id`, which would match "order" as an id
  scheduleOrder: route({
    method: "put",
    path: "/api/v1/schedules/order",
    summary: "Set the schedules' order: priority ties go to the first listed",
    tag: TAG,
    role: "editor",
    body: ScheduleOrder,
    response: json(ScheduleOrder, "`{ids}` in the new order"),
  }),
  gates: objectRoutes("gates", "gate", Gate),
  // contributors write items too, within their scope (checked by the use case)
  items: objectRoutes("items", "item", Item, "contributor"),
  playlists: objectRoutes("playlists", "playlist", Playlist),
  schedules: objectRoutes("schedules", "schedule", ScheduleEntry),
};

export const mediaRoutes = {
  upload: route({
    method: "post",
    path: "/api/v1/media",
    summary: "Upload an image or video (multipart field `file`); stored once by sha256",
    tag: "media",
    role: "editor",
    upload: { field: "file" },
    response: json(MediaEntry, "stored", { status: 201 }),
  }),
  list: route({
    method: "get",
    path: "/api/v1/media",
    summary: "All stored media",
    tag: "media",
    role: "viewer",
    response: json(z.array(MediaEntry), "every file, newest first"),
  }),
};
