import { routes } from "@gatecast/playlists/api";
import { useState } from "preact/hooks";
import { FieldDiff } from "../components/Diff.tsx";
import { DateField, EmptyState, ErrorBox, Loading, PageHeader } from "../components/ui.tsx";
import { t } from "../i18n.ts";
import { call } from "../lib/api.ts";
import { addDays, formatDateTimeSeconds, isoLocal, startOfLocalDay } from "../lib/format.ts";
import { useResource } from "../lib/hooks.ts";
import { auditActionLabel, objectLabel } from "../lib/labels.ts";
import { location, setQuery } from "../lib/router.tsx";
import { can, user } from "../lib/session.ts";

const OBJECT_KINDS = [
  "item",
  "playlist",
  "schedule",
  "gate",
  "screen",
  "release",
  "alert",
  "media",
  "web-hosts",
  "user",
  "api-token",
];

export function AuditPage() {
  const q = location.value.query;
  const actor = q.get("actor") ?? "";
  const objectKind = q.get("objectKind") ?? "";
  const objectId = q.get("objectId") ?? "";
  const from = q.get("from") ?? "";
  const to = q.get("to") ?? "";
  const [limit, setLimit] = useState(200);
  // Typed filters apply on submit; selects and dates apply at once.
  const [actorText, setActorText] = useState(actor);
  const [idText, setIdText] = useState(objectId);

  const entries = useResource(
    () =>
      call(routes.audit.list, {
        query: {
          actor,
          objectKind,
          objectId,
          from: from ? isoLocal(startOfLocalDay(from)) : undefined,
          to: to ? isoLocal(startOfLocalDay(addDays(to, 1))) : undefined,
          limit,
        },
      }),
    [actor, objectKind, objectId, from, to, limit],
  );

  if (!can("approver"))
    return (
      <div class="page">
        <PageHeader title={t("audit.title")} />
        <p class="notice notice-info">{t("audit.approverOnly")}</p>
      </div>
    );

  const list = entries.data ?? [];
  const actors = [...new Set([user.value?.username ?? "", ...list.map((e) => e.actor)].filter(Boolean))];
  return (
    <div class="page page-wide">
      <PageHeader title={t("audit.title")} />
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ actor: actorText.trim(), objectId: idText.trim() });
        }}
      >
        <label class="filter">
          <span>{t("audit.actor")}</span>
          <input
            type="text"
            list="audit-actors"
            value={actorText}
            onInput={(e) => setActorText(e.currentTarget.value)}
            data-testid="audit-actor"
          />
          <datalist id="audit-actors">
            {actors.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label class="filter">
          <span>{t("audit.objectKind")}</span>
          <select
            value={objectKind}
            onChange={(e) => setQuery({ objectKind: e.currentTarget.value })}
            data-testid="audit-kind"
          >
            <option value="">{t("common.all")}</option>
            {OBJECT_KINDS.map((k) => (
              <option key={k} value={k}>
                {objectLabel(k)}
              </option>
            ))}
          </select>
        </label>
        <label class="filter">
          <span>{t("audit.objectId")}</span>
          <input
            type="text"
            value={idText}
            onInput={(e) => setIdText(e.currentTarget.value)}
            spellcheck={false}
            data-testid="audit-object-id"
          />
        </label>
        <DateField label={t("audit.from")} value={from} onValue={(v) => setQuery({ from: v })} fieldClass="filter" />
        <DateField label={t("audit.to")} value={to} onValue={(v) => setQuery({ to: v })} fieldClass="filter" />
        <button type="submit" class="btn btn-primary">
          {t("audit.filter")}
        </button>
        <button
          type="button"
          class="btn btn-quiet"
          onClick={() => {
            setActorText("");
            setIdText("");
            setQuery({ actor: "", objectKind: "", objectId: "", from: "", to: "" });
          }}
        >
          {t("audit.reset")}
        </button>
      </form>
      {entries.error ? <ErrorBox error={entries.error} onRetry={() => void entries.reload()} /> : null}
      {!entries.data && entries.loading ? <Loading /> : null}
      {entries.data && list.length === 0 ? <EmptyState>{t("audit.empty")}</EmptyState> : null}
      {list.length > 0 ? (
        <>
          <p class="muted small" role="status">
            {t("audit.count", { n: list.length })}
          </p>
          <div class="table-wrap">
            <table class="table" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">{t("audit.col.at")}</th>
                  <th scope="col">{t("audit.col.actor")}</th>
                  <th scope="col">{t("audit.col.action")}</th>
                  <th scope="col">{t("audit.col.object")}</th>
                  <th scope="col">{t("audit.col.details")}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((e) => (
                  <tr key={e.id} data-testid="audit-row">
                    <td class="nowrap">{formatDateTimeSeconds(e.at)}</td>
                    <td>{e.actor}</td>
                    <td>{auditActionLabel(e.action)}</td>
                    <td>
                      {objectLabel(e.objectKind)}{" "}
                      {e.objectId ? (
                        <code title={e.objectId}>
                          {/^[0-9a-f]{64}$/.test(e.objectId) ? `${e.objectId.slice(0, 12)}…` : e.objectId}
                        </code>
                      ) : null}
                    </td>
                    <td>
                      {e.before !== null || e.after !== null ? (
                        <details>
                          <summary>{t("audit.details")}</summary>
                          <FieldDiff before={e.before} after={e.after} />
                        </details>
                      ) : (
                        <span class="muted">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.length >= limit && limit < 1000 ? (
            <button type="button" class="btn" onClick={() => setLimit(Math.min(1000, limit + 200))}>
              {t("audit.more")}
            </button>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
