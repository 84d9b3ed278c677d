import type { Content, ContentDiff } from "@gatecast/playlists";
import { type ReadabilityReport, type ReleaseDiff, type ReleaseSummary, routes } from "@gatecast/playlists/api";
import { useEffect, useState } from "preact/hooks";
import { ContentDiffView, countChanges, type Lookup } from "../components/Diff.tsx";
import { ask, confirm, EmptyState, ErrorBox, Loading, PageHeader, TextArea, toast } from "../components/ui.tsx";
import { t } from "../i18n.ts";
import { call } from "../lib/api.ts";
import { onEvent } from "../lib/events.ts";
import { formatDateTime } from "../lib/format.ts";
import { useResource } from "../lib/hooks.ts";
import { itemTitle } from "../lib/labels.ts";
import { issueText } from "../lib/messages.ts";
import { LANG_NAME, shortfallText } from "../lib/readability.ts";
import { can } from "../lib/session.ts";

/** Finds added objects in the content after a change and removed ones in the content before it. */
function lookupIn(before: Content | undefined, after: Content | undefined): Lookup {
  return (side, kind, id) => (side === "before" ? before : after)?.[kind].find((x) => x.id === id);
}

/** Names to show beside ids in a diff, from whichever contents know them. */
function namer(...contents: (Content | undefined)[]) {
  return (id: string): string | undefined => {
    for (const c of contents) {
      if (!c) continue;
      const item = c.items.find((i) => i.id === id);
      if (item) return itemTitle(item);
      const p = c.playlists.find((x) => x.id === id);
      if (p) return p.name;
      const g = c.gates.find((x) => x.id === id);
      if (g) return g.name.vi;
    }
    return undefined;
  };
}

/**
 * Puts the draft back to what `release` holds, in an order where every step is valid on its own:
 * hosts widened, then items, playlists, gates, schedules restored, then additions removed in reverse.
 */
async function revertDraft(diff: ContentDiff, release: Content, draft: Content): Promise<void> {
  const before = <T extends { id: string }>(list: T[], id: string) => list.find((x) => x.id === id);
  const hosts = (list: string[]) => call(routes.content.setWebHosts, { body: { hosts: list } });
  await hosts([...new Set([...draft.webHosts, ...release.webHosts])]);
  for (const kind of ["items", "playlists", "gates", "schedules"] as const) {
    const d = diff[kind];
    for (const id of [...d.removed, ...d.changed.map((c) => c.id)]) {
      const obj = before<{ id: string }>(release[kind], id);
      if (obj) await call(routes.content[kind].put, { params: { id }, body: obj });
    }
  }
  for (const kind of ["schedules", "gates", "playlists", "items"] as const) {
    for (const id of diff[kind].added) await call(routes.content[kind].remove, { params: { id } });
  }
  await hosts(release.webHosts);
  const order = release.schedules.map((s) => s.id);
  if (diff.scheduleOrder && order.length > 0) await call(routes.content.scheduleOrder, { body: { ids: order } });
}

/** Every item × screen of the draft that falls short of readable, as the controller measured it. */
function ReadabilityList({ report, names }: { report: ReadabilityReport | undefined; names: (id: string) => string }) {
  if (!report) return <p class="muted small">{t("readability.checking")}</p>;
  if (!report.checked) return <p class="muted small">{t("readability.off")}</p>;
  if (report.shortfalls.length === 0)
    return (
      <p class="notice notice-info small" data-testid="readability-none">
        {t("readability.none")}
      </p>
    );
  return (
    <div class="readability" data-testid="readability">
      <p class={report.blocking > 0 ? "notice notice-error" : "notice notice-warn"} role="status">
        {t("readability.summary", { blocking: report.blocking, warnings: report.warnings, pairs: report.pairs })}
      </p>
      <div class="table-wrap readability-table">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t("readability.col.item")}</th>
              <th scope="col">{t("readability.col.screen")}</th>
              <th scope="col">{t("readability.col.lang")}</th>
              <th scope="col">{t("readability.col.problem")}</th>
            </tr>
          </thead>
          <tbody>
            {report.shortfalls.map((s) => (
              <tr
                key={`${s.item}:${s.screen}:${s.lang}:${s.kind}`}
                data-testid="shortfall"
                data-severity={s.severity}
                data-item={s.item}
                data-screen={s.screen}
              >
                <td>{names(s.item)}</td>
                <td>
                  <code>{s.screen}</code>
                </td>
                <td>{s.lang ? LANG_NAME[s.lang] : "—"}</td>
                <td>
                  <span class={s.severity === "blocking" ? "badge badge-bad" : "badge badge-warn"}>
                    {t(s.severity === "blocking" ? "readability.blocking" : "readability.warning")}
                  </span>{" "}
                  {shortfallText(s)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function DraftSection({ onReleased }: { onReleased: () => void }) {
  const diff = useResource(() => call(routes.releases.draftDiff), []);
  const draft = useResource(() => call(routes.content.draft), []);
  const against = diff.data?.against ?? null;
  const latest = useResource(
    () => (against === null ? Promise.resolve(undefined) : call(routes.releases.get, { params: { id: against } })),
    [against],
  );
  const readability = useResource(() => call(routes.releases.readability), []);
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<string | undefined>();
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const approver = can("approver");

  useEffect(
    () =>
      onEvent("release", () => {
        void diff.reload();
        void draft.reload();
        void readability.reload();
      }),
    [],
  );

  if (diff.error) return <ErrorBox error={diff.error} onRetry={() => void diff.reload()} />;
  if (!diff.data || !draft.data) return <Loading />;
  const d = diff.data;
  const n = countChanges(d.changes);
  const issues = draft.data.issues;

  const release = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!note.trim()) {
      setNoteError(t("common.required"));
      return;
    }
    setNoteError(undefined);
    const report = readability.data;
    if (!report) return;
    if (report.blocking > 0 && reason.trim().length < 10) {
      setReasonError(t("readability.reasonHint"));
      return;
    }
    setReasonError(undefined);
    setBusy(true);
    try {
      const r = await call(routes.releases.create, {
        body: {
          note: note.trim(),
          // the controller checks again: a list changed since is refused as stale
          readability: { revision: report.revision, ...(report.blocking > 0 ? { reason: reason.trim() } : {}) },
        },
      });
      toast(t("releases.released", { id: r.id }));
      setNote("");
      setReason("");
      await Promise.all([diff.reload(), draft.reload(), readability.reload()]);
      onReleased();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const reject = async () => {
    if (d.against === null) return;
    const ok = await confirm({
      title: t("releases.reject"),
      message: t("releases.rejectConfirm", { id: d.against }),
      confirmLabel: t("releases.reject"),
      danger: true,
    });
    if (!ok) return;
    setBusy(true);
    setError(null);
    try {
      const latest = await call(routes.releases.get, { params: { id: d.against } });
      await revertDraft(d.changes, latest.content, draft.data?.content ?? latest.content);
      toast(t("releases.rejected", { id: d.against }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      await Promise.all([diff.reload(), draft.reload()]);
    }
  };

  return (
    <section class="panel" aria-labelledby="draft-title" data-testid="draft-section">
      <h2 id="draft-title" class="section-title">
        {d.against === null ? t("releases.draftFirst") : t("releases.draftAgainst", { id: d.against })}
        {n > 0 ? <span class="badge badge-warn">{t("releases.changeCount", { n })}</span> : null}
      </h2>
      {n === 0 ? (
        <EmptyState>{t("releases.noChanges")}</EmptyState>
      ) : (
        <ContentDiffView
          diff={d.changes}
          names={namer(draft.data.content, latest.data?.content)}
          lookup={lookupIn(latest.data?.content, draft.data.content)}
        />
      )}
      {issues.length > 0 ? (
        <div class="notice notice-error" role="alert">
          <strong>{t("releases.issues", { n: issues.length })}</strong>
          <ul class="issue-list">
            {issues.map((i) => (
              <li key={`${i.path}:${i.code}:${JSON.stringify(i.params)}`}>
                <code>{i.id ? `${i.kind} ${i.id}` : i.path}</code> {issueText(i)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {n > 0 ? (
        <section aria-labelledby="readability-title">
          <h3 id="readability-title" class="section-title">
            {t("readability.title")}
          </h3>
          {readability.error ? (
            <ErrorBox error={readability.error} onRetry={() => void readability.reload()} />
          ) : (
            <ReadabilityList
              report={readability.data}
              names={(id) => {
                const item = draft.data?.content.items.find((i) => i.id === id);
                return item ? itemTitle(item) : id;
              }}
            />
          )}
        </section>
      ) : null}
      {n > 0 ? (
        approver ? (
          <form onSubmit={release} class="release-form" noValidate>
            <TextArea
              label={t("releases.note")}
              value={note}
              onValue={setNote}
              rows={2}
              placeholder={t("releases.notePlaceholder")}
              error={noteError}
              maxLength={1000}
              data-testid="release-note"
            />
            {readability.data && readability.data.blocking > 0 ? (
              <TextArea
                label={t("readability.reason")}
                hint={t("readability.reasonHint")}
                value={reason}
                onValue={setReason}
                rows={2}
                error={reasonError}
                maxLength={1000}
                data-testid="release-reason"
              />
            ) : null}
            <ErrorBox
              error={error}
              onRetry={
                error instanceof Error && "code" in error && error.code === "readability-stale"
                  ? () => void readability.reload()
                  : undefined
              }
            />
            <div class="form-actions">
              <button
                type="submit"
                class="btn btn-primary"
                disabled={busy || issues.length > 0 || !readability.data}
                data-testid="release-submit"
              >
                {busy
                  ? t("releases.releasing")
                  : readability.data && readability.data.blocking > 0
                    ? t("readability.releaseAnyway")
                    : t("releases.release")}
              </button>
              {d.against !== null ? (
                <button type="button" class="btn btn-danger-quiet" disabled={busy} onClick={() => void reject()}>
                  {t("releases.reject")}
                </button>
              ) : null}
            </div>
          </form>
        ) : (
          <p class="notice notice-info">{t("releases.approverOnly")}</p>
        )
      ) : null}
    </section>
  );
}

function HistoryRow({ r, current, onRolledBack }: { r: ReleaseSummary; current: boolean; onRolledBack: () => void }) {
  const [open, setOpen] = useState(false);
  const [diff, setDiff] = useState<ReleaseDiff | null>(null);
  const [contents, setContents] = useState<{ before?: Content; after?: Content }>({});
  const [error, setError] = useState<unknown>(null);
  const toggle = async () => {
    setOpen(!open);
    if (!diff && !open) {
      try {
        const d = await call(routes.releases.diff, { params: { id: r.id } });
        setDiff(d);
        const [after, before] = await Promise.all([
          call(routes.releases.get, { params: { id: r.id } }),
          d.against === null ? Promise.resolve(undefined) : call(routes.releases.get, { params: { id: d.against } }),
        ]);
        setContents({ before: before?.content, after: after.content });
      } catch (e) {
        setError(e);
      }
    }
  };
  const rollback = async () => {
    const answer = await ask({
      title: t("releases.rollback"),
      message: t("releases.rollbackConfirm", { id: r.id }),
      confirmLabel: t("releases.rollback"),
      danger: true,
      input: { label: t("releases.rollbackNote") },
    });
    if (!answer.ok) return;
    try {
      const created = await call(routes.releases.rollback, {
        params: { id: r.id },
        body: answer.value.trim() ? { note: answer.value.trim() } : {},
      });
      toast(t("releases.rolledBack", { id: r.id, new: created.id }));
      onRolledBack();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <tr data-testid={`release-${r.id}`}>
        <td class="num">
          <strong>{r.id}</strong>
        </td>
        <td class="nowrap">{formatDateTime(r.createdAt)}</td>
        <td>{r.createdBy}</td>
        <td>
          {r.note}
          {r.rollbackOf !== null ? (
            <span class="badge badge-neutral">{t("releases.rollbackOf", { id: r.rollbackOf })}</span>
          ) : null}
          {current ? <span class="badge badge-ok">{t("releases.current")}</span> : null}
        </td>
        <td class="nowrap">
          <button type="button" class="btn btn-small" aria-expanded={open} onClick={() => void toggle()}>
            {open ? t("releases.hideChanges") : t("releases.showChanges")}
          </button>{" "}
          {can("approver") && !current ? (
            <button type="button" class="btn btn-small btn-quiet" onClick={() => void rollback()}>
              {t("releases.rollback")}
            </button>
          ) : null}
        </td>
      </tr>
      {open || error ? (
        <tr class="row-detail">
          <td colSpan={5}>
            <ErrorBox error={error} />
            {diff ? (
              <>
                {diff.against === null ? <p class="muted small">{t("releases.firstRelease")}</p> : null}
                <ContentDiffView
                  diff={diff.changes}
                  names={namer(contents.after, contents.before)}
                  lookup={lookupIn(contents.before, contents.after)}
                />
              </>
            ) : open && !error ? (
              <Loading />
            ) : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function ReleasesPage() {
  const releases = useResource(() => call(routes.releases.list), []);
  const [draftKey, setDraftKey] = useState(0);
  useEffect(() => onEvent("release", () => void releases.reload()), []);
  const list = releases.data ?? [];
  return (
    <div class="page page-wide">
      <PageHeader title={t("releases.title")} />
      <DraftSection key={draftKey} onReleased={() => void releases.reload()} />
      <section aria-labelledby="history-title">
        <h2 id="history-title" class="section-title">
          {t("releases.history")}
        </h2>
        {releases.error ? <ErrorBox error={releases.error} onRetry={() => void releases.reload()} /> : null}
        {!releases.data ? (
          <Loading />
        ) : list.length === 0 ? (
          <EmptyState>{t("releases.historyEmpty")}</EmptyState>
        ) : (
          <div class="table-wrap">
            <table class="table" data-testid="release-history">
              <thead>
                <tr>
                  <th scope="col" class="num">
                    {t("releases.col.id")}
                  </th>
                  <th scope="col">{t("releases.col.at")}</th>
                  <th scope="col">{t("releases.col.by")}</th>
                  <th scope="col">{t("releases.col.note")}</th>
                  <th scope="col">
                    <span class="sr-only">{t("releases.showChanges")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((r, i) => (
                  <HistoryRow
                    key={r.id}
                    r={r}
                    current={i === 0}
                    onRolledBack={() => {
                      void releases.reload();
                      setDraftKey((k) => k + 1);
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
