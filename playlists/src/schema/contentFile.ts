import { z } from "zod";
import { refinement } from "../issues.ts";
import {
  Content,
  Duration,
  GateStatusItem,
  ImageItem,
  NoticeItem,
  requireChinese,
  VideoItem,
  WebItem,
} from "./content.ts";

/** Path of a media file, relative to the YAML file that names it. */
export const MediaPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split(/[\\/]/).includes(".."), {
    error: "must be a relative path inside the content folder",
    params: refinement("unsafe-path"),
  });

/** In content files media items name a file (`src`); loading hashes it into `media`. */
export const ImageItemFile = ImageItem.omit({ media: true }).extend({ src: MediaPath });
/** A video's duration may be left out: loading reads it from the file. */
export const VideoItemFile = VideoItem.omit({ media: true, duration: true }).extend({
  src: MediaPath,
  duration: Duration.optional(),
});

export const ItemFile = z
  .discriminatedUnion("kind", [NoticeItem, ImageItemFile, VideoItemFile, WebItem, GateStatusItem])
  .superRefine(requireChinese);
export type ItemFile = z.infer<typeof ItemFile>;

/** One `.yaml` file of a content folder: any of the top-level lists, merged with the other files on load. */
export const ContentFile = Content.omit({ items: true, media: true }).extend({
  items: z.array(ItemFile).default([]),
});
export type ContentFile = z.infer<typeof ContentFile>;
