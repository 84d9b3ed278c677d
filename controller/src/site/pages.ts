import {
  type Alert,
  CATEGORY_LABEL,
  CROSSING_STATE_LABEL,
  DEFAULT_TIMEZONE,
  type Gate,
  type Item,
  type Language,
  type Localized,
  localParts,
  rowsInForce,
  zoneOffsetMs,
} from "@gatecast/playlists";
import { type GateView, type ItemView, type SiteModel, sourceOf } from "./model.ts";
import { pageFile, relativeLink, sitePaths } from "./paths.ts";
import { HTML_LANG, LANGUAGE_NAME, SITE_LANGUAGES, T } from "./texts.ts";

/** One file of the site: its path from the root and its text. */
export interface Page {
  path: string;
  html: string;
}

/** A phone-sized copy of an image item's media, as `build.ts` wrote it. */
export interface SiteImage {
  path: string;
  width: number;
  height: number;
}

export interface PageOptions {
  /** The site's public address (`--base-url`, SITE_URL): canonical and alternate links become absolute. */
  baseUrl?: string | undefined;
  images: ReadonlyMap<string, SiteImage>;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/** Text in a language, falling back to Vietnamese (which every text has). */
const pick = (t: Localized, lang: Language) => t[lang] ?? t.vi;

/** Languages in reading order for a page in `lang`: its own first. */
const ordered = (langs: readonly Language[], lang: Language) => [lang, ...langs.filter((l) => l !== lang)];

/** "2026-12-02 08:15 (UTC+7)": gate-local, with the offset written out for a traveller from elsewhere. */
export function localStamp(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  const minutes = Math.floor(p.msOfDay / 60_000);
  const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  const offset = zoneOffsetMs(ms, timeZone) / 3_600_000;
  return `${p.date} ${hhmm} (UTC${offset >= 0 ? "+" : "−"}${Math.abs(offset)})`;
}

/** Text as paragraphs, one a line. */
export const paragraphs = (text: string) =>
  text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${esc(p)}</p>`)
    .join("");

interface Frame {
  model: SiteModel;
  opts: PageOptions;
  timeZone: string;
}

interface PageSpec {
  base: string;
  lang: Language;
  langs: readonly Language[];
  title: string;
  main: (link: (to: string) => string) => string;
}

function layout(f: Frame, spec: PageSpec): Page {
  const path = pageFile(spec.base, spec.lang);
  const link = (to: string) => esc(relativeLink(path, to));
  const abs = (to: string) => (f.opts.baseUrl ? esc(`${f.opts.baseUrl.replace(/\/+$/, "")}/${to}`) : link(to));
  const { lang } = spec;
  const alternates = spec.langs
    .map((l) => `<link rel="alternate" hreflang="${HTML_LANG[l]}" href="${abs(pageFile(spec.base, l))}">`)
    .join("");
  const switcher = spec.langs
    .map((l) =>
      l === lang
        ? `<li><span aria-current="page" lang="${HTML_LANG[l]}">${LANGUAGE_NAME[l]}</span></li>`
        : `<li><a href="${link(pageFile(spec.base, l))}" hreflang="${HTML_LANG[l]}" lang="${HTML_LANG[l]}">${LANGUAGE_NAME[l]}</a></li>`,
    )
    .join("");
  const { release } = f.model;
  const html = `<!doctype html>
<html lang="${HTML_LANG[lang]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(spec.title)} · ${esc(T.siteTitle[lang])}</title>
<link rel="stylesheet" href="${link(sitePaths.style)}">
${f.opts.baseUrl ? `<link rel="canonical" href="${abs(path)}">` : ""}${alternates}<link rel="alternate" hreflang="x-default" href="${abs(pageFile(spec.base, "vi"))}">
</head>
<body>
<header>
<a class="site" href="${link(pageFile(sitePaths.index, lang))}">${esc(T.siteTitle[lang])}</a>
<nav aria-label="${esc(T.language[lang])}"><ul class="langs">${switcher}</ul></nav>
</header>
<main>
${spec.main(link)}
</main>
<footer>
<p><a href="${link(pageFile(sitePaths.urgent, lang))}">${esc(T.urgent[lang])}</a> · <a href="${link(pageFile(sitePaths.index, lang))}">${esc(T.gates[lang])}</a></p>
<p>${esc(T.release[lang])} ${release.id} ${esc(T.releasedAt[lang])} <time datetime="${new Date(release.createdAt).toISOString()}">${esc(localStamp(release.createdAt, f.timeZone))}</time> · <a href="${link(sitePaths.release)}">${esc(T.verify[lang])}</a></p>
</footer>
</body>
</html>
`;
  return { path, html };
}

function gateName(gate: Gate, lang: Language): string {
  return pick(gate.name, lang);
}

/** The title of an item in a language: a notice's title, else its caption, else its id. */
export function itemTitle(item: Item, lang: Language): string {
  const r = item as { title?: Localized; caption?: Localized };
  const t = r.title ?? r.caption;
  return t ? pick(t, lang) : item.id;
}

function sourceLine(item: Item, lang: Language): string {
  const s = sourceOf(item);
  if (!s) return "";
  const agency = typeof s.agency === "string" ? s.agency : s.agency ? (s.agency[lang] ?? s.agency.vi) : undefined;
  const parts = [agency, s.document, s.date].filter((x): x is string => !!x).map(esc);
  if (parts.length === 0) return "";
  return `<p class="source">${esc(T.source[lang])}: ${parts.join(", ")}</p>`;
}

/**
 * The text of an item in one language. Each kind says what it shows; a kind added later renders its
 * title, body and caption until it gets its own entry here.
 */
const STATUS_HEAD = {
  vi: ["Lối qua", "Tình trạng", "Giờ làm việc", "Hiệu lực", "Lý do", "Cơ quan"],
  zh: ["通道", "状态", "工作时间", "有效期", "原因", "发布机关"],
  en: ["Crossing", "State", "Hours", "In force", "Reason", "Issued by"],
} as const;

/** A gate-status board as a table: the rows in force when the site was built, state always in words. */
function statusTable(item: Item, lang: Language, f: Frame): string {
  if (item.kind !== "gate-status") return "";
  const rows = rowsInForce(item.rows, f.model.builtAt);
  if (rows.length === 0) return "";
  const head = STATUS_HEAD[lang].map((h) => `<th scope="col">${esc(h)}</th>`).join("");
  const body = rows
    .map((r) => {
      const state = CROSSING_STATE_LABEL[r.state];
      const cells = [
        pick(r.crossing, lang),
        state[lang],
        r.hours ? `${r.hours.from}–${r.hours.to}` : "",
        `${localStamp(Date.parse(r.from), f.timeZone)} – ${localStamp(Date.parse(r.to), f.timeZone)}`,
        r.reason ? pick(r.reason, lang) : "",
        pick(r.agency, lang),
      ];
      return `<tr class="state-${state.tone}">${cells.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`;
    })
    .join("");
  return `<table class="status"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

const ITEM_TEXT: Partial<Record<string, (item: Item, lang: Language, f: Frame) => string>> = {
  "gate-status": statusTable,
  notice: (item, lang) => (item.kind === "notice" ? paragraphs(pick(item.body, lang)) : ""),
  video: (_item, lang) => `<p class="note">${esc(T.video[lang])}</p>`,
  web: (item, lang) =>
    item.kind === "web"
      ? `<p><a href="${esc(item.url)}" rel="noopener">${esc(T.webPage[lang])}: ${esc(new URL(item.url).hostname)}</a></p>`
      : "",
  image: () => "",
};

function genericText(item: Item, lang: Language): string {
  const r = item as { body?: Localized };
  return r.body ? paragraphs(pick(r.body, lang)) : "";
}

function itemPage(f: Frame, view: ItemView, lang: Language): Page {
  const { item } = view;
  const gates = f.model.gates.filter((g) => view.gates.includes(g.gate.id));
  const image = item.kind === "image" ? f.opts.images.get(item.media) : undefined;
  const text = ITEM_TEXT[item.kind] ?? genericText;
  return layout(f, {
    base: sitePaths.item(item.id),
    lang,
    langs: view.languages,
    title: itemTitle(item, lang),
    main: (link) => {
      const sections = ordered(view.languages, lang).map((l, i) => {
        const heading = i === 0 ? "" : `<h2>${esc(itemTitle(item, l))}</h2>`;
        return `<section class="text" lang="${HTML_LANG[l]}" id="${l}">${heading}${text(item, l, f)}${sourceLine(item, l)}</section>`;
      });
      const crumbs = gates
        .map((g) => `<a href="${link(pageFile(sitePaths.gate(g.gate.id), lang))}">${esc(gateName(g.gate, lang))}</a>`)
        .join(" · ");
      const cat = CATEGORY_LABEL[item.category];
      return [
        crumbs ? `<nav class="crumbs" aria-label="${esc(T.shownAt[lang])}">${crumbs}</nav>` : "",
        `<p class="cat">${esc(cat[lang])}</p>`,
        `<h1>${esc(itemTitle(item, lang))}</h1>`,
        image
          ? `<figure><img src="${link(image.path)}" width="${image.width}" height="${image.height}" alt="${esc(itemTitle(item, lang))}"></figure>`
          : "",
        `<div class="texts">${sections.join("")}</div>`,
        item.link ? `<p class="more"><a href="${esc(item.link)}" rel="noopener">${esc(T.moreInfo[lang])}</a></p>` : "",
      ].join("\n");
    },
  });
}

function alertBlock(f: Frame, alert: Alert, lang: Language, gates: readonly Gate[]): string {
  const langs = ordered(
    SITE_LANGUAGES.filter((l) => l === "vi" || alert.message[l]),
    lang,
  );
  const texts = langs.map((l) => `<p lang="${HTML_LANG[l]}">${esc(pick(alert.message, l))}</p>`).join("");
  const where = gates.map((g) => esc(gateName(g, lang))).join(", ");
  return `<article class="alert ${alert.severity}"><h2>${esc(T.severity[alert.severity][lang])}${where ? ` · ${where}` : ""}</h2>${texts}<p class="until">${esc(T.until[lang])} <time datetime="${esc(alert.expiresAt)}">${esc(localStamp(Date.parse(alert.expiresAt), f.timeZone))}</time></p></article>`;
}

function gatePage(f: Frame, view: GateView, lang: Language): Page {
  const items = new Map(f.model.items.map((v) => [v.item.id, v]));
  const alerts = f.model.urgent.filter((u) => u.gates.includes(view.gate.id));
  return layout(f, {
    base: sitePaths.gate(view.gate.id),
    lang,
    langs: SITE_LANGUAGES.filter((l) => l === "vi" || view.gate.name[l]),
    title: gateName(view.gate, lang),
    main: (link) => {
      const others = ordered(SITE_LANGUAGES, lang)
        .slice(1)
        .filter((l) => view.gate.name[l])
        .map((l) => `<span lang="${HTML_LANG[l]}">${esc(gateName(view.gate, l))}</span>`)
        .join(" · ");
      const urgent = alerts.map((u) => alertBlock({ ...f, timeZone: view.gate.timezone }, u.alert, lang, [])).join("");
      const sections = view.sections.map((s) => {
        const li = s.items
          .map((id) => {
            const v = items.get(id) as ItemView;
            const second = v.languages.includes("zh") && lang !== "zh" ? "zh" : lang !== "vi" ? "vi" : undefined;
            const sub = second
              ? ` <span class="sub" lang="${HTML_LANG[second]}">${esc(itemTitle(v.item, second))}</span>`
              : "";
            return `<li><a href="${link(pageFile(sitePaths.item(id), v.languages.includes(lang) ? lang : "vi"))}">${esc(itemTitle(v.item, lang))}</a>${sub}</li>`;
          })
          .join("");
        return `<section><h2>${esc(T[s.section][lang])}</h2><ul class="items">${li}</ul></section>`;
      });
      return [
        `<h1>${esc(gateName(view.gate, lang))}</h1>`,
        others ? `<p class="names">${others}</p>` : "",
        urgent
          ? `<section class="urgent"><h2><a href="${link(pageFile(sitePaths.urgent, lang))}">${esc(T.urgent[lang])}</a></h2>${urgent}</section>`
          : "",
        ...sections,
      ].join("\n");
    },
  });
}

function indexPage(f: Frame, lang: Language): Page {
  return layout(f, {
    base: sitePaths.index,
    lang,
    langs: SITE_LANGUAGES,
    title: T.gates[lang],
    main: (link) => {
      const gates = f.model.gates
        .map((g) => {
          const names = ordered(SITE_LANGUAGES, lang)
            .filter((l) => g.gate.name[l])
            .map((l, i) =>
              i === 0
                ? `<a href="${link(pageFile(sitePaths.gate(g.gate.id), g.gate.name[lang] ? lang : "vi"))}">${esc(gateName(g.gate, l))}</a>`
                : `<span class="sub" lang="${HTML_LANG[l]}">${esc(gateName(g.gate, l))}</span>`,
            );
          return `<li>${names.join(" ")}</li>`;
        })
        .join("");
      const n = f.model.urgent.length;
      return [
        `<h1>${esc(T.siteTitle[lang])}</h1>`,
        `<section><h2>${esc(T.gates[lang])}</h2><ul class="items">${gates}</ul></section>`,
        `<section><h2><a href="${link(pageFile(sitePaths.urgent, lang))}">${esc(T.urgent[lang])}</a>${n > 0 ? ` (${n})` : ""}</h2></section>`,
      ].join("\n");
    },
  });
}

function urgentPage(f: Frame, lang: Language): Page {
  const gates = new Map(f.model.gates.map((g) => [g.gate.id, g.gate]));
  return layout(f, {
    base: sitePaths.urgent,
    lang,
    langs: SITE_LANGUAGES,
    title: T.urgent[lang],
    main: () => {
      const list = f.model.urgent.map((u) =>
        alertBlock(
          f,
          u.alert,
          lang,
          u.gates.map((g) => gates.get(g) as Gate),
        ),
      );
      return [
        `<h1>${esc(T.urgent[lang])}</h1>`,
        `<p>${esc(T.urgentAsOf[lang])} <time datetime="${new Date(f.model.builtAt).toISOString()}">${esc(localStamp(f.model.builtAt, f.timeZone))}</time></p>`,
        list.length > 0 ? list.join("\n") : `<p>${esc(T.noUrgent[lang])}</p>`,
      ].join("\n");
    },
  });
}

/** Every HTML page of the site, in each of its languages. */
export function sitePages(model: SiteModel, opts: PageOptions): Page[] {
  const f: Frame = { model, opts, timeZone: model.gates[0]?.gate.timezone ?? DEFAULT_TIMEZONE };
  const pages: Page[] = [];
  for (const lang of SITE_LANGUAGES) {
    pages.push(indexPage(f, lang), urgentPage(f, lang));
  }
  for (const g of model.gates) {
    const tf = { ...f, timeZone: g.gate.timezone };
    for (const lang of SITE_LANGUAGES) if (lang === "vi" || g.gate.name[lang]) pages.push(gatePage(tf, g, lang));
  }
  for (const v of model.items) for (const lang of v.languages) pages.push(itemPage(f, v, lang));
  return pages;
}

/** The one style sheet: system fonts with Vietnamese and Chinese fallbacks, no web fonts to download. */
export const SITE_CSS = `:root{color-scheme:light;--fg:#1b1b1b;--muted:#4a4a4a;--link:#0a4a8f;--bg:#fff;--band:#f2f4f7;--line:#d5d9e0}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC",sans-serif}
:lang(zh-Hans){font-family:"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","WenQuanYi Micro Hei",system-ui,sans-serif;line-height:1.75}
:lang(vi),:lang(en){font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;line-height:1.6}
header,main,footer{max-width:62rem;margin:0 auto;padding:0 1rem}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding-top:.75rem;padding-bottom:.75rem;border-bottom:1px solid var(--line)}
.site{font-weight:700;color:var(--fg);text-decoration:none}
.langs{display:flex;gap:.75rem;list-style:none;margin:0;padding:0}
.langs a,.langs span{display:inline-block;padding:.25rem .5rem;min-height:2.75rem;line-height:2.25rem}
.langs span{font-weight:700;border-bottom:3px solid var(--link)}
a{color:var(--link)}
h1{font-size:1.6rem;line-height:1.3;margin:.5rem 0 1rem}
h2{font-size:1.25rem;line-height:1.35;margin:1.5rem 0 .5rem}
.cat,.crumbs,.names,.sub,.source,.note,.until{color:var(--muted)}
.cat{margin:1rem 0 0;font-size:.95rem}
.crumbs{margin-top:1rem;font-size:.95rem}
.sub{display:block;font-size:.95rem}
figure{margin:0 0 1rem}
img{max-width:100%;height:auto;display:block;border-radius:4px}
.texts{display:grid;gap:0 2rem}
@media (min-width:48rem){.texts{grid-template-columns:repeat(auto-fit,minmax(18rem,1fr))}}
.text+.text{border-top:1px solid var(--line)}
@media (min-width:48rem){.text+.text{border-top:0}}
.source{font-size:.9rem}
.status{border-collapse:collapse;width:100%;margin:.5rem 0}.status th,.status td{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top}.state-ok td:nth-child(2){color:#0a6b2e;font-weight:700}.state-warn td:nth-child(2){color:#8a5a00;font-weight:700}.state-bad td:nth-child(2){color:#b00020;font-weight:700}
.items{padding-left:1.25rem}
.items li{margin:.5rem 0}
.alert{border-left:6px solid #8a5a00;background:#fff7e6;padding:.5rem 1rem;margin:1rem 0}
.alert.critical{border-color:#a4161a;background:#fdecec}
.alert.info{border-color:var(--link);background:var(--band)}
.alert h2{margin-top:.5rem}
footer{margin-top:2rem;padding-top:1rem;padding-bottom:2rem;border-top:1px solid var(--line);font-size:.9rem;color:var(--muted)}
@media print{header nav,footer a{display:none}}
`;
