import { statfs } from "node:fs/promises";
import type { DiskSpace, MediaGcReport, MediaGcRequest } from "@gatecast/playlists/api";
import type { z } from "zod";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { AppError } from "../errors.ts";
import { collectMediaGarbage, MediaGcError } from "../features/mediaGc.ts";
import type { User } from "../store/users.ts";

/** Free and total space of the file system holding DATA_DIR. */
export async function diskSpace(ctx: Pick<Context, "config">): Promise<DiskSpace> {
  const s = await statfs(ctx.config.dataDir);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}

/** `gatecast media-gc` for the console: a dry run lists, otherwise the files go (audited). */
export async function runMediaGc(
  ctx: Pick<Context, "config" | "store" | "clock">,
  user: User,
  req: z.output<typeof MediaGcRequest>,
): Promise<MediaGcReport> {
  const keepReleases = ctx.config.mediaKeepReleases;
  try {
    const r = await collectMediaGarbage(ctx.store, {
      keepReleases,
      graceMs: req.minAgeHours * 3_600_000,
      now: ctx.clock.now(),
      dryRun: req.dryRun,
    });
    if (!r.dryRun && r.removed.length)
      audit(ctx, user, "media-gc", "media", null, null, {
        removed: r.removed.map((f) => f.sha256),
        bytes: r.bytes,
      });
    return { ...r, keepReleases, minAgeHours: req.minAgeHours };
  } catch (e) {
    if (e instanceof MediaGcError) throw new AppError("internal", e.message);
    throw e;
  }
}
