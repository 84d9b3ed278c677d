/**
 * `screenshot`: redraws what is on screen onto a canvas and encodes a small JPEG. It walks the visible
 * DOM and paints element backgrounds, borders, images, QR codes and every word of text at the place
 * the browser laid it out, in the same (bundled) fonts.
 *
 * What it cannot show: the inside of a `web` item's cross-origin iframe (a grey panel with its address
 * stands in), a video frame the browser will not hand over (a dark panel stands in), and CSS finery
 * (gradients, shadows, rounded corners, letter-spacing) which is approximated or left out.
 */

type Op = (ctx: CanvasRenderingContext2D) => void | Promise<void>;

const MAX_SIDE = 960;

function transparent(color: string): boolean {
  return color === "transparent" || /rgba\(.*,\s*0\)$/.test(color);
}

function loadImage(src: string): Promise<HTMLImageElement | null> {
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => resolve(null);
    img.src = src;
  });
}

function drawFitted(
  ctx: CanvasRenderingContext2D,
  source: CanvasImageSource,
  sw: number,
  sh: number,
  r: DOMRect,
  fit: string,
): void {
  if (sw <= 0 || sh <= 0) return;
  const scale = fit === "contain" ? Math.min(r.width / sw, r.height / sh) : Math.max(r.width / sw, r.height / sh);
  const w = sw * scale;
  const h = sh * scale;
  ctx.save();
  ctx.beginPath();
  ctx.rect(r.left, r.top, r.width, r.height);
  ctx.clip();
  ctx.drawImage(source, r.left + (r.width - w) / 2, r.top + (r.height - h) / 2, w, h);
  ctx.restore();
}

const segmenters = new Map<string, Intl.Segmenter>();
function segments(text: string, lang: string): string[] {
  let s = segmenters.get(lang);
  if (!s) {
    s = new Intl.Segmenter(lang || "vi", { granularity: "word" });
    segmenters.set(lang, s);
  }
  return [...s.segment(text)].map((x) => x.segment);
}

function textOps(node: Text, style: CSSStyleDeclaration, alpha: number, ops: Op[]): void {
  const text = node.data;
  if (!text.trim()) return;
  const lang = node.parentElement?.closest("[lang]")?.getAttribute("lang") ?? "vi";
  const font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const color = style.color;
  const range = document.createRange();
  let offset = 0;
  for (const seg of segments(text, lang)) {
    const start = offset;
    offset += seg.length;
    if (!seg.trim()) continue;
    range.setStart(node, start);
    range.setEnd(node, offset);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    if (rects.length === 0) continue;
    // a segment broken across lines: draw it character by character
    const pieces: { s: string; r: DOMRect }[] = [];
    if (rects.length === 1) pieces.push({ s: seg, r: rects[0] as DOMRect });
    else {
      let i = start;
      for (const ch of seg) {
        range.setStart(node, i);
        range.setEnd(node, i + ch.length);
        const r = range.getClientRects()[0];
        if (r && r.width > 0) pieces.push({ s: ch, r });
        i += ch.length;
      }
    }
    ops.push((ctx) => {
      ctx.globalAlpha = alpha;
      ctx.font = font;
      ctx.fillStyle = color;
      ctx.textBaseline = "alphabetic";
      for (const p of pieces) {
        const m = ctx.measureText(p.s);
        const ascent = m.fontBoundingBoxAscent || m.actualBoundingBoxAscent;
        const descent = m.fontBoundingBoxDescent || m.actualBoundingBoxDescent;
        ctx.fillText(p.s, p.r.left, p.r.top + (p.r.height - ascent - descent) / 2 + ascent, p.r.width * 1.05 + 1);
      }
    });
  }
}

function elementOps(el: Element, parentAlpha: number, ops: Op[]): void {
  const style = getComputedStyle(el);
  if (style.display === "none" || style.visibility === "hidden") return;
  const alpha = parentAlpha * Number(style.opacity || "1");
  if (alpha < 0.02) return;
  const r = el.getBoundingClientRect();
  if (r.width === 0 && r.height === 0 && el.tagName !== "svg") return;

  if (!transparent(style.backgroundColor)) {
    const bg = style.backgroundColor;
    ops.push((ctx) => {
      ctx.globalAlpha = alpha;
      ctx.fillStyle = bg;
      ctx.fillRect(r.left, r.top, r.width, r.height);
    });
  }
  const sides = [
    ["Top", r.left, r.top, r.width, Number.parseFloat(style.borderTopWidth)],
    [
      "Bottom",
      r.left,
      r.bottom - Number.parseFloat(style.borderBottomWidth),
      r.width,
      Number.parseFloat(style.borderBottomWidth),
    ],
    ["Left", r.left, r.top, Number.parseFloat(style.borderLeftWidth), r.height],
    [
      "Right",
      r.right - Number.parseFloat(style.borderRightWidth),
      r.top,
      Number.parseFloat(style.borderRightWidth),
      r.height,
    ],
  ] as const;
  for (const [side, x, y, w, h] of sides) {
    const color = style.getPropertyValue(`border-${side.toLowerCase()}-color`);
    if (
      w > 0 &&
      h > 0 &&
      style.getPropertyValue(`border-${side.toLowerCase()}-style`) !== "none" &&
      !transparent(color)
    ) {
      ops.push((ctx) => {
        ctx.globalAlpha = alpha;
        ctx.fillStyle = color;
        ctx.fillRect(x, y, w, h);
      });
    }
  }

  if (el instanceof HTMLImageElement) {
    if (el.complete && el.naturalWidth > 0) {
      const fit = style.objectFit;
      ops.push((ctx) => {
        ctx.globalAlpha = alpha;
        drawFitted(ctx, el, el.naturalWidth, el.naturalHeight, r, fit);
      });
    }
    return;
  }
  if (el instanceof HTMLVideoElement) {
    ops.push((ctx) => {
      ctx.globalAlpha = alpha;
      ctx.fillStyle = "#111";
      ctx.fillRect(r.left, r.top, r.width, r.height);
      try {
        if (el.readyState >= 2) drawFitted(ctx, el, el.videoWidth, el.videoHeight, r, style.objectFit);
      } catch {
        // a frame the browser will not give us: the dark panel stays
      }
    });
    return;
  }
  if (el instanceof HTMLIFrameElement) {
    const src = el.src;
    ops.push((ctx) => {
      ctx.globalAlpha = alpha;
      ctx.fillStyle = "#d9dde3";
      ctx.fillRect(r.left, r.top, r.width, r.height);
      ctx.fillStyle = "#333";
      ctx.font = `24px "GC Noto Sans", sans-serif`;
      ctx.fillText(`[web] ${src}`, r.left + 24, r.top + 48, r.width - 48);
    });
    return;
  }
  if (el instanceof SVGSVGElement) {
    const markup = new XMLSerializer().serializeToString(el);
    ops.push(async (ctx) => {
      const url = URL.createObjectURL(new Blob([markup], { type: "image/svg+xml" }));
      try {
        const img = await loadImage(url);
        if (img) {
          ctx.globalAlpha = alpha;
          ctx.drawImage(img, r.left, r.top, r.width, r.height);
        }
      } finally {
        URL.revokeObjectURL(url);
      }
    });
    return;
  }
  for (const child of el.childNodes) {
    if (child instanceof Text) textOps(child, style, alpha, ops);
    else if (child instanceof Element) elementOps(child, alpha, ops);
  }
}

/** The screen as a JPEG no larger than 960 px on its long side. */
export async function captureScreen(root: Element = document.body): Promise<Blob> {
  const w = window.innerWidth;
  const h = window.innerHeight;
  const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no 2D canvas");
  ctx.scale(scale, scale);
  ctx.fillStyle = getComputedStyle(document.body).backgroundColor || "#0b2545";
  ctx.fillRect(0, 0, w, h);
  const ops: Op[] = [];
  elementOps(root, 1, ops);
  for (const op of ops) await op(ctx);
  return new Promise((resolve, reject) => {
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("JPEG encoding failed"))), "image/jpeg", 0.72);
  });
}

function basicAuth(username: string, password: string): string {
  let bin = "";
  for (const b of new TextEncoder().encode(`${username}:${password}`)) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}

/** POST /api/v1/screens/{screenId}/screenshot with the screen's own (MQTT) credentials. */
export async function uploadScreenshot(
  blob: Blob,
  opts: { origin: string; screenId: string; username: string; password: string; fetch: typeof fetch },
): Promise<void> {
  const res = await opts.fetch(`${opts.origin}/api/v1/screens/${encodeURIComponent(opts.screenId)}/screenshot`, {
    method: "POST",
    headers: { "content-type": "image/jpeg", authorization: basicAuth(opts.username, opts.password) },
    body: blob,
    cache: "no-store",
  });
  if (!res.ok) throw new Error(`screenshot upload: HTTP ${res.status}`);
}
