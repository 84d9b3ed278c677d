import {
  Category,
  type Item,
  itemGates,
  type Language,
  languagesOfGates,
  SOURCE_REQUIRED,
  ZH_REQUIRED,
} from "@gatecast/playlists";
import { type DraftView, routes } from "@gatecast/playlists/api";
import { useMemo, useRef, useState } from "preact/hooks";
import { Badge, EmptyState, ErrorBox, Loading, PageHeader, toast } from "../components/ui.tsx";
import { type Key, t } from "../i18n.ts";
import { ApiError, call, hrefOf, upload } from "../lib/api.ts";
import { hasAnyText, hasLanguage, itemUsage, playlistsOfGate, textsOf } from "../lib/content.ts";
import { formatBytes, formatDateTime, formatLocalDate } from "../lib/format.ts";
import { useResource } from "../lib/hooks.ts";
import { categoryLabel, gateName, itemTitle, kindLabel } from "../lib/labels.ts";
import { errorText } from "../lib/messages.ts";
import { Link, location, navigate, setQuery } from "../lib/router.tsx";
import { can } from "../lib/session.ts";

const KINDS: Item["kind"][] = ["notice", "image", "video", "web", "gate-status"];
type LangFilter = "" | "missing-zh" | "missing-en" | "complete";

export function LangBadges({ item, gateLanguages = [] }: { item: Item; gateLanguages?: readonly Language[] }) {
  if (!hasAnyText(item)) return <span class="muted">—</span>;
  return (
    <span class="lang-badges">
      {(["vi", "zh", "en"] as const).map((l) => {
        const has = hasLanguage(item, l);
        const required = l === "vi" || (l === "zh" && ZH_REQUIRED.has(item.category)) || gateLanguages.includes(l);
        return (
          <Badge
            key={l}
            kind={has ? "ok" : required ? "bad" : "missing"}
            title={has ? t(`lang.${l}` as Key) : t("lang.missing", { lang: t(`lang.${l}` as Key) })}
          >
            {has ? t(`lang.short.${l}` as Key) : <s>{t(`lang.short.${l}` as Key)}</s>}
          </Badge>
        );
      })}
    </span>
  );
}

/** Who issued the item, as the library lists it; a required source that is missing is flagged. */
export function SourceCell({ item }: { item: Item }) {
  if (!item.source)
    return SOURCE_REQUIRED.has(item.category) ? (
      <Badge kind="bad">{t("source.missing")}</Badge>
    ) : (
      <span class="muted">—</span>
    );
  return (
    <span class="item-source-cell" data-testid={`item-source-${item.id}`}>
      {item.source.agency.vi}
      {item.source.document || item.source.date ? (
        <span class="muted small">
          {" "}
          · {[item.source.document, item.source.date && formatLocalDate(item.source.date)].filter(Boolean).join(" · ")}
        </span>
      ) : null}
    </span>
  );
}

export function ItemThumb({ item }: { item: Item }) {
  if (item.kind === "image") return <img class="item-thumb" src={`/media/${item.media}`} alt="" loading="lazy" />;
  if (item.kind === "video")
    return <video class="item-thumb" src={`/media/${item.media}#t=1`} muted preload="metadata" />;
  if (item.kind === "web")
    return (
      <span class="item-thumb item-thumb-text" aria-hidden="true">
        www
      </span>
    );
  return (
    <span class={`item-thumb item-thumb-text cat-${item.category}`} aria-hidden="true">
      Aa 文
    </span>
  );
}

function ItemsTab({ draft }: { draft: DraftView }) {
  const q = location.value.query;
  const search = q.get("q") ?? "";
  const kind = q.get("kind") ?? "";
  const category = q.get("category") ?? "";
  const gate = q.get("gate") ?? "";
  const langF = (q.get("lang") ?? "") as LangFilter;
  const content = draft.content;
  const usage = useMemo(() => itemUsage(content), [content]);
  const gatesOf = useMemo(() => itemGates(content), [content]);
  const gatePlaylists = useMemo(() => (gate ? playlistsOfGate(content, gate) : null), [content, gate]);

  const filtered = content.items.filter((item) => {
    if (kind && item.kind !== kind) return false;
    if (category && item.category !== category) return false;
    if (gatePlaylists && !(usage.get(item.id) ?? []).some((p) => gatePlaylists.has(p.id))) return false;
    if (langF === "missing-zh" && (!hasAnyText(item) || hasLanguage(item, "zh"))) return false;
    if (langF === "missing-en" && (!hasAnyText(item) || hasLanguage(item, "en"))) return false;
    if (langF === "complete" && !(hasLanguage(item, "zh") && hasLanguage(item, "en"))) return false;
    if (search) {
      const needle = search.toLocaleLowerCase("vi");
      const hay = [item.id, ...textsOf(item), ...(item.source ? [item.source.agency] : [])]
        .flatMap((x) => (typeof x === "string" ? [x] : [x.vi, x.zh ?? "", x.en ?? ""]))
        .join(" ")
        .toLocaleLowerCase("vi");
      if (!hay.includes(needle)) return false;
    }
    return true;
  });
  const anyFilter = !!(search || kind || category || gate || langF);

  return (
    <div>
      <div class="filters">
        <label class="filter filter-grow">
          <span>{t("library.search")}</span>
          <input type="search" value={search} onInput={(e) => setQuery({ q: e.currentTarget.value })} />
        </label>
        <label class="filter">
          <span>{t("library.kind")}</span>
          <select value={kind} onChange={(e) => setQuery({ kind: e.currentTarget.value })}>
            <option value="">{t("common.all")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </label>
        <label class="filter">
          <span>{t("library.category")}</span>
          <select value={category} onChange={(e) => setQuery({ category: e.currentTarget.value })}>
            <option value="">{t("common.all")}</option>
            {Category.options.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c)}
              </option>
            ))}
          </select>
        </label>
        <label class="filter">
          <span>{t("library.gate")}</span>
          <select value={gate} onChange={(e) => setQuery({ gate: e.currentTarget.value })}>
            <option value="">{t("common.all")}</option>
            {content.gates.map((g) => (
              <option key={g.id} value={g.id}>
                {gateName(g, g.id)}
              </option>
            ))}
          </select>
        </label>
        <label class="filter">
          <span>{t("library.languages")}</span>
          <select value={langF} onChange={(e) => setQuery({ lang: e.currentTarget.value })} data-testid="lang-filter">
            <option value="">{t("library.lang.all")}</option>
            <option value="missing-zh">{t("library.lang.missingZh")}</option>
            <option value="missing-en">{t("library.lang.missingEn")}</option>
            <option value="complete">{t("library.lang.complete")}</option>
          </select>
        </label>
        {anyFilter ? (
          <button
            type="button"
            class="btn btn-small btn-quiet"
            onClick={() => setQuery({ q: "", kind: "", category: "", gate: "", lang: "" })}
          >
            {t("library.clearFilters")}
          </button>
        ) : null}
      </div>
      <p class="muted small" role="status">
        {t("library.count", { n: filtered.length })}
      </p>
      {can("editor") && filtered.length > 0 ? <LeafletLinks ids={filtered.map((i) => i.id)} /> : null}
      {content.items.length === 0 ? (
        <EmptyState>{t("library.empty")}</EmptyState>
      ) : filtered.length === 0 ? (
        <EmptyState>{t("library.noMatch")}</EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="table items-table" data-testid="items-table">
            <thead>
              <tr>
                <th scope="col" class="col-thumb">
                  <span class="sr-only">{t("library.col.preview")}</span>
                </th>
                <th scope="col">{t("library.col.item")}</th>
                <th scope="col">{t("library.col.category")}</th>
                <th scope="col">{t("library.col.languages")}</th>
                <th scope="col">{t("library.col.source")}</th>
                <th scope="col" class="num">
                  {t("library.col.duration")}
                </th>
                <th scope="col">{t("library.col.usedIn")}</th>
              </tr>
            </thead>
            <tbody>
              {filtered.map((item) => {
                const used = usage.get(item.id) ?? [];
                return (
                  <tr key={item.id} data-testid={`item-row-${item.id}`}>
                    <td class="col-thumb">
                      <ItemThumb item={item} />
                    </td>
                    <td>
                      <Link href={`/library/items/${item.id}`} class="item-link">
                        {itemTitle(item)}
                      </Link>
                      <div class="muted small">
                        <code>{item.id}</code> · {kindLabel(item.kind)}
                      </div>
                    </td>
                    <td>{categoryLabel(item.category)}</td>
                    <td>
                      <LangBadges item={item} gateLanguages={languagesOfGates(content, gatesOf.get(item.id) ?? [])} />
                    </td>
                    <td class="small">
                      <SourceCell item={item} />
                    </td>
                    <td class="num">{t("common.seconds", { n: item.duration })}</td>
                    <td class="small">
                      {used.length ? (
                        used.map((p) => p.name).join(", ")
                      ) : (
                        <span class="muted">{t("library.unused")}</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The shown items as a print-ready leaflet, from the newest release (items not released yet are left out). */
function LeafletLinks({ ids: shown }: { ids: string[] }) {
  const diff = useResource(() => call(routes.releases.draftDiff), []);
  if (!diff.data) return null;
  const { against, changes } = diff.data;
  const unreleased = new Set(changes.items.added);
  const ids = against === null ? [] : shown.filter((id) => !unreleased.has(id));
  if (ids.length === 0) return null;
  if (ids.length > 50) return <p class="muted small">{t("library.leaflet.tooMany", { n: 50 })}</p>;
  return (
    <p class="small leaflet-links" data-testid="leaflet-links">
      {t("library.leaflet.label")}{" "}
      {(["A4", "A5"] as const).map((size) => (
        <a
          key={size}
          class="btn btn-small"
          href={hrefOf(routes.leaflets.pdf, { query: { items: ids, size } })}
          download
          data-testid={`leaflet-${size}`}
        >
          {t("library.leaflet.pdf", { size })}
        </a>
      ))}{" "}
      <span class="muted">{t("library.leaflet.note")}</span>
    </p>
  );
}

interface UploadState {
  name: string;
  ratio: number;
  abort: () => void;
}

function MediaTab() {
  const media = useResource(() => call(routes.media.list), []);
  const [uploads, setUploads] = useState<UploadState[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const send = async (files: File[]) => {
    for (const file of files) {
      // nothing to store: say so by name rather than as a type the controller cannot tell
      if (file.size === 0) {
        toast(t("media.emptyFile", { name: file.name }), "error");
        continue;
      }
      const job = upload(routes.media.upload, file, (ratio) =>
        setUploads((u) => u.map((x) => (x.name === file.name ? { ...x, ratio } : x))),
      );
      setUploads((u) => [...u, { name: file.name, ratio: 0, abort: job.abort }]);
      try {
        await job.done;
        toast(t("media.uploaded", { name: file.name }));
      } catch (e) {
        if (!(e instanceof ApiError && e.code === "aborted"))
          toast(t("media.failed", { name: file.name, error: errorText(e) }), "error");
      } finally {
        setUploads((u) => u.filter((x) => x.name !== file.name));
      }
    }
    await media.reload();
  };

  const list = [...(media.data ?? [])].sort((a, b) => b.createdAt - a.createdAt);
  return (
    <div>
      {can("editor") ? (
        <section
          class={`dropzone${dragging ? " dropzone-over" : ""}`}
          aria-label={t("media.upload")}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            const files = [...(e.dataTransfer?.files ?? [])];
            if (files.length) void send(files);
          }}
        >
          <p>
            <strong>{t("media.upload")}</strong> — {t("media.drop")}{" "}
            <button type="button" class="btn btn-small" onClick={() => input.current?.click()}>
              {t("media.choose")}
            </button>
          </p>
          <p class="muted small">{t("media.types")}</p>
          <input
            ref={input}
            type="file"
            multiple
            hidden
            accept="image/png,image/jpeg,image/webp,image/gif,video/mp4,video/webm"
            data-testid="media-input"
            onChange={(e) => {
              const files = [...(e.currentTarget.files ?? [])];
              e.currentTarget.value = "";
              if (files.length) void send(files);
            }}
          />
          {uploads.map((u) => (
            <div class="upload-row" key={u.name}>
              <label>
                {t("media.uploading", { name: u.name })} — {Math.round(u.ratio * 100)} %
                <progress max={1} value={u.ratio} aria-label={t("media.progress", { name: u.name })} />
              </label>
              <button type="button" class="btn btn-small btn-quiet" onClick={u.abort}>
                {t("media.abort")}
              </button>
            </div>
          ))}
        </section>
      ) : null}
      {media.error ? <ErrorBox error={media.error} onRetry={() => void media.reload()} /> : null}
      {!media.data && media.loading ? <Loading /> : null}
      {media.data && list.length === 0 ? <EmptyState>{t("media.empty")}</EmptyState> : null}
      {list.length > 0 ? <p class="muted small">{t("media.count", { n: list.length })}</p> : null}
      <ul class="media-grid" data-testid="media-grid">
        {list.map((m) => {
          const video = m.mime.startsWith("video/");
          return (
            <li key={m.sha256} class="media-card">
              {video ? (
                <video
                  src={`/media/${m.sha256}#t=1`}
                  muted
                  preload="metadata"
                  controls
                  aria-label={m.name ?? m.sha256}
                />
              ) : (
                <img src={`/media/${m.sha256}`} alt={m.name ?? m.sha256} loading="lazy" />
              )}
              <div class="media-meta">
                <div class="ellipsis" title={m.name ?? m.sha256}>
                  {m.name ?? `${m.sha256.slice(0, 12)}…`}
                </div>
                <div class="muted small">
                  {m.mime} · {formatBytes(m.bytes)} · {formatDateTime(m.createdAt)}
                </div>
                {can("editor") ? (
                  <button
                    type="button"
                    class="btn btn-small"
                    onClick={() => navigate(`/library/new/${video ? "video" : "image"}?media=${m.sha256}`)}
                  >
                    {video ? t("media.useVideo") : t("media.useImage")}
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function LibraryPage() {
  const tab = location.value.query.get("tab") === "media" ? "media" : "items";
  const draft = useResource(() => call(routes.content.draft), []);
  return (
    <div class="page page-wide">
      <PageHeader title={t("library.title")}>
        {can("contributor")
          ? KINDS.filter((k) => can("editor") || k === "notice").map((k) => (
              <Link key={k} href={`/library/new/${k}`} class={`btn${k === "notice" ? " btn-primary" : ""}`}>
                {k === "gate-status"
                  ? t("library.newGateStatus")
                  : t(`library.new${k[0]?.toUpperCase()}${k.slice(1)}` as Key)}
              </Link>
            ))
          : null}
      </PageHeader>
      <div class="tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={tab === "items"}
          class="tab"
          onClick={() => setQuery({ tab: "" })}
        >
          {t("library.tabItems")}
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === "media"}
          class="tab"
          onClick={() => setQuery({ tab: "media" })}
        >
          {t("library.tabMedia")}
        </button>
      </div>
      <div role="tabpanel">
        {tab === "media" ? (
          <MediaTab />
        ) : draft.error ? (
          <ErrorBox error={draft.error} onRetry={() => void draft.reload()} />
        ) : draft.data ? (
          <ItemsTab draft={draft.data} />
        ) : (
          <Loading />
        )}
      </div>
    </div>
  );
}
