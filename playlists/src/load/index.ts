import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { isImage, isVideo, mp4DurationSeconds, sniffMediaType } from "../media.ts";
import { checkContent, formatPath } from "../schema/check.ts";
import {
  Alert,
  Content,
  Gate,
  type Item,
  type MediaInfo,
  Playlist,
  ScheduleEntry,
  Screen,
  WebHost,
} from "../schema/content.ts";
import { ItemFile } from "../schema/contentFile.ts";

/** One problem in a content folder, located by file and field path. */
export interface LoadIssue {
  file: string;
  path: string;
  message: string;
}

export function formatIssue(i: LoadIssue): string {
  return i.path ? `${i.file} ${i.path}: ${i.message}` : `${i.file}: ${i.message}`;
}

export interface LoadedContent {
  /** The valid part of the content; complete only when `issues` is empty. */
  content: Content;
  issues: LoadIssue[];
  /** Absolute path of each media file, by sha256. */
  mediaFiles: Map<string, string>;
  files: string[];
}

const LISTS = {
  gates: Gate,
  screens: Screen,
  items: ItemFile,
  playlists: Playlist,
  schedules: ScheduleEntry,
  alerts: Alert,
  webHosts: WebHost,
} as const;
type ListKey = keyof typeof LISTS;
const LIST_KEYS = Object.keys(LISTS) as ListKey[];

interface Origin {
  file: string;
  index: number;
}

async function yamlFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter(
      (p) =>
        !relative(root, p)
          .split(sep)
          .some((part) => part.startsWith(".") || part === "node_modules"),
    )
    .sort();
}

function zodIssues(error: z.ZodError, file: string, prefix: (string | number)[]): LoadIssue[] {
  return error.issues.map((i) => ({ file, path: formatPath([...prefix, ...i.path]), message: i.message }));
}

/** The first line of a YAML error, without the position we print ourselves. */
function yamlErrorText(message: string): string {
  return (message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
}

/**
 * Loads a content folder: every `.yaml` in the tree, merged; media hashed and typed from their bytes;
 * then the cross-reference checks. Problems are collected, never thrown, each with its file and field.
 */
export async function loadContentDir(dir: string): Promise<LoadedContent> {
  const root = resolve(dir);
  const issues: LoadIssue[] = [];
  const lists: Record<ListKey, unknown[]> = {
    gates: [],
    screens: [],
    items: [],
    playlists: [],
    schedules: [],
    alerts: [],
    webHosts: [],
  };
  const origins: Record<ListKey, Origin[]> = {
    gates: [],
    screens: [],
    items: [],
    playlists: [],
    schedules: [],
    alerts: [],
    webHosts: [],
  };
  /** Ids of entries that failed their schema: references to them are not reported again. */
  const broken = new Set<string>();
  const mediaFiles = new Map<string, string>();
  const media = new Map<string, MediaInfo>();
  const hashed = new Map<string, MediaInfo | string>();
  const videoLengths = new Map<string, number | null>();

  let files: string[];
  try {
    files = await yamlFiles(root);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      content: Content.parse({}),
      issues: [
        {
          file: dir,
          path: "",
          message: code === "ENOENT" ? "content folder not found" : `cannot read folder (${code})`,
        },
      ],
      mediaFiles,
      files: [],
    };
  }
  if (files.length === 0) issues.push({ file: dir, path: "", message: "no .yaml files in the content folder" });

  const hashMedia = async (abs: string): Promise<MediaInfo | string> => {
    const cached = hashed.get(abs);
    if (cached) return cached;
    let result: MediaInfo | string;
    try {
      const bytes = await readFile(abs);
      const mime = sniffMediaType(bytes.subarray(0, 64));
      if (!mime) result = "not an image or video we can play (png, jpeg, webp, gif, mp4, webm)";
      else {
        const sha256 = createHash("sha256").update(bytes).digest("hex");
        result = { sha256, bytes: bytes.length, mime };
        mediaFiles.set(sha256, abs);
        if (isVideo(mime) && mime === "video/mp4") videoLengths.set(sha256, mp4DurationSeconds(bytes));
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      result = code === "ENOENT" ? "media file not found" : `cannot read media file (${code})`;
    }
    hashed.set(abs, result);
    return result;
  };

  for (const abs of files) {
    const file = relative(root, abs);
    const doc = parseDocument(await readFile(abs, "utf8"), { prettyErrors: true });
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const line = err.linePos?.[0]?.line;
        issues.push({
          file,
          path: "",
          message: `YAML syntax error${line ? ` at line ${line}` : ""}: ${yamlErrorText(err.message)}`,
        });
      }
      continue;
    }
    const data: unknown = doc.toJS({ maxAliasCount: 100 });
    if (data === null || data === undefined) continue;
    if (typeof data !== "object" || Array.isArray(data)) {
      issues.push({ file, path: "", message: `expected a mapping with any of: ${LIST_KEYS.join(", ")}` });
      continue;
    }
    for (const [key, value] of Object.entries(data)) {
      if (!(LIST_KEYS as string[]).includes(key)) {
        issues.push({ file, path: key, message: `unknown list "${key}" (expected one of: ${LIST_KEYS.join(", ")})` });
        continue;
      }
      const list = key as ListKey;
      if (!Array.isArray(value)) {
        issues.push({ file, path: key, message: "expected a list" });
        continue;
      }
      for (const [index, raw] of value.entries()) {
        const parsed = LISTS[list].safeParse(raw);
        if (!parsed.success) {
          issues.push(...zodIssues(parsed.error, file, [list, index]));
          const id = (raw as { id?: unknown } | null)?.id;
          if (typeof id === "string") broken.add(`${list}:${id}`);
          continue;
        }
        let value: unknown = parsed.data;
        if (list === "items") {
          const item = parsed.data as ItemFile;
          if (item.kind === "image" || item.kind === "video") {
            const target = resolve(dirname(abs), item.src);
            const info = target.startsWith(root + sep)
              ? await hashMedia(target)
              : "must stay inside the content folder";
            if (typeof info === "string") {
              issues.push({ file, path: formatPath([list, index, "src"]), message: `${info}: ${item.src}` });
              broken.add(`items:${item.id}`);
              continue;
            }
            const { src: _src, ...rest } = item;
            let duration = item.duration;
            if (item.kind === "video") {
              if (!isVideo(info.mime)) {
                issues.push({
                  file,
                  path: formatPath([list, index, "src"]),
                  message: `not a video (${info.mime}): ${item.src}`,
                });
                broken.add(`items:${item.id}`);
                continue;
              }
              duration ??= videoLengths.get(info.sha256) ?? undefined;
              if (duration === undefined) {
                issues.push({
                  file,
                  path: formatPath([list, index, "duration"]),
                  message: "cannot read the video's length from the file: give duration in seconds",
                });
                broken.add(`items:${item.id}`);
                continue;
              }
            } else if (!isImage(info.mime)) {
              issues.push({
                file,
                path: formatPath([list, index, "src"]),
                message: `not an image (${info.mime}): ${item.src}`,
              });
              broken.add(`items:${item.id}`);
              continue;
            }
            media.set(info.sha256, info);
            value = { ...rest, media: info.sha256, duration } as Item;
          }
        }
        lists[list].push(value);
        origins[list].push({ file, index });
      }
    }
  }

  const content = Content.parse({
    ...lists,
    webHosts: [...new Set(lists.webHosts as string[])],
    media: [...media.values()],
  });
  for (const issue of checkContent(content)) {
    const [list, index, ...rest] = issue.path as [ListKey, number, ...(string | number)[]];
    const origin = origins[list]?.[index];
    if (!origin) continue;
    if (issue.code === "unknown-ref" && broken.has(`${issue.params.kind}s:${issue.params.id}`)) continue;
    const first = issue.firstAt && origins[list]?.[issue.firstAt[1] as number];
    const message = first
      ? `${issue.message} (first in ${first.file} ${formatPath([list, first.index])})`
      : issue.message;
    issues.push({ file: origin.file, path: formatPath([list, origin.index, ...rest]), message });
  }
  return { content, issues, mediaFiles, files: files.map((f) => relative(root, f)) };
}
