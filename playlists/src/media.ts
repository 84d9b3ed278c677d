/** Media types a screen may play, recognised from the bytes themselves (never from a file name). */
export const MEDIA_TYPES = [
  "image/png",
  "image/jpeg",
  "image/webp",
  "image/gif",
  "video/mp4",
  "video/webm",
  "font/woff2",
  "font/woff",
  "font/ttf",
  "font/otf",
] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  bytes.length >= at + text.length && [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));

/** The media type of a file from its first bytes, or null when it is none we play. */
export function sniffMediaType(head: Uint8Array): MediaType | null {
  if (head.length >= 8 && head[0] === 0x89 && ascii(head, 1, "PNG\r\n\x1a\n")) return "image/png";
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) return "image/webp";
  if (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a")) return "image/gif";
  if (ascii(head, 4, "ftyp")) return "video/mp4";
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3)
    return "video/webm";
  // fonts a notice in a rarer script may need
  if (ascii(head, 0, "wOF2")) return "font/woff2";
  if (ascii(head, 0, "wOFF")) return "font/woff";
  if (ascii(head, 0, "OTTO")) return "font/otf";
  if (head.length >= 4 && head[0] === 0 && head[1] === 1 && head[2] === 0 && head[3] === 0) return "font/ttf";
  return null;
}

export const isVideo = (mime: string) => mime.startsWith("video/");
export const isImage = (mime: string) => mime.startsWith("image/");

/**
 * Length in seconds of an MP4 from its `mvhd` box, or null when it cannot be read (fragmented files,
 * WebM): the operator then writes the duration by hand.
 */
export function mp4DurationSeconds(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const find = (start: number, end: number, type: string): [number, number] | null => {
    let at = start;
    while (at + 8 <= end) {
      let size = view.getUint32(at);
      let header = 8;
      if (size === 1 && at + 16 <= end) {
        size = Number(view.getBigUint64(at + 8));
        header = 16;
      } else if (size === 0) size = end - at;
      if (size < header) return null;
      if (ascii(bytes, at + 4, type)) return [at + header, Math.min(at + size, end)];
      at += size;
    }
    return null;
  };
  const moov = find(0, bytes.length, "moov");
  if (!moov) return null;
  const mvhd = find(moov[0], moov[1], "mvhd");
  if (!mvhd) return null;
  const [at] = mvhd;
  const version = view.getUint8(at);
  const timescale = version === 1 ? view.getUint32(at + 20) : view.getUint32(at + 12);
  const duration = version === 1 ? Number(view.getBigUint64(at + 24)) : view.getUint32(at + 16);
  return timescale > 0 && duration > 0 ? duration / timescale : null;
}
