/**
 * At most two <video> elements exist, reused from item to item (one on screen, one fading in). A
 * released element has its source removed and `load()` called so the decoder and buffers are freed.
 */
const MAX = 2;
const free: HTMLVideoElement[] = [];
let created = 0;

export function acquireVideo(): HTMLVideoElement | null {
  const reused = free.pop();
  if (reused) return reused;
  if (created >= MAX) return null;
  created++;
  const v = document.createElement("video");
  v.muted = true;
  v.defaultMuted = true;
  v.playsInline = true;
  v.crossOrigin = "anonymous";
  v.preload = "auto";
  v.loop = true;
  v.disablePictureInPicture = true;
  v.setAttribute("muted", "");
  v.setAttribute("playsinline", "");
  v.setAttribute("crossorigin", "anonymous");
  return v;
}

export function releaseVideo(v: HTMLVideoElement): void {
  v.pause();
  v.removeAttribute("src");
  v.load();
  v.remove();
  v.onloadedmetadata = null;
  v.oncanplay = null;
  v.onerror = null;
  if (!free.includes(v)) free.push(v);
}
