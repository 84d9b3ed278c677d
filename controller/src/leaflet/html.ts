import { CATEGORY_LABEL, type Gate, type Item, type Language, type Localized } from "@gatecast/playlists";
import { encode } from "uqr";
import { sourceOf } from "../site/model.ts";
import { esc, itemTitle, localStamp, paragraphs } from "../site/pages.ts";
import { HTML_LANG } from "../site/texts.ts";

export const LEAFLET_SIZES = ["A4", "A5"] as const;
export type LeafletSize = (typeof LEAFLET_SIZES)[number];

/** One leaflet page: an item of a release, where it is shown, and where its page is on the gate site. */
export interface LeafletItem {
  item: Item;
  gates: Gate[];
  /** The address its QR code opens (the item's site page, else its own link); none: no QR. */
  url: string | undefined;
  /** A print copy of its image, as the page names it (`build.ts` serves it). */
  image?: { src: string; width: number; height: number } | undefined;
}

export interface LeafletPage {
  items: LeafletItem[];
  size: LeafletSize;
  release: { id: number; createdAt: number };
  timeZone: string;
  /** Style sheets declaring the embedded fonts ("Noto Sans", "Noto Sans SC"). */
  fontCss: string[];
}

const W = { vi: "Tiếng Việt", zh: "中文", en: "English" } satisfies Record<Language, string>;

const TEXT = {
  scan: { vi: "Quét mã để đọc trên điện thoại", zh: "扫码在手机上阅读", en: "Scan to read on your phone" },
  source: { vi: "Nguồn", zh: "来源" },
  release: { vi: "Bản phát hành số", zh: "发布版本" },
  video: { vi: "Video chiếu trên màn hình tại cửa khẩu", zh: "该视频在口岸屏幕上播放" },
};

/** A QR code as one SVG path (the kiosk draws its codes the same way). */
export function qrSvg(text: string): string {
  const qr = encode(text, { ecc: "M", border: 2 });
  let d = "";
  qr.data.forEach((row, y) => {
    row.forEach((on, x) => {
      if (on) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${qr.size} ${qr.size}" role="img" aria-label="QR"><rect width="100%" height="100%" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}

function bodyOf(item: Item, lang: Language): string {
  const r = item as { body?: Localized };
  if (r.body) return r.body[lang] ? paragraphs(r.body[lang] as string) : "";
  if (item.kind === "video" && lang !== "en") return `<p class="note">${esc(TEXT.video[lang])}</p>`;
  return "";
}

function hasLang(item: Item, lang: Language): boolean {
  const r = item as { title?: Localized; body?: Localized; caption?: Localized };
  return [r.title, r.body, r.caption].some((t) => t?.[lang]);
}

function sourceLines(item: Item): string {
  const s = sourceOf(item);
  if (!s) return "";
  return (["vi", "zh"] as const)
    .map((lang) => {
      const agency = typeof s.agency === "string" ? s.agency : s.agency ? (s.agency[lang] ?? s.agency.vi) : undefined;
      const parts = [agency, s.document, s.date].filter((x): x is string => !!x);
      return parts.length
        ? `<p class="source" lang="${HTML_LANG[lang]}">${esc(TEXT.source[lang])}: ${esc(parts.join(", "))}</p>`
        : "";
    })
    .join("");
}

function page(l: LeafletItem, doc: LeafletPage): string {
  const { item } = l;
  const cat = CATEGORY_LABEL[item.category];
  const gates = l.gates
    .map((g) => `<span lang="vi">${esc(g.name.vi)}</span><span lang="zh-Hans">${esc(g.name.zh)}</span>`)
    .join("");
  const langs = (["vi", "zh"] as const).filter((lang) => lang === "vi" || hasLang(item, lang));
  const cols = langs
    .map(
      (lang) =>
        `<section lang="${HTML_LANG[lang]}"><h1>${esc(itemTitle(item, lang))}</h1>${bodyOf(item, lang)}</section>`,
    )
    .join("");
  const en = hasLang(item, "en")
    ? `<section class="en" lang="en"><h2>${esc(W.en)}: ${esc(itemTitle(item, "en"))}</h2>${bodyOf(item, "en")}</section>`
    : "";
  const image = l.image
    ? `<figure><img src="${esc(l.image.src)}" width="${l.image.width}" height="${l.image.height}" alt="${esc(itemTitle(item, "vi"))}"></figure>`
    : "";
  const qr = l.url
    ? `<div class="qr">${qrSvg(l.url)}<p><span lang="vi">${esc(TEXT.scan.vi)}</span><span lang="zh-Hans">${esc(TEXT.scan.zh)}</span><span lang="en">${esc(TEXT.scan.en)}</span></p></div>`
    : "";
  const stamp = localStamp(doc.release.createdAt, doc.timeZone);
  return `<article class="leaflet">
<header><div class="gates">${gates}</div><div class="cat"><span lang="vi">${esc(cat.vi)}</span> · <span lang="zh-Hans">${esc(cat.zh)}</span></div></header>
${image}
<div class="cols">${cols}</div>
${en}
<footer>${qr}<div class="meta">${sourceLines(item)}<p><span lang="vi">${esc(TEXT.release.vi)} ${doc.release.id}</span> · <span lang="zh-Hans">${esc(TEXT.release.zh)} ${doc.release.id}</span> · ${esc(stamp)}</p>${l.url ? `<p class="url">${esc(l.url)}</p>` : ""}</div></footer>
</article>`;
}

/**
 * The printable document: one page per item (a long one flows onto the next), text 15 mm or more from
 * every edge (what a print shop's trim and a desk printer's unprintable border leave), Noto Sans for
 * Vietnamese and Noto Sans SC for Chinese, embedded by the PDF printer.
 */
export function leafletHtml(doc: LeafletPage): string {
  const scale = doc.size === "A4" ? 1 : 0.82;
  const pt = (n: number) => `${(n * scale).toFixed(1)}pt`;
  const css = `@page{size:${doc.size};margin:15mm}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;font-family:"Noto Sans","Noto Sans SC",sans-serif;font-size:${pt(11.5)};line-height:1.5;color:#111}
:lang(zh-Hans){font-family:"Noto Sans SC","Noto Sans",sans-serif}
.leaflet{break-after:page}
.leaflet:last-child{break-after:auto}
header{display:flex;justify-content:space-between;align-items:flex-start;gap:6mm;border-bottom:1.2pt solid #0a4a8f;padding-bottom:3mm;margin-bottom:4mm}
.gates span{display:block;font-weight:700;font-size:${pt(12.5)};color:#0a4a8f}
.cat{font-size:${pt(10)};color:#333;text-align:right}
figure{margin:0 0 4mm}
img{display:block;max-width:100%;max-height:${doc.size === "A4" ? 85 : 55}mm;margin:0 auto;object-fit:contain}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:7mm}
h1{font-size:${pt(17)};line-height:1.25;margin:0 0 2.5mm}
h2{font-size:${pt(12)};margin:0 0 1.5mm}
p{margin:0 0 2mm}
.en{margin-top:4mm;padding-top:3mm;border-top:.6pt solid #999;font-size:${pt(10)};color:#222}
footer{display:flex;gap:6mm;align-items:flex-start;margin-top:6mm;padding-top:3mm;border-top:.6pt solid #999;break-inside:avoid;font-size:${pt(9)}}
.qr{width:${doc.size === "A4" ? 32 : 27}mm;flex:none;text-align:center}
.qr svg{width:100%;height:auto;display:block}
.qr span{display:block;font-size:${pt(7.5)};line-height:1.3}
.meta{flex:1}
.url{word-break:break-all;color:#333}
.note{color:#333;font-style:italic}`;
  const links = doc.fontCss.map((href) => `<link rel="stylesheet" href="${esc(href)}">`).join("");
  return `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><title>gatecast leaflet</title>${links}<style>${css}</style></head>
<body>
${doc.items.map((l) => page(l, doc)).join("\n")}
</body>
</html>
`;
}
