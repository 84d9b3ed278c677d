import { type Item, type Playlist, type PlaylistEntry, Playlist as PlaylistSchema } from "@gatecast/playlists";
import { type DraftView, routes } from "@gatecast/playlists/api";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { PlaylistPlayer } from "../components/PlaylistPlayer.tsx";
import { confirm, EmptyState, ErrorBox, Loading, PageHeader, TextField, toast } from "../components/ui.tsx";
import { t } from "../i18n.ts";
import { call } from "../lib/api.ts";
import { entryDuration, entryItemId, playlistSeconds } from "../lib/content.ts";
import { useCheckedForm } from "../lib/form.ts";
import { formatDuration } from "../lib/format.ts";
import { useResource } from "../lib/hooks.ts";
import { gateName, itemTitle, kindLabel } from "../lib/labels.ts";
import { Link, navigate } from "../lib/router.tsx";
import { can } from "../lib/session.ts";
import { ItemThumb } from "./Library.tsx";

interface Row {
  key: number;
  item: string;
  /** Override in seconds as typed; "" for the item's own duration. */
  duration: string;
}

let rowSeq = 0;
const rowsOf = (p: Playlist | undefined): Row[] =>
  (p?.items ?? []).map((e) => ({ key: ++rowSeq, item: entryItemId(e), duration: String(entryDuration(e) ?? "") }));

function entriesOf(rows: Row[]): PlaylistEntry[] {
  return rows.map((r) => {
    const d = r.duration.trim();
    return d === "" ? r.item : { item: r.item, duration: Number(d.replace(",", ".")) };
  });
}

export function PlaylistsPage({ id }: { id?: string }) {
  const draft = useResource(() => call(routes.content.draft), []);
  const content = draft.data?.content;
  const itemsById = useMemo(() => new Map((content?.items ?? []).map((i) => [i.id, i])), [content]);
  const isNew = id === "new";
  const selected = content?.playlists.find((p) => p.id === id);

  return (
    <div class="page page-wide">
      <PageHeader title={t("playlists.title")}>
        {can("editor") ? (
          <Link href="/playlists/new" class="btn btn-primary">
            {t("playlists.new")}
          </Link>
        ) : null}
      </PageHeader>
      {draft.error ? <ErrorBox error={draft.error} onRetry={() => void draft.reload()} /> : null}
      {!content ? (
        <Loading />
      ) : (
        <div class="master-detail master-detail-narrow">
          <nav class="master" aria-label={t("playlists.title")}>
            {content.playlists.length === 0 ? <EmptyState>{t("playlists.empty")}</EmptyState> : null}
            <ul class="master-list">
              {content.playlists.map((p) => (
                <li key={p.id}>
                  <Link
                    href={`/playlists/${p.id}`}
                    class={p.id === id ? "master-link active" : "master-link"}
                    aria-current={p.id === id ? "page" : undefined}
                  >
                    <span class="master-name">{p.name}</span>
                    <span class="muted small">
                      <code>{p.id}</code> ·{" "}
                      {t("playlists.count", {
                        n: p.items.length,
                        total: formatDuration(playlistSeconds(p, itemsById)),
                      })}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div class="detail">
            {isNew || selected ? (
              <PlaylistEditor
                key={id}
                draft={draft.data as DraftView}
                playlist={selected}
                itemsById={itemsById}
                onSaved={() => void draft.reload()}
              />
            ) : id ? (
              <EmptyState>{t("common.notFound", { id })}</EmptyState>
            ) : (
              <EmptyState>{t("playlists.pick")}</EmptyState>
            )}
          </div>
        </div>
      )}
    </div>
  );
}

function PlaylistEditor({
  draft,
  playlist,
  itemsById,
  onSaved,
}: {
  draft: DraftView;
  playlist: Playlist | undefined;
  itemsById: Map<string, Item>;
  onSaved: () => void;
}) {
  const isNew = !playlist;
  const editable = can("editor");
  const [pid, setPid] = useState(playlist?.id ?? "");
  const [name, setName] = useState(playlist?.name ?? "");
  const [rows, setRows] = useState<Row[]>(() => rowsOf(playlist));
  const [adding, setAdding] = useState("");
  const [announce, setAnnounce] = useState("");
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dragOver, setDragOver] = useState<number | null>(null);
  const [position, setPosition] = useState<{ item: string; occurrence: number } | null>(null);
  const focusAfterMove = useRef<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const initial = useRef(JSON.stringify({ pid, name, e: entriesOf(rows) }));
  const dirty = JSON.stringify({ pid, name, e: entriesOf(rows) }) !== initial.current;

  useEffect(() => {
    const sel = focusAfterMove.current;
    if (sel) {
      listRef.current?.querySelector<HTMLElement>(sel)?.focus();
      focusAfterMove.current = null;
    }
  });

  const candidate: Playlist = { id: pid.trim(), name: name.trim(), items: entriesOf(rows) };
  const checked = useCheckedForm(PlaylistSchema, candidate, { dirty, fields: /^(id|name|items)/ });
  const { errors, busy } = checked;
  const total = playlistSeconds(candidate, itemsById);

  const move = (from: number, to: number, focus?: "up" | "down") => {
    if (to < 0 || to >= rows.length || from === to) return;
    const next = [...rows];
    const [row] = next.splice(from, 1);
    if (!row) return;
    next.splice(to, 0, row);
    setRows(next);
    setAnnounce(t("playlists.moved", { id: row.item, pos: to + 1 }));
    if (focus) {
      const edge = (focus === "up" && to === 0) || (focus === "down" && to === next.length - 1);
      const which = edge ? (focus === "up" ? "down" : "up") : focus;
      focusAfterMove.current = `[data-row="${row.key}"] [data-move="${which}"]`;
    }
  };

  const usedBy = [
    ...draft.content.gates
      .filter((g) => g.defaultPlaylist === playlist?.id)
      .map((g) => t("playlists.defaultOf", { gate: gateName(g, g.id) })),
    ...draft.content.schedules
      .filter((s) => s.playlist === playlist?.id)
      .map((s) => t("playlists.scheduleRef", { id: s.id })),
  ];

  const save = (e: Event) => {
    e.preventDefault();
    return checked.submit(
      async (value) => {
        if (isNew) await call(routes.content.playlists.create, { body: value });
        else await call(routes.content.playlists.put, { params: { id: value.id }, body: value });
      },
      (value) => {
        initial.current = JSON.stringify({ pid, name, e: entriesOf(rows) });
        toast(t("common.saved"));
        onSaved();
        if (isNew) navigate(`/playlists/${value.id}`, { replace: true });
      },
    );
  };

  const remove = async () => {
    if (
      !(await confirm({
        title: t("common.delete"),
        message: t("playlists.deleteConfirm", { id: pid }),
        confirmLabel: t("common.delete"),
        danger: true,
      }))
    )
      return;
    try {
      await call(routes.content.playlists.remove, { params: { id: pid } });
      checked.release();
      toast(t("common.deleted", { id: pid }));
      onSaved();
      navigate("/playlists");
    } catch (err) {
      checked.fail(err);
    }
  };

  const rowIssue = (i: number) =>
    errors.get(`items.${i}`) ?? errors.get(`items.${i}.item`) ?? errors.get(`items.${i}.duration`);

  const playingRow = (() => {
    if (!position) return -1;
    let seen = 0;
    for (const [i, r] of rows.entries()) {
      if (r.item !== position.item) continue;
      if (seen === position.occurrence) return i;
      seen++;
    }
    return -1;
  })();

  return (
    <div class="playlist-layout">
      <form onSubmit={save} noValidate class="stack">
        <div class="grid-2">
          <TextField
            label={t("playlists.id")}
            value={pid}
            onValue={(v) => setPid(v.toLowerCase())}
            error={errors.get("id")}
            hint={isNew ? t("item.idHint") : undefined}
            disabled={!isNew || !editable}
            spellcheck={false}
            required
          />
          <TextField
            label={t("playlists.name")}
            value={name}
            onValue={setName}
            error={errors.get("name")}
            disabled={!editable}
            required
          />
        </div>
        <div class="playlist-head">
          <h2 class="section-title">{t("playlists.items")}</h2>
          <strong data-testid="playlist-total">{t("playlists.total", { total: formatDuration(total) })}</strong>
        </div>
        {editable ? <p class="muted small">{t("playlists.itemsHint")}</p> : null}
        {errors.get("items") ? (
          <div class="field-error" role="alert">
            {errors.get("items")}
          </div>
        ) : null}
        {rows.length === 0 ? <EmptyState>{t("playlists.noItems")}</EmptyState> : null}
        <ol class="playlist-rows" ref={listRef} data-testid="playlist-rows">
          {rows.map((r, i) => {
            const item = itemsById.get(r.item);
            const problem = rowIssue(i);
            return (
              <li
                key={r.key}
                data-row={r.key}
                data-item={r.item}
                class={`playlist-row${i === playingRow ? " now-playing" : ""}${dragOver === i && dragFrom !== null && dragFrom !== i ? " drop-target" : ""}${dragFrom === i ? " dragging" : ""}`}
                onDragOver={(e) => {
                  if (dragFrom === null) return;
                  e.preventDefault();
                  if (e.dataTransfer) e.dataTransfer.dropEffect = "move";
                  setDragOver(i);
                }}
                onDrop={(e) => {
                  e.preventDefault();
                  if (dragFrom !== null) move(dragFrom, i);
                  setDragFrom(null);
                  setDragOver(null);
                }}
              >
                {editable ? (
                  <span
                    class="drag-handle"
                    draggable
                    title={t("playlists.drag", { id: r.item })}
                    aria-hidden="true"
                    onDragStart={(e) => {
                      setDragFrom(i);
                      if (e.dataTransfer) {
                        e.dataTransfer.effectAllowed = "move";
                        e.dataTransfer.setData("text/plain", r.item);
                        const li = (e.currentTarget as HTMLElement).closest("li");
                        if (li) e.dataTransfer.setDragImage(li, 20, 20);
                      }
                    }}
                    onDragEnd={() => {
                      setDragFrom(null);
                      setDragOver(null);
                    }}
                  >
                    ⠿
                  </span>
                ) : null}
                <span class="row-pos">{i + 1}</span>
                {item ? <ItemThumb item={item} /> : <span class="item-thumb item-thumb-text">?</span>}
                <div class="row-main">
                  {item ? (
                    <Link href={`/library/items/${item.id}`}>{itemTitle(item)}</Link>
                  ) : (
                    <span class="text-bad">{t("playlists.unknownItem")}</span>
                  )}
                  <div class="muted small">
                    <code>{r.item}</code>
                    {item ? ` · ${kindLabel(item.kind)}` : ""}
                  </div>
                  {problem ? (
                    <div class="field-error" role="alert">
                      {problem}
                    </div>
                  ) : null}
                </div>
                <label class="row-duration">
                  <span class="sr-only">{t("playlists.duration", { id: r.item })}</span>
                  <input
                    type="text"
                    inputMode="decimal"
                    value={r.duration}
                    placeholder={item ? String(item.duration) : ""}
                    title={item ? t("playlists.durationDefault", { n: item.duration }) : undefined}
                    disabled={!editable}
                    onInput={(e) => {
                      const v = e.currentTarget.value;
                      setRows((rs) => rs.map((x) => (x.key === r.key ? { ...x, duration: v } : x)));
                    }}
                  />
                  <span class="muted small" aria-hidden="true">
                    s
                  </span>
                </label>
                {editable ? (
                  <span class="row-buttons">
                    <button
                      type="button"
                      class="btn btn-icon"
                      data-move="up"
                      disabled={i === 0}
                      aria-label={`${t("common.moveUp")}: ${r.item}`}
                      title={t("common.moveUp")}
                      onClick={() => move(i, i - 1, "up")}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      class="btn btn-icon"
                      data-move="down"
                      disabled={i === rows.length - 1}
                      aria-label={`${t("common.moveDown")}: ${r.item}`}
                      title={t("common.moveDown")}
                      onClick={() => move(i, i + 1, "down")}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      class="btn btn-icon btn-danger-quiet"
                      aria-label={`${t("common.remove")}: ${r.item}`}
                      title={t("common.remove")}
                      onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                    >
                      ×
                    </button>
                  </span>
                ) : null}
              </li>
            );
          })}
        </ol>
        <div class="sr-only" aria-live="polite">
          {announce}
        </div>
        {editable ? (
          <div class="add-row">
            <label class="filter filter-grow">
              <span>{t("playlists.add")}</span>
              <select value={adding} onChange={(e) => setAdding(e.currentTarget.value)} data-testid="add-item">
                <option value="">{t("playlists.addPick")}</option>
                {draft.content.items.map((i) => (
                  <option key={i.id} value={i.id}>
                    {itemTitle(i)} ({i.id})
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              class="btn"
              disabled={!adding}
              onClick={() => {
                setRows((rs) => [...rs, { key: ++rowSeq, item: adding, duration: "" }]);
                setAnnounce(t("playlists.moved", { id: adding, pos: rows.length + 1 }));
                setAdding("");
              }}
            >
              {t("playlists.addButton")}
            </button>
          </div>
        ) : null}
        <ErrorBox error={checked.error} unclaimed={checked.unclaimed} />
        <p class="muted small">
          {usedBy.length ? t("playlists.usedBy", { list: usedBy.join(", ") }) : t("playlists.notUsed")}
        </p>
        {editable ? (
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {busy ? t("common.saving") : t("common.save")}
            </button>
            {!isNew ? (
              <button type="button" class="btn btn-danger-quiet" onClick={() => void remove()}>
                {t("common.delete")}
              </button>
            ) : null}
            <span class="muted small">{t("common.draftNote")}</span>
          </div>
        ) : null}
      </form>
      <aside class="playlist-side" aria-labelledby="player-title">
        <h2 id="player-title" class="section-title">
          {t("playlists.preview")}
        </h2>
        <PlaylistPlayer
          playlist={candidate}
          items={draft.content.items}
          screens={draft.content.screens}
          gates={draft.content.gates}
          media={draft.content.media}
          webHosts={draft.content.webHosts}
          onPosition={setPosition}
        />
      </aside>
    </div>
  );
}
