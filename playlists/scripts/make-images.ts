/**
 * Draws the sample illustrations of the promotional content procedurally and writes them as PNG files
 * to `playlists/content/media/`. No dependencies beyond Node: a small float canvas with anti-aliased
 * shapes, and a PNG encoder on top of `node:zlib`. The output is byte-for-byte deterministic: every
 * "random" choice comes from a PRNG with a fixed seed, and nothing depends on the clock.
 *
 *   npx tsx playlists/scripts/make-images.ts [outDir]
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { deflateSync } from "node:zlib";

export const WIDTH = 1280;
export const HEIGHT = 720;

// ---------------------------------------------------------------------------------------------
// Colours, ramps, PRNG

type RGB = readonly [number, number, number];
type Paint = RGB | ((x: number, y: number) => RGB);
type Stop = readonly [number, RGB];
type Point = readonly [number, number];

function hex(s: string): RGB {
  const n = Number.parseInt(s.replace("#", ""), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function mix(a: RGB, b: RGB, t: number): RGB {
  const u = Math.min(1, Math.max(0, t));
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
}

function ramp(stops: readonly Stop[], t: number): RGB {
  const first = stops[0];
  if (!first) return [0, 0, 0];
  if (t <= first[0]) return first[1];
  for (let i = 1; i < stops.length; i++) {
    const a = stops[i - 1];
    const b = stops[i];
    if (a && b && t <= b[0]) return mix(a[1], b[1], (t - a[0]) / (b[0] - a[0] || 1));
  }
  return (stops[stops.length - 1] ?? first)[1];
}

/** A vertical gradient between two heights, as a paint. */
function vramp(y0: number, y1: number, stops: readonly Stop[]): (x: number, y: number) => RGB {
  return (_x, y) => ramp(stops, (y - y0) / (y1 - y0));
}

/** Mulberry32: tiny, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function between(rnd: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * rnd();
}

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  const x = xs[Math.floor(rnd() * xs.length) % xs.length];
  if (x === undefined) throw new Error("pick from an empty list");
  return x;
}

/** A wavy horizon: `base` plus sines of the given amplitudes and periods with seeded phases. */
function waves(rnd: () => number, base: number, parts: readonly (readonly [number, number])[]): (x: number) => number {
  const phased = parts.map(([amp, period]) => [amp, period, rnd() * Math.PI * 2] as const);
  return (x) =>
    phased.reduce((y, [amp, period, phase]) => y - amp * Math.sin((x / period) * Math.PI * 2 + phase), base);
}

/** Sharp-crested mountains: |sin| turned upside down gives peaks with cusps. */
function peaks(rnd: () => number, base: number, parts: readonly (readonly [number, number])[]): (x: number) => number {
  const phased = parts.map(([amp, period]) => [amp, period, rnd() * Math.PI] as const);
  return (x) =>
    phased.reduce(
      (y, [amp, period, phase]) => y - amp * (1 - Math.abs(Math.sin((x / period) * Math.PI + phase))),
      base,
    );
}

interface Tower {
  cx: number;
  w: number;
  h: number;
}

/** Limestone karst towers: steep sides, rounded tops. */
function karst(towers: readonly Tower[], base: number): (x: number) => number {
  return (x) => {
    let top = base;
    for (const t of towers) {
      const d = Math.abs(x - t.cx) / t.w;
      if (d < 1) top = Math.min(top, base - t.h * (1 - d ** 2.4) ** 0.42);
    }
    return top;
  };
}

// ---------------------------------------------------------------------------------------------
// Canvas

class Canvas {
  readonly px: Float32Array;

  constructor(
    readonly w: number,
    readonly h: number,
  ) {
    this.px = new Float32Array(w * h * 3);
  }

  private put(x: number, y: number, c: RGB, a: number): void {
    if (a <= 0 || x < 0 || y < 0 || x >= this.w || y >= this.h) return;
    const i = (y * this.w + x) * 3;
    const p = this.px;
    const k = Math.min(1, a);
    p[i] = (p[i] ?? 0) + (c[0] - (p[i] ?? 0)) * k;
    p[i + 1] = (p[i + 1] ?? 0) + (c[1] - (p[i + 1] ?? 0)) * k;
    p[i + 2] = (p[i + 2] ?? 0) + (c[2] - (p[i + 2] ?? 0)) * k;
  }

  private static color(p: Paint, x: number, y: number): RGB {
    return typeof p === "function" ? p(x + 0.5, y + 0.5) : p;
  }

  /** Pixel-aligned rectangle [x0, x1) × [y0, y1). */
  rect(x0: number, y0: number, x1: number, y1: number, paint: Paint, alpha = 1): void {
    const ax = Math.max(0, Math.round(x0));
    const bx = Math.min(this.w, Math.round(x1));
    const ay = Math.max(0, Math.round(y0));
    const by = Math.min(this.h, Math.round(y1));
    for (let y = ay; y < by; y++) for (let x = ax; x < bx; x++) this.put(x, y, Canvas.color(paint, x, y), alpha);
  }

  /**
   * Area from the curve `top(x)` down to `bottom(x)` (default: the bottom edge), anti-aliased along
   * both curves with four sub-columns per pixel.
   */
  ridge(top: (x: number) => number, paint: Paint, alpha = 1, bottom: (x: number) => number = () => this.h): void {
    const sub = [0.125, 0.375, 0.625, 0.875];
    for (let x = 0; x < this.w; x++) {
      const tops = sub.map((s) => top(x + s));
      const bottoms = sub.map((s) => bottom(x + s));
      const y0 = Math.max(0, Math.floor(Math.min(...tops)));
      const y1 = Math.min(this.h, Math.ceil(Math.max(...bottoms)));
      for (let y = y0; y < y1; y++) {
        let cover = 0;
        for (let i = 0; i < 4; i++) {
          const t = tops[i] ?? 0;
          const b = bottoms[i] ?? 0;
          cover += Math.max(0, Math.min(y + 1, b) - Math.max(y, t));
        }
        if (cover > 0) this.put(x, y, Canvas.color(paint, x, y), (alpha * cover) / 4);
      }
    }
  }

  /**
   * Any shape given by an inside test, anti-aliased: pixels whose four corners agree are taken whole,
   * the others are supersampled 4×4.
   */
  shape(
    box: readonly [number, number, number, number],
    inside: (x: number, y: number) => boolean,
    paint: Paint,
    alpha = 1,
  ): void {
    const x0 = Math.max(0, Math.floor(box[0]));
    const y0 = Math.max(0, Math.floor(box[1]));
    const x1 = Math.min(this.w, Math.ceil(box[2]));
    const y1 = Math.min(this.h, Math.ceil(box[3]));
    if (x1 <= x0 || y1 <= y0) return;
    const cw = x1 - x0 + 1;
    let prev = new Uint8Array(cw);
    let next = new Uint8Array(cw);
    for (let i = 0; i < cw; i++) prev[i] = inside(x0 + i, y0) ? 1 : 0;
    for (let y = y0; y < y1; y++) {
      for (let i = 0; i < cw; i++) next[i] = inside(x0 + i, y + 1) ? 1 : 0;
      for (let x = x0; x < x1; x++) {
        const i = x - x0;
        const sum = (prev[i] ?? 0) + (prev[i + 1] ?? 0) + (next[i] ?? 0) + (next[i + 1] ?? 0);
        let cover: number;
        if (sum === 0) cover = 0;
        else if (sum === 4) cover = 1;
        else {
          let n = 0;
          for (let sy = 0; sy < 4; sy++)
            for (let sx = 0; sx < 4; sx++) if (inside(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) n++;
          cover = n / 16;
        }
        if (cover > 0) this.put(x, y, Canvas.color(paint, x, y), alpha * cover);
      }
      [prev, next] = [next, prev];
    }
  }

  ellipse(cx: number, cy: number, rx: number, ry: number, paint: Paint, alpha = 1): void {
    this.shape(
      [cx - rx - 1, cy - ry - 1, cx + rx + 1, cy + ry + 1],
      (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1,
      paint,
      alpha,
    );
  }

  circle(cx: number, cy: number, r: number, paint: Paint, alpha = 1): void {
    this.ellipse(cx, cy, r, r, paint, alpha);
  }

  polygon(pts: readonly Point[], paint: Paint, alpha = 1): void {
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const inside = (x: number, y: number): boolean => {
      let c = false;
      for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        const [xi, yi] = pts[i] ?? [0, 0];
        const [xj, yj] = pts[j] ?? [0, 0];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
      }
      return c;
    };
    this.shape([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], inside, paint, alpha);
  }

  /** A polyline of the given width with round joins and caps. */
  stroke(pts: readonly Point[], width: number, paint: Paint, alpha = 1): void {
    const r = width / 2;
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const inside = (x: number, y: number): boolean => {
      for (let i = 1; i < pts.length; i++) {
        const [ax, ay] = pts[i - 1] ?? [0, 0];
        const [bx, by] = pts[i] ?? [0, 0];
        const dx = bx - ax;
        const dy = by - ay;
        const len2 = dx * dx + dy * dy || 1;
        const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
        const ex = ax + t * dx - x;
        const ey = ay + t * dy - y;
        if (ex * ex + ey * ey <= r * r) return true;
      }
      return false;
    };
    this.shape(
      [Math.min(...xs) - r - 1, Math.min(...ys) - r - 1, Math.max(...xs) + r + 1, Math.max(...ys) + r + 1],
      inside,
      paint,
      alpha,
    );
  }

  /**
   * A soft halo. Its falloff is quantised into `steps` flat rings: a stylised look that also keeps
   * the PNG small.
   */
  glow(cx: number, cy: number, r: number, color: RGB, strength: number, steps = 12): void {
    const x0 = Math.max(0, Math.floor(cx - r));
    const x1 = Math.min(this.w, Math.ceil(cx + r));
    const y0 = Math.max(0, Math.floor(cy - r));
    const y1 = Math.min(this.h, Math.ceil(cy + r));
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) / r;
        if (d >= 1) continue;
        const level = Math.ceil((1 - d) * steps) / steps;
        this.put(x, y, color, strength * level * level);
      }
  }

  toPNG(): Buffer {
    const { w, h } = this;
    const stride = w * 3;
    const img = new Uint8Array(stride * h);
    for (let i = 0; i < img.length; i++) img[i] = Math.max(0, Math.min(255, Math.round(this.px[i] ?? 0)));
    return encodePNG(w, h, img);
  }
}

// ---------------------------------------------------------------------------------------------
// PNG encoder (8-bit RGB, adaptive per-row filter, zlib level 9)

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 255] ?? 0) ^ (c >>> 8);
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function encodePNG(w: number, h: number, rgb: Uint8Array): Buffer {
  const stride = w * 3;
  const out = new Uint8Array((stride + 1) * h);
  const cand = Array.from({ length: 5 }, () => new Uint8Array(stride));
  for (let y = 0; y < h; y++) {
    const row = y * stride;
    let best = 0;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let f = 0; f < 5; f++) {
      const line = cand[f] ?? new Uint8Array(stride);
      let score = 0;
      for (let i = 0; i < stride; i++) {
        const x = rgb[row + i] ?? 0;
        const a = i >= 3 ? (rgb[row + i - 3] ?? 0) : 0;
        const b = y > 0 ? (rgb[row - stride + i] ?? 0) : 0;
        const c = i >= 3 && y > 0 ? (rgb[row - stride + i - 3] ?? 0) : 0;
        const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : paeth(a, b, c);
        const v = (x - pred) & 255;
        line[i] = v;
        score += v < 128 ? v : 256 - v;
      }
      if (score < bestScore) {
        bestScore = score;
        best = f;
      }
    }
    out[y * (stride + 1)] = best;
    out.set(cand[best] ?? new Uint8Array(stride), y * (stride + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(out, { level: 9, memLevel: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Reusable motifs

function pine(c: Canvas, x: number, base: number, size: number, color: Paint): void {
  c.rect(x - size * 0.06, base - size * 0.25, x + size * 0.06, base + 2, color);
  for (let k = 0; k < 3; k++) {
    const top = base - size * (0.55 + k * 0.22);
    const bottom = base - size * (0.15 + k * 0.22);
    const half = size * (0.32 - k * 0.07);
    c.polygon(
      [
        [x, top],
        [x + half, bottom],
        [x - half, bottom],
      ],
      color,
    );
  }
}

function cloud(c: Canvas, cx: number, base: number, scale: number, paint: Paint, alpha: number, rnd: () => number) {
  const puffs: [number, number, number][] = [];
  const n = 5 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1) - 0.5;
    const r = scale * (0.45 + 0.55 * (1 - Math.abs(t) * 1.4)) * between(rnd, 0.8, 1.1);
    puffs.push([cx + t * scale * 3.2, base - r * 0.35, r]);
  }
  c.shape(
    [cx - scale * 3, base - scale * 1.6, cx + scale * 3, base + 1],
    (x, y) => y <= base && puffs.some(([px, py, r]) => (x - px) ** 2 + (y - py) ** 2 <= r * r),
    paint,
    alpha,
  );
}

function tree(c: Canvas, x: number, base: number, size: number, leaf: RGB, trunk: RGB): void {
  c.rect(x - size * 0.07, base - size * 0.6, x + size * 0.07, base, trunk);
  c.circle(x, base - size * 0.85, size * 0.42, leaf);
  c.circle(x - size * 0.28, base - size * 0.65, size * 0.3, leaf);
  c.circle(x + size * 0.28, base - size * 0.66, size * 0.32, leaf);
  c.circle(x - size * 0.08, base - size * 1.0, size * 0.22, mix(leaf, [255, 255, 255], 0.18));
}

function person(c: Canvas, x: number, base: number, size: number, body: RGB, head: RGB): void {
  c.polygon(
    [
      [x - size * 0.2, base],
      [x - size * 0.16, base - size * 0.62],
      [x + size * 0.16, base - size * 0.62],
      [x + size * 0.2, base],
    ],
    body,
  );
  c.ellipse(x, base - size * 0.62, size * 0.17, size * 0.09, body);
  c.circle(x, base - size * 0.82, size * 0.12, head);
}

// ---------------------------------------------------------------------------------------------
// Scenes

/** Mẫu Sơn: layered mountain ridges above a sea of clouds at dawn, pines in the foreground. */
function mauSon(): Canvas {
  const c = new Canvas(WIDTH, HEIGHT);
  const rnd = prng(1541);
  c.rect(
    0,
    0,
    WIDTH,
    HEIGHT,
    vramp(0, 470, [
      [0, hex("#1f2a5a")],
      [0.4, hex("#6a5a9c")],
      [0.72, hex("#e7979a")],
      [1, hex("#ffd6a1")],
    ]),
  );
  c.glow(860, 300, 330, hex("#ffd89a"), 0.55);
  c.circle(860, 300, 52, hex("#fff3d6"));
  for (let i = 0; i < 4; i++)
    cloud(c, between(rnd, 80, 1200), between(rnd, 110, 220), between(rnd, 26, 40), hex("#ffd9d2"), 0.5, rnd);

  const far = peaks(rnd, 400, [
    [90, 520],
    [40, 210],
    [12, 70],
  ]);
  c.ridge(
    far,
    vramp(250, 420, [
      [0, hex("#a58fc2")],
      [1, hex("#c7a7c4")],
    ]),
  );
  // The sea of clouds Mẫu Sơn is known for.
  const sea = waves(rnd, 448, [
    [10, 300],
    [6, 90],
  ]);
  c.ridge(
    sea,
    vramp(420, 520, [
      [0, hex("#fff4ee")],
      [1, hex("#f3d5dd")],
    ]),
    0.95,
  );

  const mid = peaks(rnd, 500, [
    [110, 640],
    [45, 260],
    [14, 80],
  ]);
  c.ridge(
    mid,
    vramp(330, 520, [
      [0, hex("#6f6aa6")],
      [1, hex("#8c7fb0")],
    ]),
  );
  for (let i = 0; i < 5; i++)
    cloud(c, between(rnd, 0, WIDTH), between(rnd, 500, 540), between(rnd, 30, 46), hex("#fdf0ef"), 0.8, rnd);

  const near = peaks(rnd, 600, [
    [80, 700],
    [30, 230],
    [8, 60],
  ]);
  c.ridge(
    near,
    vramp(470, 620, [
      [0, hex("#3c5b78")],
      [1, hex("#4d6a86")],
    ]),
  );
  const front = waves(rnd, 668, [
    [34, 900],
    [14, 260],
    [4, 70],
  ]);
  const frontPaint = vramp(600, 720, [
    [0, hex("#1f3b3f")],
    [1, hex("#14262b")],
  ]);
  c.ridge(front, frontPaint);
  for (let i = 0; i < 26; i++) {
    const x = between(rnd, 0, WIDTH);
    pine(c, x, front(x) + 10, between(rnd, 50, 110), frontPaint);
  }
  return c;
}

/** Tam Thanh: the karst hills and lake of Lạng Sơn city, seen from the mouth of the cave. */
function tamThanh(): Canvas {
  const c = new Canvas(WIDTH, HEIGHT);
  const rnd = prng(2020);
  const horizon = 500;
  c.rect(
    0,
    0,
    WIDTH,
    horizon,
    vramp(0, horizon, [
      [0, hex("#5fb6e8")],
      [0.6, hex("#bfe6f7")],
      [1, hex("#fff3d4")],
    ]),
  );
  c.glow(900, 200, 260, hex("#fffbe8"), 0.5);
  for (let i = 0; i < 5; i++)
    cloud(c, between(rnd, 200, 1100), between(rnd, 150, 300), between(rnd, 22, 36), hex("#ffffff"), 0.85, rnd);

  const towers = (n: number, hMin: number, hMax: number, wMin: number, wMax: number): Tower[] =>
    Array.from({ length: n }, (_, i) => ({
      cx: (i + between(rnd, 0.1, 0.9)) * (WIDTH / n),
      w: between(rnd, wMin, wMax),
      h: between(rnd, hMin, hMax),
    }));
  const layers = [
    { f: karst(towers(12, 70, 140, 40, 70), horizon), top: "#b9d5d3", bottom: "#d4e6df" },
    { f: karst(towers(9, 100, 190, 45, 80), horizon), top: "#8fbba6", bottom: "#b0d0bd" },
    { f: karst(towers(7, 140, 250, 50, 90), horizon), top: "#5e9a7a", bottom: "#86b592" },
    { f: karst(towers(4, 200, 320, 60, 95), horizon), top: "#2f6e50", bottom: "#4f8a62" },
  ];
  for (const l of layers)
    c.ridge(
      l.f,
      vramp(180, horizon, [
        [0, hex(l.top)],
        [1, hex(l.bottom)],
      ]),
    );
  // Lake with the reflection of the nearest hills.
  c.rect(
    0,
    horizon,
    WIDTH,
    HEIGHT,
    vramp(horizon, HEIGHT, [
      [0, hex("#9fd3d6")],
      [1, hex("#3d8a94")],
    ]),
  );
  const near = layers[3]?.f ?? (() => horizon);
  const mid = layers[2]?.f ?? (() => horizon);
  c.ridge(
    () => horizon,
    hex("#86b592"),
    0.4,
    (x) => horizon + (horizon - mid(x)) * 0.7,
  );
  c.ridge(
    () => horizon,
    hex("#3e7a60"),
    0.45,
    (x) => horizon + (horizon - near(x)) * 0.6,
  );
  c.rect(0, horizon - 2, WIDTH, horizon + 5, hex("#5b8f4e"));
  for (let i = 0; i < 22; i++) {
    const y = between(rnd, horizon + 20, HEIGHT - 10);
    const x = between(rnd, 0, WIDTH);
    const len = between(rnd, 40, 160);
    c.stroke(
      [
        [x, y],
        [x + len, y],
      ],
      2,
      hex("#e8f7f5"),
      0.45,
    );
  }
  // Cave mouth: dark limestone around an irregular arch, with a lit rim and stalactites.
  const cx = 640;
  const cy = 520;
  const rx = 590;
  const ry = 470;
  const radius = (x: number, y: number): number => {
    const th = Math.atan2(y - cy, x - cx);
    const wobble = 1 + 0.045 * Math.sin(3 * th + 1.3) + 0.025 * Math.sin(7 * th + 0.4) + 0.008 * Math.sin(19 * th);
    return Math.sqrt(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2) / wobble;
  };
  const floorWave = waves(rnd, 690, [
    [20, 500],
    [8, 120],
  ]);
  const floor = (x: number): number => floorWave(x) - ((x - cx) / rx) ** 2 * 90;
  const rock = vramp(0, HEIGHT, [
    [0, hex("#2a211d")],
    [0.7, hex("#3d3029")],
    [1, hex("#241c18")],
  ]);
  c.shape([0, 0, WIDTH, HEIGHT], (x, y) => radius(x, y) > 0.965 || y > floor(x) - 8, hex("#8a6e57"));
  c.shape([0, 0, WIDTH, HEIGHT], (x, y) => radius(x, y) > 1 || y > floor(x), rock);
  const archTop = (x: number): number => {
    let y = 0;
    while (y < cy && radius(x, y) > 1) y++;
    return y;
  };
  for (let i = 0; i < 18; i++) {
    const x = between(rnd, 180, 1100);
    const u = (x - cx) / rx;
    const arch = archTop(x) + 4;
    const len = between(rnd, 24, 90) * (1 - Math.abs(u) * 0.6);
    const half = between(rnd, 6, 14);
    c.polygon(
      [
        [x - half, arch - 40],
        [x + half, arch - 40],
        [x + half * 0.5, arch + len * 0.6],
        [x, arch + len],
        [x - half * 0.4, arch + len * 0.55],
      ],
      rock,
    );
  }
  return c;
}

function lantern(c: Canvas, x: number, y: number, s: number, body: RGB): void {
  const gold = hex("#f6c453");
  const cy = y + s * 0.22 + s * 0.62;
  if (s > 30) c.glow(x, cy, s * 2.2, hex("#ff8a3d"), 0.3, 4);
  c.rect(x - s * 0.3, y, x + s * 0.3, y + s * 0.24, gold);
  const dark = mix(body, [40, 0, 10], 0.45);
  const light = mix(body, [255, 220, 140], 0.55);
  const paint = (px: number, py: number): RGB =>
    mix(light, dark, Math.min(1, Math.hypot((px - x) / (s * 0.65), (py - cy) / (s * 0.62)) ** 1.5));
  c.ellipse(x, cy, s * 0.66, s * 0.62, paint);
  c.ellipse(x, cy, s * 0.36, s * 0.61, dark, 0.45);
  c.ellipse(x, cy, s * 0.32, s * 0.6, paint);
  c.rect(x - s * 0.025, cy - s * 0.6, x + s * 0.025, cy + s * 0.6, dark, 0.5);
  c.rect(x - s * 0.26, cy + s * 0.56, x + s * 0.26, cy + s * 0.78, gold);
  c.stroke(
    [
      [x, cy + s * 0.78],
      [x, cy + s * 1.25],
    ],
    Math.max(1.5, s * 0.05),
    gold,
  );
  c.ellipse(x, cy + s * 1.3, s * 0.07, s * 0.12, gold);
}

/** Kỳ Lừa night market: strings of lanterns over lit stalls under a starry sky. */
function kyLua(): Canvas {
  const c = new Canvas(WIDTH, HEIGHT);
  const rnd = prng(1835);
  const sky = vramp(0, 480, [
    [0, hex("#0a0f2c")],
    [0.55, hex("#2b1d52")],
    [1, hex("#6b2f63")],
  ]);
  c.rect(0, 0, WIDTH, HEIGHT, sky);
  for (let i = 0; i < 70; i++)
    c.circle(
      between(rnd, 0, WIDTH),
      between(rnd, 0, 300),
      between(rnd, 0.8, 1.9),
      hex("#fff6e0"),
      between(rnd, 0.4, 1),
    );
  c.glow(150, 300, 80, hex("#fff2c8"), 0.25, 4);
  c.circle(150, 300, 28, hex("#fff2c8"));
  c.circle(163, 291, 26, sky);

  c.ridge(
    peaks(rnd, 420, [
      [70, 600],
      [25, 200],
    ]),
    hex("#241a45"),
  );
  // Town skyline behind the market.
  const skyline: Point[] = [[0, 720]];
  let x = 0;
  while (x < WIDTH) {
    const w = between(rnd, 40, 110);
    const h = between(rnd, 390, 450);
    skyline.push([x, h], [x + w, h]);
    x += w;
  }
  skyline.push([WIDTH, 720]);
  c.polygon(skyline, hex("#2a1d40"));
  for (let i = 0; i < 40; i++) {
    const wx = between(rnd, 0, WIDTH);
    const wy = between(rnd, 430, 470);
    c.rect(wx, wy, wx + 6, wy + 8, hex("#ffcf7a"), 0.55);
  }

  // Stalls with pitched roofs and warm light inside.
  const ground = 640;
  const stallW = 200;
  const stallX = (i: number): number => i * stallW - 40 + (i % 2) * 10;
  for (let i = 0; i < 7; i++) {
    const sx = stallX(i);
    const top = 520 + (i % 3) * 8;
    c.rect(sx + 6, top, sx + stallW - 6, ground, hex("#2f2140"));
    c.rect(
      sx + 20,
      top + 26,
      sx + stallW - 20,
      ground - 30,
      vramp(top + 26, ground - 30, [
        [0, hex("#ffd27a")],
        [1, hex("#ff8f3f")],
      ]),
    );
    c.rect(sx + 14, ground - 44, sx + stallW - 14, ground - 30, hex("#5a2b2b"));
    c.polygon(
      [
        [sx - 8, top + 6],
        [sx + stallW / 2, top - 54],
        [sx + stallW + 8, top + 6],
      ],
      hex("#3a1f33"),
    );
    const stripe = i % 2 === 0 ? hex("#c8323c") : hex("#d9822b");
    for (let k = 0; k < 8; k++) {
      const ax = sx + 10 + k * ((stallW - 20) / 8);
      c.rect(ax, top + 6, ax + (stallW - 20) / 16, top + 24, stripe);
    }
    c.rect(sx + 10, top + 6, sx + stallW - 10, top + 24, hex("#f3e2c7"), 0.15);
    for (let k = 0; k < 6; k++)
      c.circle(
        sx + 40 + k * 24,
        ground - 50,
        9,
        pick(rnd, [hex("#e9573f"), hex("#f6bb42"), hex("#8cc152"), hex("#fc6e51")]),
      );
  }
  c.rect(
    0,
    ground,
    WIDTH,
    HEIGHT,
    vramp(ground, HEIGHT, [
      [0, hex("#3a2337")],
      [1, hex("#1a1122")],
    ]),
  );
  for (let i = 0; i < 9; i++) {
    const px = between(rnd, 30, 1250);
    person(c, px, between(rnd, 690, 715), between(rnd, 110, 140), hex("#130c1c"), hex("#130c1c"));
  }

  // Lantern strings, back to front.
  const strings = [
    { y0: 120, sag: 70, s: 26, n: 14 },
    { y0: 60, sag: 110, s: 38, n: 10 },
    { y0: -10, sag: 150, s: 54, n: 7 },
  ];
  const bodies = [hex("#e0312b"), hex("#e84a2c"), hex("#d61f3c"), hex("#f08a24")];
  for (const st of strings) {
    const at = (sx: number): number => st.y0 + st.sag * (1 - ((sx - 640) / 700) ** 2);
    const line: Point[] = [];
    for (let sx = -20; sx <= WIDTH + 20; sx += 20) line.push([sx, at(sx)]);
    c.stroke(line, 2, hex("#1d1020"));
    for (let k = 0; k < st.n; k++) {
      const lx = (k + 0.5 + between(rnd, -0.12, 0.12)) * (WIDTH / st.n);
      lantern(c, lx, at(lx), st.s, pick(rnd, bodies));
    }
  }
  return c;
}

function lorry(c: Canvas, x: number, ground: number, s: number, dir: 1 | -1, cab: RGB, box: RGB): void {
  const len = 300 * s;
  const boxH = 120 * s;
  const cabW = 70 * s;
  const wheelR = 19 * s;
  const floor = ground - wheelR * 1.4;
  c.ellipse(x, ground + 2, len * 0.55, 8 * s, [0, 0, 0], 0.22);
  // Trailer (x is the centre of the lorry); the cab is on the side it drives towards.
  const bx0 = dir === 1 ? x - len / 2 : x - len / 2 + cabW + 8 * s;
  const bx1 = dir === 1 ? x + len / 2 - cabW - 8 * s : x + len / 2;
  c.rect(bx0, floor - boxH, bx1, floor, box);
  for (let rx = bx0 + 14 * s; rx < bx1 - 4 * s; rx += 18 * s)
    c.rect(rx, floor - boxH + 6 * s, rx + 3 * s, floor - 6 * s, mix(box, [0, 0, 0], 0.18));
  c.rect(bx0, floor - boxH, bx1, floor - boxH + 6 * s, mix(box, [255, 255, 255], 0.25));
  c.rect(bx0 - 4 * s, floor, bx1 + 4 * s, floor + 8 * s, hex("#2e3138"));
  // Cab.
  const cx0 = dir === 1 ? bx1 + 8 * s : bx0 - 8 * s - cabW;
  const cx1 = cx0 + cabW;
  const front = dir === 1 ? cx1 : cx0;
  const back = dir === 1 ? cx0 : cx1;
  const cabTop = floor - 92 * s;
  c.polygon(
    [
      [back, floor + 8 * s],
      [back, cabTop],
      [front - dir * 18 * s, cabTop],
      [front, cabTop + 34 * s],
      [front, floor + 8 * s],
    ],
    cab,
  );
  c.polygon(
    [
      [back + dir * 14 * s, cabTop + 10 * s],
      [front - dir * 20 * s, cabTop + 10 * s],
      [front - dir * 6 * s, cabTop + 36 * s],
      [back + dir * 14 * s, cabTop + 36 * s],
    ],
    hex("#bfe4f5"),
  );
  c.rect(
    Math.min(front, front - dir * 10 * s),
    floor - 8 * s,
    Math.max(front, front - dir * 10 * s),
    floor + 4 * s,
    hex("#f7d154"),
  );
  const wheels = [bx0 + 30 * s, bx0 + 70 * s, bx1 - 40 * s, dir === 1 ? cx1 - 24 * s : cx0 + 24 * s];
  for (const wx of wheels) {
    c.circle(wx, ground - wheelR, wheelR, hex("#1e2026"));
    c.circle(wx, ground - wheelR, wheelR * 0.45, hex("#9aa1ab"));
  }
}

/** Border-gate economic zone: warehouses, container stacks, the gate building and lorries on the road. */
function economicZone(): Canvas {
  const c = new Canvas(WIDTH, HEIGHT);
  const rnd = prng(2008);
  c.rect(
    0,
    0,
    WIDTH,
    HEIGHT,
    vramp(0, 420, [
      [0, hex("#3f95d6")],
      [0.65, hex("#a9d8f0")],
      [1, hex("#f3f0dc")],
    ]),
  );
  c.glow(1130, 100, 200, hex("#fff8dc"), 0.5);
  c.circle(1130, 100, 38, hex("#fffbea"));
  for (let i = 0; i < 4; i++)
    cloud(c, between(rnd, 100, 950), between(rnd, 90, 200), between(rnd, 20, 34), hex("#ffffff"), 0.9, rnd);
  c.ridge(
    peaks(rnd, 400, [
      [80, 540],
      [25, 180],
    ]),
    hex("#a7c4c0"),
  );
  c.ridge(
    waves(rnd, 420, [
      [24, 400],
      [10, 130],
    ]),
    hex("#84b08e"),
  );
  c.rect(0, 430, WIDTH, HEIGHT, hex("#9cc47a"));

  // Gate building: a wide hall with a tiered roof and a central tower.
  const gx = 1070;
  c.rect(gx - 150, 340, gx + 150, 440, hex("#efe6d2"));
  for (let k = 0; k < 7; k++) c.rect(gx - 140 + k * 42, 365, gx - 116 + k * 42, 430, hex("#7aa6c2"));
  c.polygon(
    [
      [gx - 170, 345],
      [gx - 140, 320],
      [gx + 140, 320],
      [gx + 170, 345],
    ],
    hex("#b8453a"),
  );
  c.rect(gx - 45, 250, gx + 45, 330, hex("#f4ecdb"));
  c.rect(gx - 30, 266, gx + 30, 320, hex("#7aa6c2"));
  c.polygon(
    [
      [gx - 62, 256],
      [gx - 40, 232],
      [gx + 40, 232],
      [gx + 62, 256],
    ],
    hex("#b8453a"),
  );
  c.polygon(
    [
      [gx - 46, 234],
      [gx, 204],
      [gx + 46, 234],
    ],
    hex("#a23b32"),
  );

  // Warehouses.
  const warehouse = (x0: number, x1: number, top: number, base: number, wall: RGB, roof: RGB): void => {
    c.rect(x0, top, x1, base, wall);
    for (let sx = x0 + 6; sx < x1 - 4; sx += 12) c.rect(sx, top, sx + 3, base, mix(wall, [0, 0, 0], 0.07));
    c.polygon(
      [
        [x0 - 10, top + 2],
        [x0 + 18, top - 26],
        [x1 - 18, top - 26],
        [x1 + 10, top + 2],
      ],
      roof,
    );
    const doors = Math.floor((x1 - x0) / 90);
    for (let d = 0; d < doors; d++) {
      const dx = x0 + 24 + d * ((x1 - x0 - 24) / doors);
      c.rect(dx, base - 62, dx + 52, base, hex("#5d6570"));
      for (let ly = base - 56; ly < base; ly += 8) c.rect(dx, ly, dx + 52, ly + 2, hex("#4a515b"));
    }
  };
  warehouse(30, 380, 420, 520, hex("#e6e1d6"), hex("#2f6f9f"));
  warehouse(410, 640, 436, 520, hex("#f0ebe0"), hex("#c0583f"));

  // Container stacks under a gantry crane.
  const boxes = [hex("#d9534f"), hex("#2b7bb9"), hex("#f0ad4e"), hex("#3c9d5d"), hex("#7d5ba6")];
  for (let col = 0; col < 3; col++)
    for (let row = 0; row < 3 - (col % 2); row++) {
      const bx = 672 + col * 62;
      const by = 520 - (row + 1) * 30;
      const color = pick(rnd, boxes);
      c.rect(bx, by, bx + 58, by + 28, color);
      for (let k = bx + 6; k < bx + 54; k += 8) c.rect(k, by + 3, k + 2, by + 25, mix(color, [0, 0, 0], 0.2));
    }
  const crane = hex("#f2c230");
  c.rect(660, 380, 669, 520, crane);
  c.rect(858, 380, 867, 520, crane);
  c.rect(650, 372, 877, 386, crane);
  c.rect(760, 386, 786, 402, hex("#4a515b"));
  c.stroke(
    [
      [773, 402],
      [773, 424],
    ],
    2,
    hex("#4a515b"),
  );

  for (let i = 0; i < 12; i++)
    tree(c, 20 + i * 108 + between(rnd, -15, 15), 548, between(rnd, 42, 58), hex("#3f8f4f"), hex("#6b4a2e"));

  // Road.
  c.rect(0, 540, WIDTH, 560, hex("#c9c3b3"));
  c.rect(0, 560, WIDTH, 690, hex("#4a4f57"));
  c.rect(0, 566, WIDTH, 570, hex("#f2f2f2"));
  c.rect(0, 680, WIDTH, 684, hex("#f2f2f2"));
  for (let dx = 0; dx < WIDTH; dx += 80) c.rect(dx + 10, 623, dx + 54, 628, hex("#f2d04a"));
  c.rect(0, 690, WIDTH, HEIGHT, hex("#c9c3b3"));

  lorry(c, 170, 618, 0.8, 1, hex("#2b7bb9"), hex("#e8e4dc"));
  lorry(c, 800, 618, 0.8, 1, hex("#d9534f"), hex("#3c9d5d"));
  lorry(c, 470, 676, 0.92, -1, hex("#f0ad4e"), hex("#2b5f8a"));
  lorry(c, 1100, 676, 0.92, -1, hex("#3c9d5d"), hex("#d9534f"));
  return c;
}

/** Trade fair: an exhibition hall, striped stalls, bunting and balloons (no national symbols). */
function tradeFair(): Canvas {
  const c = new Canvas(WIDTH, HEIGHT);
  const rnd = prng(1992);
  const palette = [hex("#e76f51"), hex("#f4a261"), hex("#e9c46a"), hex("#2a9d8f"), hex("#264653"), hex("#8e5bd0")];
  const colour = (i: number): RGB => palette[i % palette.length] ?? hex("#e76f51");
  c.rect(
    0,
    0,
    WIDTH,
    HEIGHT,
    vramp(0, 420, [
      [0, hex("#6ec1e4")],
      [0.7, hex("#c8ecf5")],
      [1, hex("#fdf3dc")],
    ]),
  );
  for (let i = 0; i < 4; i++)
    cloud(c, between(rnd, 80, 1200), between(rnd, 80, 170), between(rnd, 22, 34), hex("#ffffff"), 0.9, rnd);
  c.ridge(
    waves(rnd, 380, [
      [30, 500],
      [12, 160],
    ]),
    hex("#9cc5a8"),
  );

  // Exhibition hall with a row of peaked tent roofs.
  const hallTop = 300;
  const hallBase = 430;
  const peaksN = 8;
  const pw = 1120 / peaksN;
  c.rect(80, hallTop, 1200, hallBase, hex("#f7f3ea"));
  for (let k = 0; k < peaksN; k++) {
    const px = 80 + k * pw;
    c.polygon(
      [
        [px, hallTop + 2],
        [px + pw / 2, hallTop - 70],
        [px + pw / 2, hallTop + 2],
      ],
      hex("#ffffff"),
    );
    c.polygon(
      [
        [px + pw / 2, hallTop - 70],
        [px + pw, hallTop + 2],
        [px + pw / 2, hallTop + 2],
      ],
      hex("#dfe4ea"),
    );
    c.rect(px + pw / 2 - 2, hallTop - 90, px + pw / 2 + 2, hallTop - 68, hex("#6b7280"));
    c.polygon(
      [
        [px + pw / 2 + 2, hallTop - 90],
        [px + pw / 2 + 26, hallTop - 83],
        [px + pw / 2 + 2, hallTop - 76],
      ],
      colour(k),
    );
  }
  c.rect(80, hallTop, 1200, hallTop + 12, hex("#2a9d8f"));
  for (let k = 0; k < 5; k++) {
    const ex = 160 + k * 230;
    c.shape(
      [ex - 50, hallBase - 100, ex + 50, hallBase],
      (x, y) => y > hallBase - 70 || (x - ex) ** 2 + (y - (hallBase - 70)) ** 2 < 50 * 50,
      hex("#9fb8c8"),
    );
  }

  // Plaza.
  c.rect(0, 430, WIDTH, HEIGHT, hex("#efe1c4"));
  for (let y = 470; y < HEIGHT; y += 50) c.rect(0, y, WIDTH, y + 2, hex("#e2d1ae"));
  for (let x = 0; x < WIDTH; x += 80) c.rect(x, 430, x + 2, HEIGHT, hex("#e2d1ae"));

  // Balloons, tied behind the stalls.
  for (let i = 0; i < 9; i++) {
    const bx = i < 5 ? between(rnd, 20, 220) : between(rnd, 1060, 1260);
    const by = between(rnd, 230, 320);
    c.stroke(
      [
        [bx, by + 30],
        [bx + between(rnd, -10, 10), by + 150],
      ],
      1.5,
      hex("#6b6b6b"),
    );
    c.ellipse(bx, by, 24, 30, pick(rnd, palette));
    c.ellipse(bx - 8, by - 10, 6, 9, hex("#ffffff"), 0.45);
  }

  // Stalls with striped, scalloped awnings and goods on the counters.
  const stallW = 236;
  for (let i = 0; i < 5; i++) {
    const sx = 30 + i * (stallW + 10);
    const top = 430;
    const color = colour(i * 2);
    c.rect(sx + 6, top + 40, sx + stallW - 6, 600, hex("#fbf7ef"));
    c.rect(sx + 4, top, sx + 12, 640, hex("#7a5c3e"));
    c.rect(sx + stallW - 12, top, sx + stallW - 4, 640, hex("#7a5c3e"));
    const stripes = 9;
    const sw = stallW / stripes;
    for (let k = 0; k < stripes; k++) {
      const paint = k % 2 === 0 ? color : hex("#fffaf0");
      c.rect(sx + k * sw, top - 40, sx + (k + 1) * sw, top + 20, paint);
      c.circle(sx + (k + 0.5) * sw, top + 20, sw / 2, paint);
    }
    c.rect(sx - 4, top - 48, sx + stallW + 4, top - 38, mix(color, [40, 30, 20], 0.4));
    c.rect(sx, 580, sx + stallW, 640, mix(color, [60, 40, 30], 0.35));
    c.rect(sx, 576, sx + stallW, 584, mix(color, [255, 255, 255], 0.3));
    const kind = i % 3;
    for (let k = 0; k < 6; k++) {
      const gx = sx + 30 + k * 35;
      if (kind === 0) {
        const fruit = [hex("#f77f00"), hex("#d62828"), hex("#8ab17d"), hex("#fcbf49")];
        c.circle(gx, 562, 14, pick(rnd, fruit));
        c.circle(gx + 16, 550, 11, pick(rnd, fruit));
      } else if (kind === 1) {
        const vase = pick(rnd, [hex("#3d5a80"), hex("#98c1d9"), hex("#ee6c4d"), hex("#293241")]);
        c.ellipse(gx, 556, 13, 20, vase);
        c.rect(gx - 6, 526, gx + 6, 540, vase);
        c.rect(gx - 9, 524, gx + 9, 528, vase);
      } else {
        const roll = pick(rnd, palette);
        c.rect(gx - 14, 532, gx + 14, 576, roll);
        for (let ry = 536; ry < 576; ry += 10) c.rect(gx - 14, ry, gx + 14, ry + 3, mix(roll, [255, 255, 255], 0.35));
      }
    }
  }

  // Bunting across the top.
  const strings = [
    { y0: 20, sag: 60, size: 28 },
    { y0: 70, sag: 70, size: 34 },
  ];
  for (const [si, st] of strings.entries()) {
    const at = (x: number): number => st.y0 + st.sag * (1 - ((x - 640) / 680) ** 2);
    const line: Point[] = [];
    for (let x = -20; x <= WIDTH + 20; x += 20) line.push([x, at(x)]);
    c.stroke(line, 2, hex("#5b5b5b"));
    const step = st.size * 1.5;
    for (let k = 0; k * step < WIDTH + step; k++) {
      const x = k * step + si * step * 0.5;
      const x2 = x + st.size;
      c.polygon(
        [
          [x, at(x) + 1],
          [x2, at(x2) + 1],
          [(x + x2) / 2, (at(x) + at(x2)) / 2 + st.size * 1.2],
        ],
        colour(k + si * 3),
      );
    }
  }

  const clothes = [hex("#264653"), hex("#e76f51"), hex("#2a9d8f"), hex("#8e5bd0"), hex("#f4a261"), hex("#3d5a80")];
  for (let i = 0; i < 10; i++)
    person(
      c,
      between(rnd, 20, 1260),
      between(rnd, 690, 718),
      between(rnd, 95, 125),
      pick(rnd, clothes),
      hex("#5c3d2e"),
    );
  return c;
}

/** Chi Lăng pass: a narrow valley between steep mountains, a winding river and rice terraces at sunset. */
function chiLang(): Canvas {
  const c = new Canvas(WIDTH, HEIGHT);
  const rnd = prng(1427);
  const horizon = 400;
  c.rect(
    0,
    0,
    WIDTH,
    HEIGHT,
    vramp(0, horizon, [
      [0, hex("#3b4a8c")],
      [0.45, hex("#c774a0")],
      [0.8, hex("#f6a067")],
      [1, hex("#fcd581")],
    ]),
  );
  c.glow(640, 330, 300, hex("#ffd98a"), 0.55);
  c.circle(640, 330, 46, hex("#fff0c4"));
  c.ridge(
    peaks(rnd, 400, [
      [50, 300],
      [20, 120],
    ]),
    hex("#b77598"),
  );
  c.ridge(
    peaks(rnd, 420, [
      [40, 360],
      [16, 110],
    ]),
    hex("#8a5d8c"),
  );
  // The pass: steep mountains on both sides.
  const side = (edge: number, dir: 1 | -1, peakY: number) => {
    const wob = waves(rnd, 0, [
      [14, 150],
      [6, 50],
    ]);
    return (x: number): number => {
      const d = dir === 1 ? x - edge : edge - x; // distance into the valley
      return peakY + Math.max(0, d) ** 1.35 * 0.9 + wob(x);
    };
  };
  c.ridge(
    side(120, 1, 90),
    vramp(80, 520, [
      [0, hex("#4a3a6b")],
      [1, hex("#5a4f7a")],
    ]),
  );
  c.ridge(
    side(1160, -1, 70),
    vramp(80, 520, [
      [0, hex("#3f3460")],
      [1, hex("#54497a")],
    ]),
  );

  // Valley floor, hazy in the distance, and a river reflecting the sky.
  const floorTop = 470;
  c.ridge(
    waves(rnd, floorTop - 6, [
      [5, 240],
      [2, 70],
    ]),
    vramp(floorTop - 12, HEIGHT, [
      [0, hex("#9a9a62")],
      [0.35, hex("#77924f")],
      [1, hex("#557d3e")],
    ]),
  );
  const riverX = (y: number): number => 640 + Math.sin((y - floorTop) / 55) * (y - floorTop) * 0.9;
  const riverW = (y: number): number => 6 + (y - floorTop) * 0.55;
  c.shape(
    [0, floorTop, WIDTH, HEIGHT],
    (x, y) => y >= floorTop && Math.abs(x - riverX(y)) < riverW(y) / 2,
    vramp(floorTop, HEIGHT, [
      [0, hex("#fcd581")],
      [0.5, hex("#f2a46e")],
      [1, hex("#b97aa0")],
    ]),
  );
  for (let i = 0; i < 10; i++) {
    const x = i < 5 ? between(rnd, 380, 540) : between(rnd, 740, 900);
    tree(c, x, between(rnd, 480, 520), between(rnd, 26, 40), hex("#3e6b3a"), hex("#4a3524"));
  }
  // Terraced hills in the foreground, left and right.
  const terraces = (cx: number, width: number, top: number, colors: readonly RGB[]) => {
    for (let k = 0; k < 9; k++) {
      const f = (x: number): number => {
        const d = (x - cx) / width;
        return top + k * 24 + d * d * 260 - Math.sin(x / 90 + k) * 3;
      };
      c.ridge(f, colors[k % colors.length] ?? hex("#8fb85a"));
    }
  };
  terraces(170, 420, 520, [hex("#c9b458"), hex("#a8b94e"), hex("#d8c56a"), hex("#8fae4a")]);
  terraces(1130, 420, 540, [hex("#a8b94e"), hex("#d8c56a"), hex("#8fae4a"), hex("#c9b458")]);
  // A small stone stele on a knoll.
  c.rect(1062, 470, 1086, 530, hex("#d9d2c3"));
  c.polygon(
    [
      [1058, 472],
      [1074, 450],
      [1090, 472],
    ],
    hex("#c7bfae"),
  );
  c.rect(1052, 528, 1096, 538, hex("#b5ac98"));
  return c;
}

export const SCENES: Readonly<Record<string, () => Canvas>> = {
  "mau-son.png": mauSon,
  "tam-thanh.png": tamThanh,
  "ky-lua.png": kyLua,
  "economic-zone.png": economicZone,
  "trade-fair.png": tradeFair,
  "chi-lang.png": chiLang,
};

/** Draws every scene into `outDir`; returns the paths written. */
export async function makeImages(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, draw] of Object.entries(SCENES)) {
    const file = join(outDir, name);
    await writeFile(file, draw().toPNG());
    written.push(file);
  }
  return written;
}

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT_OUT = resolve(here, "../content/media");

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = await makeImages(process.argv[2] ? resolve(process.argv[2]) : DEFAULT_OUT);
  for (const f of files) console.log(f);
}
