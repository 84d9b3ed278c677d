import { describe, expect, it } from "vitest";
import { mp4DurationSeconds, sniffMediaType } from "./media.ts";

const box = (type: string, body: Uint8Array) => {
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setUint32(0, out.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(body, 8);
  return out;
};
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

function mvhd(timescale: number, duration: number): Uint8Array {
  const body = new Uint8Array(100);
  const v = new DataView(body.buffer);
  v.setUint32(12, timescale);
  v.setUint32(16, duration);
  return box("mvhd", body);
}

describe("media sniffing", () => {
  it("recognises playable types from their bytes", () => {
    expect(sniffMediaType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe("image/png");
    expect(sniffMediaType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffMediaType(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
    expect(sniffMediaType(box("ftyp", new TextEncoder().encode("isom")))).toBe("video/mp4");
    expect(sniffMediaType(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1]))).toBe("video/webm");
    expect(sniffMediaType(new TextEncoder().encode("wOF2\x00\x01"))).toBe("font/woff2");
    expect(sniffMediaType(new Uint8Array([0, 1, 0, 0, 0, 12]))).toBe("font/ttf");
    expect(sniffMediaType(new TextEncoder().encode("<svg xmlns="))).toBeNull();
    expect(sniffMediaType(new TextEncoder().encode("#!/bin/sh"))).toBeNull();
  });

  it("reads an MP4's length from its movie header", () => {
    const file = concat(box("ftyp", new TextEncoder().encode("isom")), box("moov", mvhd(1000, 12_500)));
    expect(mp4DurationSeconds(file)).toBe(12.5);
    expect(mp4DurationSeconds(box("ftyp", new Uint8Array(4)))).toBeNull();
  });
});
