import { posix } from "node:path";
import type { Item, Language } from "@gatecast/playlists";

/**
 * Where each page of the gate site lives, relative to the site's root. Every page exists in Vietnamese
 * (`x.html`) and in each other language its text is written in (`x.zh.html`, `x.en.html`); each of them
 * shows every language, its own first.
 */
export const sitePaths = {
  index: "index",
  urgent: "urgent",
  gate: (id: string) => `gates/${id}`,
  item: (id: string) => `items/${id}`,
  style: "style.css",
  release: "release.json",
  keys: "keys.json",
} as const;

export function pageFile(base: string, lang: Language): string {
  return lang === "vi" ? `${base}.html` : `${base}.${lang}.html`;
}

/** A link from one file of the site to another, relative so the site works from any host or `file://`. */
export function relativeLink(from: string, to: string): string {
  const rel = posix.relative(posix.dirname(from), to);
  return rel === "" ? posix.basename(to) : rel;
}

/** The public address of an item's page on a site published at `siteUrl` (SITE_URL, `--base-url`). */
export function siteItemUrl(siteUrl: string, itemId: string): string {
  return `${siteUrl.replace(/\/+$/, "")}/${pageFile(sitePaths.item(itemId), "vi")}`;
}

/**
 * The items as a screen gets them when the site is published at `siteUrl`: an item without its own
 * `link` links to its page there, so the QR a kiosk draws opens the same approved text on a phone. The
 * link is in the signed manifest like any other; items keep their identity (the same objects when
 * nothing changes).
 */
export function withSiteLinks(items: Item[], siteUrl: string | undefined): Item[] {
  if (!siteUrl) return items;
  return items.map((i) => (i.link ? i : { ...i, link: siteItemUrl(siteUrl, i.id) }));
}
