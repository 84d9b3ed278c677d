import type { RefObject } from "preact";
import { useLayoutEffect } from "preact/hooks";
import { fitFontSize } from "./fit.ts";
import { type Floor, readableFontSize } from "./legibility.ts";

export interface UseFitOptions {
  /** Smallest font size tried, px (below the screen's readable floor it is never used). */
  min?: number;
  /** Largest font size tried, px, from the box and the screen. */
  max: (box: HTMLElement) => number;
  /** Called once the text is fitted with its fonts loaded. */
  onFitted?: () => void;
  /**
   * The smallest text heights readable on this screen (per script, px): the text is never made
   * smaller; what does not fit at that size is shown in pages.
   */
  floor?: () => Floor | null;
  /** Hears how many pages the text takes at the size chosen (1: it fits) and that size. */
  onPages?: (pages: number, fontPx: number) => void;
  /**
   * The box's parent may grow (through `--grow-h`) up to this share of the window's height before the
   * text is paged (a caption band over an image).
   */
  growTo?: number;
}

const FONT_WAIT_MS = 3_000;
/** Between pages laid side by side (only one is in the box at a time), share of the box's width. */
const PAGE_GAP = 0.1;

function fontsSettled(): Promise<void> {
  const fonts = typeof document === "undefined" ? undefined : document.fonts;
  if (!fonts) return Promise.resolve();
  return Promise.race([
    fonts.ready.then(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, FONT_WAIT_MS)),
  ]);
}

/** Screen-relative cap: text no larger than this share of the screen's short side. */
export const screenCap = (share: number) => Math.round(Math.min(window.innerWidth, window.innerHeight) * share);

const overflows = (box: HTMLElement, content: HTMLElement) =>
  content.scrollHeight > box.clientHeight || content.scrollWidth > content.clientWidth + 1;

/**
 * Fits `content` into `box` (see `useFit`) and returns the pages it takes: the largest font size that
 * fits, but never below the readable floor; text still too long at the floor is laid out in pages the
 * size of the box (CSS columns side by side; `--page` picks the one shown).
 */
export function fitOrPage(
  box: HTMLElement,
  content: HTMLElement,
  opts: UseFitOptions,
): { pages: number; fontPx: number } {
  content.classList.remove("paged");
  const outer = opts.growTo ? box.parentElement : null;
  outer?.style.removeProperty("--grow-h");
  const min = opts.min ?? 12;
  let size = fitFontSize(box, content, { min, max: Math.max(min, opts.max(box)) });
  const floor = opts.floor?.();
  if (floor) {
    const need = Math.ceil(readableFontSize(content, size, floor) - 1e-6);
    if (size < need) {
      size = need;
      box.style.setProperty("--fs", `${size}px`);
    }
  }
  if (floor && outer && opts.growTo && overflows(box, content)) {
    const needed = outer.clientHeight + content.scrollHeight - box.clientHeight + 2;
    outer.style.setProperty("--grow-h", `${Math.ceil(Math.min(needed, window.innerHeight * opts.growTo))}px`);
  }
  let pages = 1;
  if (floor && opts.onPages && overflows(box, content)) {
    const w = box.clientWidth;
    const gap = Math.round(w * PAGE_GAP);
    box.style.setProperty("--page-w", `${w}px`);
    box.style.setProperty("--page-h", `${box.clientHeight}px`);
    box.style.setProperty("--page-gap", `${gap}px`);
    content.classList.add("paged");
    pages = Math.max(1, Math.round((content.scrollWidth + gap) / (w + gap)));
  }
  box.dataset.pages = String(pages);
  box.dataset.fontPx = String(size);
  return { pages, fontPx: size };
}

/**
 * Keeps the content of `box` at the largest font size that fits: on mount, when `deps` change, when
 * the box is resized (a banner appears, the window changes) and when fonts finish loading.
 */
export function useFit(
  box: RefObject<HTMLElement>,
  content: RefObject<HTMLElement>,
  deps: readonly unknown[],
  opts: UseFitOptions,
): void {
  useLayoutEffect(() => {
    const b = box.current;
    const c = content.current;
    if (!b || !c) return;
    let alive = true;
    let last = "";
    const run = () => {
      if (!alive || !b.isConnected) return;
      const { pages, fontPx } = fitOrPage(b, c, opts);
      const key = `${pages}:${fontPx}`;
      if (key !== last) {
        last = key;
        opts.onPages?.(pages, fontPx);
      }
    };
    run();
    void fontsSettled().then(() => {
      if (!alive) return;
      run();
      opts.onFitted?.();
    });
    const ro = new ResizeObserver(() => run());
    ro.observe(b);
    const fonts = document.fonts;
    fonts?.addEventListener("loadingdone", run);
    return () => {
      alive = false;
      ro.disconnect();
      fonts?.removeEventListener("loadingdone", run);
    };
  }, deps);
}
