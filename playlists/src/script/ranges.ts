/*
 * Sets of code points as sorted, merged ranges, written compactly: each range as the gap since the
 * previous one's end and its length less one, in base 36 ("a.2,3.0" …). The kiosk's font coverage is
 * kept this way (`kioskGlyphs.ts`, generated from the fonts it bundles).
 */

export type Ranges = readonly (readonly [number, number])[];

/** Sorts and merges overlapping or touching ranges. */
export function mergeRanges(ranges: Iterable<readonly [number, number]>): [number, number][] {
  const sorted = [...ranges].map(([a, b]) => [a, b] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function encodeRanges(ranges: Ranges): string {
  let prev = -1;
  return mergeRanges(ranges)
    .map(([a, b]) => {
      const s = `${(a - prev - 1).toString(36)}.${(b - a).toString(36)}`;
      prev = b;
      return s;
    })
    .join(",");
}

export function decodeRanges(text: string): [number, number][] {
  let prev = -1;
  return text
    .split(",")
    .filter(Boolean)
    .map((part) => {
      const [gap = "0", len = "0"] = part.split(".");
      const a = prev + 1 + Number.parseInt(gap, 36);
      const b = a + Number.parseInt(len, 36);
      prev = b;
      return [a, b];
    });
}

/** A membership test over ranges (binary search). */
export function inRanges(ranges: Ranges): (codePoint: number) => boolean {
  const starts = ranges.map((r) => r[0]);
  return (cp) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = ranges[mid];
      if (!r) return false;
      if (cp < r[0]) hi = mid - 1;
      else if (cp > r[1]) lo = mid + 1;
      else return true;
    }
    return false;
  };
}
