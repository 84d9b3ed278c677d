import type { RefObject } from "preact";
import { useLayoutEffect } from "preact/hooks";
import { fitFontSize } from "./fit.ts";

export interface UseFitOptions {
  /** Smallest font size tried, px. */
  min?: number;
  /** Largest font size tried, px, from the box and the screen. */
  max: (box: HTMLElement) => number;
  /** Called once the text is fitted with its fonts loaded. */
  onFitted?: () => void;
}

const FONT_WAIT_MS = 3_000;

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
    const run = () => {
      if (alive && b.isConnected)
        fitFontSize(b, c, { min: opts.min ?? 12, max: Math.max(opts.min ?? 12, opts.max(b)) });
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
