/**
 * Text auto-fit: the largest font size at which a block's content fits its box, found by binary search
 * over whole pixels. The content sizes itself from the CSS variable `--fs` set on the box.
 */

/** The largest integer in [lo, hi] for which `fits` holds, assuming it holds up to some size and not after; `lo` when none does. */
export function largestFitting(lo: number, hi: number, fits: (size: number) => boolean): number {
  let low = Math.ceil(lo);
  let high = Math.floor(hi);
  if (high < low) return low;
  if (!fits(low)) return low;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

export interface FitOptions {
  min: number;
  max: number;
}

/**
 * Sets `--fs` on `box` to the largest size at which `content` (a child sized by its text) neither
 * overflows the box's height nor its own width (a word too long for the line).
 */
export function fitFontSize(box: HTMLElement, content: HTMLElement, opts: FitOptions): number {
  const fits = (px: number) => {
    box.style.setProperty("--fs", `${px}px`);
    return content.scrollHeight <= box.clientHeight && content.scrollWidth <= content.clientWidth + 1;
  };
  const size = largestFitting(opts.min, opts.max, fits);
  box.style.setProperty("--fs", `${size}px`);
  return size;
}
