import { GroupBy, routes } from "@gatecast/playlists/api";
import { useState } from "preact/hooks";
import { ColumnChart, HBarChart } from "../components/BarChart.tsx";
import { DateField, EmptyState, ErrorBox, Loading, PageHeader, RadioGroup } from "../components/ui.tsx";
import { type Key, t } from "../i18n.ts";
import { call, hrefOf } from "../lib/api.ts";
import {
  addDays,
  formatLocalDate,
  formatNumber,
  formatPercent,
  formatSeconds,
  isoLocal,
  localToday,
  startOfLocalDay,
} from "../lib/format.ts";
import { useResource } from "../lib/hooks.ts";
import { gateName } from "../lib/labels.ts";
import { location, setQuery } from "../lib/router.tsx";

const GROUPS = GroupBy.options;

export function ReportsPage() {
  const q = location.value.query;
  const today = localToday();
  const from = q.get("from") ?? addDays(today, -6);
  const to = q.get("to") ?? today;
  const groupBy = GROUPS.find((g) => g === q.get("groupBy")) ?? "item";
  const [fromText, setFromText] = useState(from);
  const [toText, setToText] = useState(to);
  const valid = from <= to;
  const range = { from: isoLocal(startOfLocalDay(from)), to: isoLocal(startOfLocalDay(addDays(to, 1))) };

  const plays = useResource(
    () => (valid ? call(routes.reports.plays, { query: { ...range, groupBy } }) : Promise.resolve(undefined)),
    [from, to, groupBy],
  );
  const uptime = useResource(
    () => (valid ? call(routes.reports.uptime, { query: range }) : Promise.resolve(undefined)),
    [from, to],
  );
  const gates = useResource(() => call(routes.content.gates.list), []);
  const csvUrl = hrefOf(routes.reports.plays, { query: { ...range, groupBy, format: "csv" } });

  const rows = plays.data?.rows ?? [];
  const label = (key: string, fallback: string) =>
    groupBy === "gate"
      ? gateName(
          gates.data?.find((g) => g.id === key),
          key,
        )
      : groupBy === "day"
        ? formatLocalDate(key)
        : fallback;
  const totalPlays = rows.reduce((n, r) => n + r.plays, 0);
  const totalSeconds = rows.reduce((n, r) => n + r.seconds, 0);
  const groupLabel = t(`reports.group.${groupBy}` as Key);

  // Days with no plays still get a (zero) column, so the chart reads as a calendar.
  const dayBars = () => {
    const byDay = new Map(rows.map((r) => [r.key, r.plays]));
    const out = [];
    for (let d = from; d <= to && out.length < 400; d = addDays(d, 1))
      out.push({ key: d, label: formatLocalDate(d).slice(0, 5), value: byDay.get(d) ?? 0 });
    return out;
  };

  return (
    <div class="page page-wide">
      <PageHeader title={t("reports.title")} />
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ from: fromText, to: toText });
        }}
      >
        <DateField label={t("reports.from")} value={fromText} onValue={setFromText} fieldClass="filter" />
        <DateField
          label={t("reports.to")}
          value={toText}
          onValue={setToText}
          fieldClass="filter"
          error={fromText && toText && fromText > toText ? t("reports.badRange") : undefined}
        />
        <button type="submit" class="btn btn-primary">
          {t("audit.filter")}
        </button>
        <button
          type="button"
          class="btn btn-quiet"
          onClick={() => {
            setFromText(addDays(today, -6));
            setToText(today);
            setQuery({ from: addDays(today, -6), to: today });
          }}
        >
          {t("reports.last7")}
        </button>
        <button
          type="button"
          class="btn btn-quiet"
          onClick={() => {
            setFromText(addDays(today, -29));
            setToText(today);
            setQuery({ from: addDays(today, -29), to: today });
          }}
        >
          {t("reports.last30")}
        </button>
        <span class="summary-spacer" />
        <span class="muted small">{t("reports.tz")}</span>
      </form>

      <section aria-labelledby="plays-title" class="panel">
        <div class="panel-head">
          <h2 id="plays-title" class="section-title">
            {t("reports.plays")}
          </h2>
          <RadioGroup
            legend={t("reports.groupBy")}
            name="group-by"
            value={groupBy}
            onValue={(g) => setQuery({ groupBy: g })}
            options={GROUPS.map((g) => ({ value: g, label: t(`reports.group.${g}` as Key) }))}
            class="inline-radios"
          />
          <a class="btn" href={csvUrl} download data-testid="csv-export">
            ⤓ {t("reports.csv")}
          </a>
        </div>
        {plays.error ? <ErrorBox error={plays.error} onRetry={() => void plays.reload()} /> : null}
        {plays.loading && !plays.data ? <Loading /> : null}
        {plays.data && rows.length === 0 ? <EmptyState>{t("reports.empty")}</EmptyState> : null}
        {rows.length > 0 ? (
          <>
            <p class="small">
              <strong>
                {t("reports.totals", { plays: formatNumber(totalPlays), time: formatSeconds(totalSeconds) })}
              </strong>
            </p>
            {groupBy === "day" ? (
              <ColumnChart bars={dayBars()} title={t("reports.chart", { group: groupLabel })} />
            ) : (
              <HBarChart
                bars={rows.map((r) => ({ key: r.key, label: label(r.key, r.label), value: r.plays }))}
                title={t("reports.chart", { group: groupLabel })}
              />
            )}
            <div class="table-wrap">
              <table class="table" data-testid="plays-table">
                <thead>
                  <tr>
                    <th scope="col">{t("reports.col.key")}</th>
                    <th scope="col">{t("reports.col.label")}</th>
                    <th scope="col" class="num">
                      {t("reports.col.plays")}
                    </th>
                    <th scope="col" class="num">
                      {t("reports.col.time")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.key}>
                      <td>
                        <code>{r.key}</code>
                      </td>
                      <td>{label(r.key, r.label)}</td>
                      <td class="num">{formatNumber(r.plays)}</td>
                      <td class="num">{formatSeconds(r.seconds)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
      </section>

      <section aria-labelledby="uptime-title" class="panel">
        <h2 id="uptime-title" class="section-title">
          {t("reports.uptime")}
        </h2>
        {uptime.error ? <ErrorBox error={uptime.error} onRetry={() => void uptime.reload()} /> : null}
        {uptime.loading && !uptime.data ? <Loading /> : null}
        {uptime.data && uptime.data.rows.length === 0 ? <EmptyState>{t("reports.uptimeEmpty")}</EmptyState> : null}
        {uptime.data && uptime.data.rows.length > 0 ? (
          <div class="table-wrap">
            <table class="table" data-testid="uptime-table">
              <thead>
                <tr>
                  <th scope="col">{t("common.gate")}</th>
                  <th scope="col">{t("reports.col.screen")}</th>
                  <th scope="col">{t("reports.col.uptime")}</th>
                </tr>
              </thead>
              <tbody>
                {uptime.data.rows.map((r) => (
                  <tr key={r.screenId}>
                    <td>
                      {gateName(
                        gates.data?.find((g) => g.id === r.gate),
                        r.gate,
                      )}
                    </td>
                    <td>
                      {r.name} <code class="muted">{r.screenId}</code>
                    </td>
                    <td class="uptime-cell">
                      <span class={`meter${r.uptime < 0.95 ? " meter-warn" : ""}`} aria-hidden="true">
                        <span class="meter-fill" style={{ width: `${r.uptime * 100}%` }} />
                      </span>
                      <span>{formatPercent(r.uptime)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
