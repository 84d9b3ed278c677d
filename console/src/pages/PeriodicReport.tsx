import { Category } from "@gatecast/playlists";
import { type ReportTarget, routes } from "@gatecast/playlists/api";
import { useState } from "preact/hooks";
import { DateField, EmptyState, ErrorBox, PageHeader, SelectField, TextField, toast } from "../components/ui.tsx";
import { t } from "../i18n.ts";
import { ApiError, call, errorOf, hrefOf } from "../lib/api.ts";
import { addDays, formatLocalDate, localToday } from "../lib/format.ts";
import { useResource } from "../lib/hooks.ts";
import { categoryLabel, gateName } from "../lib/labels.ts";
import { can } from "../lib/session.ts";

type Download = "docx" | "xlsx" | "items" | "months" | "plays";
const DOWNLOADS: Download[] = ["docx", "xlsx", "items", "months", "plays"];
type Kind = ReportTarget["kind"];

/** The office's periodic report: docx to edit and sign, its xlsx appendix, CSV tables; and the targets. */
export function PeriodicReportPage() {
  const today = localToday();
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(addDays(today, -1));
  const [gate, setGate] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<Download | null>(null);
  const gates = useResource(() => call(routes.content.gates.list), []);
  const targets = useResource(() => call(routes.targets.list), []);

  const download = async (what: Download) => {
    setError(null);
    setBusy(what);
    try {
      const format = what === "docx" || what === "xlsx" ? what : "csv";
      const table = format === "csv" ? (what as "items" | "months" | "plays") : "items";
      const href = hrefOf(routes.reports.periodic, {
        query: { from, to, ...(gate ? { gate } : {}), format, table },
      });
      const res = await fetch(href, { credentials: "same-origin" });
      if (!res.ok) throw errorOf(res.status, await res.text());
      const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get("content-disposition") ?? "")?.[1];
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = name ? decodeURIComponent(name) : `bao-cao.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div class="page page-wide">
      <PageHeader title={t("periodic.title")} />
      <p class="muted">{t("periodic.intro")}</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <DateField label={t("reports.from")} value={from} onValue={setFrom} fieldClass="filter" />
        <DateField
          label={t("reports.to")}
          value={to}
          onValue={setTo}
          fieldClass="filter"
          error={from && to && from > to ? t("reports.badRange") : undefined}
        />
        <SelectField
          label={t("common.gate")}
          value={gate}
          onValue={setGate}
          fieldClass="filter"
          testId="periodic-gate"
          options={[
            { value: "", label: t("periodic.allGates") },
            ...(gates.data ?? []).map((g) => ({ value: g.id, label: gateName(g, g.id) })),
          ]}
        />
      </form>
      <div class="panel">
        <div class="actions">
          {DOWNLOADS.map((d) => (
            <button
              key={d}
              type="button"
              class={d === "docx" ? "btn btn-primary" : "btn"}
              disabled={busy !== null}
              data-testid={`periodic-${d}`}
              onClick={() => void download(d)}
            >
              ⤓ {t(`periodic.download.${d}`)}
            </button>
          ))}
        </div>
        <ErrorBox error={error} unclaimed={error instanceof ApiError ? error.issues : undefined} />
      </div>

      <section class="panel" aria-labelledby="targets-title">
        <h2 id="targets-title" class="section-title">
          {t("periodic.targets")}
        </h2>
        {targets.error ? <ErrorBox error={targets.error} onRetry={() => void targets.reload()} /> : null}
        {targets.data && targets.data.length === 0 ? <EmptyState>{t("periodic.noTargets")}</EmptyState> : null}
        {targets.data && targets.data.length > 0 ? (
          <div class="table-wrap">
            <table class="table" data-testid="targets-table">
              <thead>
                <tr>
                  <th scope="col">{t("common.gate")}</th>
                  <th scope="col">{t("periodic.period")}</th>
                  <th scope="col">{t("periodic.target")}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {targets.data.map((x) => (
                  <tr key={x.id}>
                    <td>
                      {gateName(
                        gates.data?.find((g) => g.id === x.gate),
                        x.gate,
                      )}
                    </td>
                    <td>
                      {formatLocalDate(x.from)} – {formatLocalDate(x.to)}
                    </td>
                    <td>{targetText(x.target)}</td>
                    <td>
                      {can("approver") ? (
                        <button
                          type="button"
                          class="btn btn-quiet"
                          onClick={async () => {
                            await call(routes.targets.remove, { params: { id: x.id } });
                            await targets.reload();
                          }}
                        >
                          {t("periodic.remove")}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {can("approver") ? <TargetForm gates={gates.data ?? []} onSaved={() => void targets.reload()} /> : null}
      </section>
    </div>
  );
}

function targetText(x: ReportTarget): string {
  if (x.kind === "uptime") return t("periodic.kind.uptime.text", { n: String(x.minPercent) });
  if (x.kind === "new-items")
    return t("periodic.kind.new-items.text", { n: String(x.min), category: categoryLabel(x.category) });
  const where = [...x.screens, ...x.tags.map((g) => `#${g}`)].join(", ");
  return t("periodic.kind.airtime-share.text", {
    n: String(x.minPercent),
    category: categoryLabel(x.category),
    where: where || t("periodic.allScreens"),
  });
}

function TargetForm({
  gates,
  onSaved,
}: {
  gates: readonly { id: string; name: { vi: string; zh: string; en?: string | undefined } }[];
  onSaved: () => void;
}) {
  const year = localToday().slice(0, 4);
  const [gate, setGate] = useState(gates[0]?.id ?? "");
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(`${year}-12-31`);
  const [kind, setKind] = useState<Kind>("airtime-share");
  const [category, setCategory] = useState<Category>("border-law");
  const [value, setValue] = useState("30");
  const [tags, setTags] = useState("");
  const [error, setError] = useState<unknown>(null);
  const n = Number(value.replace(",", "."));
  const target: ReportTarget =
    kind === "uptime"
      ? { kind, minPercent: n }
      : kind === "new-items"
        ? { kind, category, min: Math.round(n) }
        : {
            kind,
            category,
            minPercent: n,
            screens: [],
            tags: tags
              .split(/[\s,]+/)
              .map((x) => x.replace(/^#/, ""))
              .filter(Boolean),
          };
  return (
    <form
      class="filters"
      data-testid="target-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          await call(routes.targets.create, { body: { gate: gate || (gates[0]?.id ?? ""), from, to, target } });
          toast(t("periodic.saved"));
          onSaved();
        } catch (err) {
          setError(err);
        }
      }}
    >
      <SelectField
        label={t("common.gate")}
        value={gate || (gates[0]?.id ?? "")}
        onValue={setGate}
        fieldClass="filter"
        options={gates.map((g) => ({ value: g.id, label: gateName(g as never, g.id) }))}
      />
      <DateField label={t("reports.from")} value={from} onValue={setFrom} fieldClass="filter" />
      <DateField label={t("reports.to")} value={to} onValue={setTo} fieldClass="filter" />
      <SelectField
        label={t("periodic.target")}
        value={kind}
        onValue={setKind}
        fieldClass="filter"
        options={(["airtime-share", "uptime", "new-items"] as const).map((k) => ({
          value: k,
          label: t(`periodic.kind.${k}`),
        }))}
      />
      {kind !== "uptime" ? (
        <SelectField
          label={t("periodic.category")}
          value={category}
          onValue={setCategory}
          fieldClass="filter"
          options={Category.options.map((c) => ({ value: c, label: categoryLabel(c) }))}
        />
      ) : null}
      <TextField
        label={kind === "new-items" ? t("periodic.minCount") : t("periodic.minPercent")}
        value={value}
        onValue={setValue}
        fieldClass="filter"
        inputMode="decimal"
      />
      {kind === "airtime-share" ? (
        <TextField label={t("periodic.tags")} value={tags} onValue={setTags} fieldClass="filter" />
      ) : null}
      <button type="submit" class="btn btn-primary">
        {t("periodic.add")}
      </button>
      <ErrorBox error={error} unclaimed={error instanceof ApiError ? error.issues : undefined} />
    </form>
  );
}
