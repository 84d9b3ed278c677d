import { minTextPx, panelOf } from "@gatecast/playlists";
import { useComputed } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";
import { manifest, now, paging } from "../app/state.ts";
import type { Floor } from "./legibility.ts";

/**
 * The smallest text heights (px, per script) this screen may show: 0.0044 × its viewing distance
 * (1.2 × that for Han), through its panel's size and the window's real pixels. Null before a manifest.
 */
export function readableFloor(): Floor | null {
  const m = manifest.value;
  if (!m || typeof window === "undefined") return null;
  const panel = panelOf(m.screen);
  const viewport = { width: window.innerWidth, height: window.innerHeight };
  return { latin: minTextPx(panel, "latin", viewport), han: minTextPx(panel, "han", viewport) };
}

/** The page on screen at `at` when a turn from `startsAt` to `endsAt` is split evenly into `pages`. */
export function pageAt(pages: number, startsAt: number, endsAt: number, at: number): number {
  if (pages <= 1 || endsAt <= startsAt) return 0;
  const i = Math.floor(((at - startsAt) * pages) / (endsAt - startsAt));
  return Math.min(pages - 1, Math.max(0, i));
}

/**
 * Pages for one fitted text of item `itemId` shown from `startsAt` to `endsAt`: how many the fit
 * reported, which one is on screen now, and the report for the heartbeat while it is paged.
 */
export function usePages(itemId: string, startsAt: number, endsAt: number) {
  const [fit, setFit] = useState({ pages: 1, fontPx: 0 });
  const page = useComputed(() => pageAt(fit.pages, startsAt, endsAt, now.value));
  useEffect(() => {
    if (fit.pages <= 1) return;
    const report = { item: itemId, pages: fit.pages, fontPx: fit.fontPx };
    paging.value = report;
    return () => {
      if (paging.value === report) paging.value = null;
    };
  }, [itemId, fit.pages, fit.fontPx]);
  return {
    pages: fit.pages,
    page: page.value,
    onPages: (pages: number, fontPx: number) => setFit({ pages, fontPx }),
  };
}
