/**
 * Content for simulations, made through the operator API: a gate of its own whose default playlist is a
 * list of items (notices, images, videos), then a release. Used by the benchmarks and the fault tests;
 * an operator's own installation needs none of it.
 */
import { deflateSync } from "node:zlib";
import { Gate } from "@gatecast/playlists";
import { z } from "zod";
import type { ControllerApi } from "./api.ts";

export type ItemSpec =
  | { kind: "notice"; seconds: number; text?: string }
  | { kind: "image" | "video"; seconds: number; media: string };

export interface GateSpec {
  gate: string;
  /** Ids are `<gate>-<index>`; the playlist is `<gate>-playlist`. */
  items: readonly ItemSpec[];
}

export const itemIdOf = (gate: string, i: number) => `${gate}-${i + 1}`;

/** The item as the API takes it. */
export function itemBody(gate: string, i: number, spec: ItemSpec): Record<string, unknown> {
  const id = itemIdOf(gate, i);
  if (spec.kind === "notice") {
    return {
      id,
      kind: "notice",
      category: "promotion",
      duration: spec.seconds,
      title: { vi: `Thông báo ${i + 1}`, zh: `通知 ${i + 1}` },
      body: { vi: spec.text ?? `Nội dung mô phỏng số ${i + 1}.`, zh: `模拟内容 ${i + 1}。` },
    };
  }
  return { id, kind: spec.kind, category: "tourism", duration: spec.seconds, media: spec.media };
}

/**
 * Creates (or replaces) the items, the playlist and the gate, then releases the draft. Returns the id of
 * the release, or null when nothing changed since the latest one.
 */
export async function setupGate(api: ControllerApi, spec: GateSpec, note = `sim: ${spec.gate}`) {
  for (const [i, item] of spec.items.entries()) {
    await api.must("PUT", `/api/v1/items/${itemIdOf(spec.gate, i)}`, itemBody(spec.gate, i, item));
  }
  const playlist = `${spec.gate}-playlist`;
  await api.must("PUT", `/api/v1/playlists/${playlist}`, {
    id: playlist,
    name: `Simulation ${spec.gate}`,
    items: spec.items.map((_, i) => itemIdOf(spec.gate, i)),
  });
  // an existing gate keeps its name and time zone; only its default playlist changes
  const existing = await api.request("GET", `/api/v1/gates/${spec.gate}`, undefined, Gate);
  await api.must("PUT", `/api/v1/gates/${spec.gate}`, {
    ...(existing.status === 200
      ? existing.body
      : { id: spec.gate, name: { vi: `Cổng mô phỏng ${spec.gate}`, zh: `模拟口岸 ${spec.gate}` } }),
    defaultPlaylist: playlist,
  });
  return release(api, note);
}

const ReleaseCreated = z.object({ id: z.number() });

/** `POST /api/v1/releases`; null when the draft equals the latest release (409). */
export async function release(api: ControllerApi, note: string): Promise<number | null> {
  const r = await api.request("POST", "/api/v1/releases", { note }, ReleaseCreated);
  if (r.status === 409) return null;
  if (r.status !== 201) throw new Error(`release: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const typed = Buffer.concat([head.subarray(4), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed), 0);
  return Buffer.concat([head.subarray(0, 4), typed, crc]);
}

/**
 * A valid RGB PNG of `width`×`height`: a colour gradient with seeded noise, so files of the same size
 * differ and do not compress away (about 3 bytes a pixel).
 */
export function makePng(width: number, height: number, seed: number): Uint8Array {
  let state = (seed * 2654435761) >>> 0 || 1;
  const rnd = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) & 0xff;
  };
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const p = row + 1 + x * 3;
      raw[p] = ((x * 255) / width + rnd() / 4) & 0xff;
      raw[p + 1] = ((y * 255) / height + rnd() / 4) & 0xff;
      raw[p + 2] = (seed * 40 + rnd() / 2) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("IDAT", deflateSync(raw)),
      chunk("IEND", new Uint8Array()),
    ]),
  );
}
