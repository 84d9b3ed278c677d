import { z } from "zod";
import { Sha256 } from "../schema/common.ts";
import { json, route } from "./contract.ts";

const TAG = "maintenance";
const bytes = z.number().int().nonnegative();

/** Free and total space of the file system holding DATA_DIR (the store and the media). */
export const DiskSpace = z.object({ freeBytes: bytes, totalBytes: bytes });
export type DiskSpace = z.infer<typeof DiskSpace>;

export const MediaGcFile = z.object({
  sha256: Sha256,
  bytes,
  /** The uploaded file's name; null for a file on disk the store never recorded. */
  name: z.string().nullable(),
  known: z.boolean(),
});
export type MediaGcFile = z.infer<typeof MediaGcFile>;

export const MediaGcRequest = z.strictObject({
  /** List only (the default): nothing is removed. */
  dryRun: z.boolean().default(true),
  /** Files younger than this are kept whatever refers to them. */
  minAgeHours: z
    .int()
    .min(0)
    .max(24 * 365)
    .default(24),
});

export const MediaGcReport = z.object({
  removed: z.array(MediaGcFile),
  /** Their total size. */
  bytes,
  kept: z.int().nonnegative(),
  dryRun: z.boolean(),
  keepReleases: z.int().positive(),
  minAgeHours: z.int().nonnegative(),
});
export type MediaGcReport = z.infer<typeof MediaGcReport>;

export const maintenanceRoutes = {
  disk: route({
    method: "get",
    path: "/api/v1/system/disk",
    summary: "Free and total space of the disk holding the store and the media",
    tag: TAG,
    role: "viewer",
    response: json(DiskSpace, "`{freeBytes, totalBytes}`"),
  }),
  mediaGc: route({
    method: "post",
    path: "/api/v1/media-gc",
    summary:
      "Media garbage collection: files neither the draft, the newest MEDIA_KEEP_RELEASES releases nor any screen's manifest uses, older than minAgeHours; `dryRun` (the default) lists them, otherwise they are removed",
    tag: TAG,
    role: "admin",
    body: MediaGcRequest,
    response: json(MediaGcReport, "what was (or would be) removed, and its size"),
  }),
};
