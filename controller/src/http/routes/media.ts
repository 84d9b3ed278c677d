import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { Sha256 } from "@gatecast/playlists";
import { routes } from "@gatecast/playlists/api";
import busboy from "busboy";
import { audit } from "../../audit.ts";
import type { Context } from "../../context.ts";
import { AppError, invalid, issue, notFound } from "../../errors.ts";
import { MediaTooLargeError, MediaTypeError, type StoredMedia } from "../../store/media.ts";
import type { Api } from "../api.ts";

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "Content-Length, Content-Range, ETag",
};

/** Parses `bytes=a-b` against a size; null when unsatisfiable, undefined when absent or multi-range. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const [, a, b] = m;
  if (a === "" && b === "") return null;
  let start: number;
  let end: number;
  if (a === "") {
    start = Math.max(0, size - Number(b));
    end = size - 1;
  } else {
    start = Number(a);
    end = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  }
  return start <= end && start < size ? { start, end } : null;
}

export function registerMediaRoutes(api: Api, ctx: Context): void {
  api.handle(routes.media.upload, async ({ user, c }) => {
    const type = c.req.header("content-type") ?? "";
    if (!type.startsWith("multipart/form-data"))
      throw new AppError("unsupported-type", "expected multipart/form-data with a field named file");
    const incoming = c.env.incoming;
    const stored = await new Promise<StoredMedia>((resolve, reject) => {
      let bb: busboy.Busboy;
      try {
        bb = busboy({
          headers: incoming.headers,
          limits: { files: 1, fileSize: ctx.config.mediaMaxBytes + 1, fields: 10 },
        });
      } catch {
        reject(new AppError("upload-failed", "malformed multipart body"));
        return;
      }
      let got = false;
      bb.on("file", (field, file, info) => {
        if (field !== "file" || got) {
          file.resume();
          return;
        }
        got = true;
        ctx.store.media
          .put(file, { maxBytes: ctx.config.mediaMaxBytes, name: info.filename, now: ctx.clock.now() })
          .then(resolve, reject);
      });
      bb.on("error", () => reject(new AppError("upload-failed", "upload interrupted or malformed")));
      bb.on("close", () => {
        if (!got) reject(invalid([issue("file", "no-file", "required")], "no file field in the upload"));
      });
      incoming.on("aborted", () => bb.destroy(new Error("aborted")));
      incoming.pipe(bb);
    }).catch((e: unknown) => {
      if (e instanceof MediaTooLargeError)
        throw new AppError("too-large", `file is larger than ${ctx.config.mediaMaxBytes} bytes`, {
          params: { maxBytes: ctx.config.mediaMaxBytes },
        });
      if (e instanceof MediaTypeError) throw new AppError("unsupported-type", e.message);
      if ((e as NodeJS.ErrnoException).code === "ENOSPC")
        throw new AppError("disk-full", "the media disk is full; nothing was stored");
      throw e;
    });
    audit(ctx, user, "upload", "media", stored.sha256, null, {
      bytes: stored.bytes,
      mime: stored.mime,
      name: stored.name,
    });
    return stored;
  });

  api.handle(routes.media.list, () => ctx.store.media.list());

  // served by hand: HEAD, byte ranges and 304s for kiosks and mirrors
  api.document(routes.system.media);
  const serve = api.app;
  serve.on(["GET", "HEAD"], "/media/:sha256", async (c) => {
    const parsed = Sha256.safeParse(c.req.param("sha256"));
    if (!parsed.success) throw notFound("media");
    const info = ctx.store.media.info(parsed.data);
    const file = ctx.store.media.path(parsed.data);
    const size = info
      ? await stat(file).then(
          (s) => s.size,
          () => null,
        )
      : null;
    if (!info || size === null) throw notFound("media", parsed.data);
    const etag = `"${info.sha256}"`;
    const headers: Record<string, string> = {
      ...CORS,
      "Content-Type": info.mime,
      "Cache-Control": "public, max-age=31536000, immutable",
      ETag: etag,
      "Accept-Ranges": "bytes",
    };
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
    const range = parseRange(c.req.header("range"), size);
    if (range === null) return c.body(null, 416, { ...headers, "Content-Range": `bytes */${size}` });
    const { start, end } = range ?? { start: 0, end: size - 1 };
    headers["Content-Length"] = String(end - start + 1);
    if (range) headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
    if (c.req.method === "HEAD") return c.body(null, range ? 206 : 200, headers);
    const stream = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
    return c.body(stream, range ? 206 : 200, headers);
  });
  serve.options("/media/:sha256", (c) =>
    c.body(null, 204, {
      ...CORS,
      "Access-Control-Allow-Methods": "GET, HEAD",
      "Access-Control-Allow-Headers": "Range",
    }),
  );
}
