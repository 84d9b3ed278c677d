import {
  AGENCIES,
  CROSSING_STATE_LABEL,
  CrossingState,
  GateStatusItem,
  type GateStatusRow,
  instantOfLocal,
  itemGates,
  languagesOfGates,
  localParts,
  localTimeText,
} from "@gatecast/playlists";
import { type DraftView, routes } from "@gatecast/playlists/api";
import { useState } from "preact/hooks";
import { ErrorBox, PageHeader, SelectField, TextField, toast } from "../components/ui.tsx";
import { type Key, lang, t } from "../i18n.ts";
import { ApiError, call } from "../lib/api.ts";
import { useCheckedForm } from "../lib/form.ts";
import { issueText } from "../lib/messages.ts";
import { Link, navigate } from "../lib/router.tsx";
import { can } from "../lib/session.ts";
import { LANGS, type ScreenLang } from "../screen/layout.ts";

type Texts = Record<ScreenLang, string>;
const texts = (l: { vi: string; zh?: string; en?: string } | undefined): Texts => ({
  vi: l?.vi ?? "",
  zh: l?.zh ?? "",
  en: l?.en ?? "",
});
const localized = (x: Texts) => {
  const out: Record<string, string> = {};
  for (const l of LANGS) if (x[l].trim()) out[l] = x[l].trim();
  return out;
};

/** One row of the table as typed: instants as gate-local "YYYY-MM-DDTHH:MM". */
interface RowForm {
  crossing: Texts;
  state: CrossingState;
  hoursFrom: string;
  hoursTo: string;
  from: string;
  to: string;
  reason: Texts;
  agency: Texts;
  issuedAt: string;
}

const localInput = (iso: string, tz: string) => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? `${localParts(ms, tz).date}T${localTimeText(ms, tz)}` : "";
};
const instantOf = (local: string, tz: string): string | undefined => {
  const [date, time] = local.split("T");
  if (!date || !time) return undefined;
  const ms = instantOfLocal(date, time.slice(0, 5), tz);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
};

const rowForm = (r: GateStatusRow, tz: string): RowForm => ({
  crossing: texts(r.crossing),
  state: r.state,
  hoursFrom: r.hours?.from ?? "",
  hoursTo: r.hours?.to ?? "",
  from: localInput(r.from, tz),
  to: localInput(r.to, tz),
  reason: texts(r.reason),
  agency: texts(r.agency),
  issuedAt: localInput(r.issuedAt, tz),
});

function rowOf(f: RowForm, tz: string): Record<string, unknown> {
  const reason = localized(f.reason);
  return {
    crossing: localized(f.crossing),
    state: f.state,
    ...(f.hoursFrom || f.hoursTo ? { hours: { from: f.hoursFrom, to: f.hoursTo } } : {}),
    from: instantOf(f.from, tz),
    to: instantOf(f.to, tz),
    ...(Object.keys(reason).length ? { reason } : {}),
    agency: localized(f.agency),
    issuedAt: instantOf(f.issuedAt, tz),
  };
}

function blankRow(tz: string, now: number): RowForm {
  const today = localParts(now, tz).date;
  const agency = AGENCIES[0];
  return {
    crossing: texts(undefined),
    state: "open",
    hoursFrom: "07:00",
    hoursTo: "20:00",
    from: `${today}T00:00`,
    to: `${today}T23:59`,
    reason: texts(undefined),
    agency: texts(agency.name),
    issuedAt: `${today}T${localTimeText(now, tz)}`,
  };
}

interface Form {
  id: string;
  gate: string;
  duration: string;
  rows: RowForm[];
}

/**
 * A gate-status item edited as a table (one line per crossing and window), or filled from the CSV or
 * JSON file an agency sent: the controller checks every row and names a bad one by line and column.
 */
export function GateStatusEditor({ draft, existing }: { draft: DraftView; existing: GateStatusItem | undefined }) {
  const gates = draft.content.gates;
  const [form, setForm] = useState<Form>(() => {
    const gate = existing?.gate ?? gates[0]?.id ?? "";
    const tz = gates.find((g) => g.id === gate)?.timezone ?? "Asia/Ho_Chi_Minh";
    return {
      id: existing?.id ?? "",
      gate,
      duration: String(existing?.duration ?? 20),
      rows: existing ? existing.rows.map((r) => rowForm(r, tz)) : [blankRow(tz, Date.now())],
    };
  });
  const [saved, setSaved] = useState(form);
  const [fileIssues, setFileIssues] = useState<string[]>([]);
  const editable = can("editor");
  const gate = gates.find((g) => g.id === form.gate);
  const tz = gate?.timezone ?? "Asia/Ho_Chi_Minh";
  const langs = languagesOfGates(draft.content, [form.gate, ...(itemGates(draft.content).get(form.id) ?? [])]);
  const candidate = {
    ...(existing ?? { category: "procedure" }),
    id: form.id.trim(),
    kind: "gate-status",
    gate: form.gate,
    duration: Number(form.duration),
    rows: form.rows.map((r) => rowOf(r, tz)),
  };
  const dirty = JSON.stringify(form) !== JSON.stringify(saved);
  const checked = useCheckedForm(GateStatusItem, candidate, { dirty, fields: /^(id|gate|duration|rows)/ });
  const setRow = (i: number, patch: Partial<RowForm>) =>
    setForm((f) => ({ ...f, rows: f.rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));

  const save = (e: Event) => {
    e.preventDefault();
    return checked.submit(
      async (value) => {
        if (existing) await call(routes.content.items.put, { params: { id: value.id }, body: value });
        else await call(routes.content.items.create, { body: value });
      },
      (value) => {
        setSaved(form);
        toast(existing ? t("common.saved") : t("item.created", { id: value.id }));
        if (!existing) navigate(`/library/items/${value.id}`, { replace: true });
      },
    );
  };

  const importFile = async (file: File) => {
    setFileIssues([]);
    const format = /\.json$/i.test(file.name) ? "json" : "csv";
    try {
      const item = await call(routes.gateStatus.importRows, {
        params: { id: form.id },
        body: { format, text: await file.text() },
      });
      const next = { ...form, rows: item.rows.map((r) => rowForm(r, tz)) };
      setForm(next);
      setSaved(next);
      toast(t("status.imported", { n: item.rows.length, name: file.name }));
    } catch (err) {
      if (err instanceof ApiError && err.issues?.length)
        setFileIssues(
          err.issues.map((i) => {
            const line = Number(i.params?.line ?? 0);
            const column = String(i.params?.column ?? "");
            return `${line ? t("status.line", { line }) : ""}${column ? ` · ${t("status.column", { column })}` : ""}: ${issueText(i)}`;
          }),
        );
      else toast(String(err instanceof Error ? err.message : err), "error");
    }
  };

  const err = (i: number, path: string) => checked.errors.get(`rows.${i}.${path}`);
  return (
    <div class="page page-wide">
      <p class="crumb">
        <Link href="/library">{t("item.back")}</Link>
      </p>
      <PageHeader title={existing ? t("item.editTitle", { id: existing.id }) : t("status.newTitle")} />
      <form class="editor-form" onSubmit={save} noValidate aria-labelledby="page-title">
        <div class="grid-3">
          <TextField
            label={t("item.id")}
            value={form.id}
            onValue={(v) => setForm({ ...form, id: v.toLowerCase() })}
            error={checked.errors.get("id")}
            disabled={!!existing || !editable}
            required
          />
          <SelectField
            label={t("status.gate")}
            value={form.gate}
            options={gates.map((g) => ({
              value: g.id,
              label: lang.value === "en" ? (g.name.en ?? g.name.vi) : g.name.vi,
            }))}
            onValue={(v) => setForm({ ...form, gate: v })}
            error={checked.errors.get("gate")}
            disabled={!editable}
          />
          <TextField
            label={t("item.duration")}
            value={form.duration}
            onValue={(v) => setForm({ ...form, duration: v })}
            error={checked.errors.get("duration")}
            inputMode="decimal"
            disabled={!editable}
          />
        </div>
        <p class="muted small">{t("status.hint", { langs: langs.map((l) => t(`lang.${l}` as Key)).join(", ") })}</p>
        <div class="table-wrap">
          <table class="table table-compact status-table" data-testid="status-table">
            <thead>
              <tr>
                <th scope="col">{t("status.crossing")}</th>
                <th scope="col">{t("status.state")}</th>
                <th scope="col">{t("status.hours")}</th>
                <th scope="col">{t("status.window")}</th>
                <th scope="col">{t("status.reason")}</th>
                <th scope="col">{t("status.agency")}</th>
                <th scope="col">{t("status.issuedAt")}</th>
                <th scope="col">
                  <span class="sr-only">{t("common.delete")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {form.rows.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id of their own
                <tr key={i} data-testid={`status-row-${i}`}>
                  <td>
                    {LANGS.map((l) => (
                      <TextField
                        key={l}
                        label={`${t("status.crossing")} — ${t(`lang.short.${l}` as Key)}`}
                        value={r.crossing[l]}
                        onValue={(v) => setRow(i, { crossing: { ...r.crossing, [l]: v } })}
                        error={err(i, `crossing.${l}`) ?? (l === "vi" ? err(i, "crossing") : undefined)}
                        lang={l === "zh" ? "zh-CN" : l}
                        disabled={!editable}
                      />
                    ))}
                  </td>
                  <td>
                    <SelectField
                      label={t("status.state")}
                      value={r.state}
                      options={CrossingState.options.map((s) => ({
                        value: s,
                        label: lang.value === "en" ? CROSSING_STATE_LABEL[s].en : CROSSING_STATE_LABEL[s].vi,
                      }))}
                      onValue={(v) => setRow(i, { state: v })}
                      disabled={!editable}
                    />
                  </td>
                  <td>
                    <TextField
                      label={t("status.hoursFrom")}
                      value={r.hoursFrom}
                      onValue={(v) => setRow(i, { hoursFrom: v })}
                      error={err(i, "hours.from")}
                      placeholder="07:00"
                      disabled={!editable}
                    />
                    <TextField
                      label={t("status.hoursTo")}
                      value={r.hoursTo}
                      onValue={(v) => setRow(i, { hoursTo: v })}
                      error={err(i, "hours.to")}
                      placeholder="20:00"
                      disabled={!editable}
                    />
                  </td>
                  <td>
                    <TextField
                      label={t("status.from")}
                      type="datetime-local"
                      value={r.from}
                      onValue={(v) => setRow(i, { from: v })}
                      error={err(i, "from")}
                      disabled={!editable}
                    />
                    <TextField
                      label={t("status.to")}
                      type="datetime-local"
                      value={r.to}
                      onValue={(v) => setRow(i, { to: v })}
                      error={err(i, "to")}
                      disabled={!editable}
                    />
                  </td>
                  <td>
                    {LANGS.map((l) => (
                      <TextField
                        key={l}
                        label={`${t("status.reason")} — ${t(`lang.short.${l}` as Key)}`}
                        value={r.reason[l]}
                        onValue={(v) => setRow(i, { reason: { ...r.reason, [l]: v } })}
                        error={err(i, `reason.${l}`)}
                        lang={l === "zh" ? "zh-CN" : l}
                        disabled={!editable}
                      />
                    ))}
                  </td>
                  <td>
                    <SelectField
                      label={t("status.agency")}
                      value={AGENCIES.find((a) => a.name.vi === r.agency.vi)?.id ?? ""}
                      options={[
                        ...(AGENCIES.some((a) => a.name.vi === r.agency.vi)
                          ? []
                          : [{ value: "", label: r.agency.vi || t("source.agency.none") }]),
                        ...AGENCIES.map((a) => ({ value: a.id, label: a.name.vi })),
                      ]}
                      onValue={(v) => {
                        const a = AGENCIES.find((x) => x.id === v);
                        if (a) setRow(i, { agency: texts(a.name) });
                      }}
                      error={err(i, "agency.vi") ?? err(i, "agency")}
                      disabled={!editable}
                    />
                  </td>
                  <td>
                    <TextField
                      label={t("status.issuedAt")}
                      type="datetime-local"
                      value={r.issuedAt}
                      onValue={(v) => setRow(i, { issuedAt: v })}
                      error={err(i, "issuedAt")}
                      disabled={!editable}
                    />
                  </td>
                  <td>
                    {editable ? (
                      <button
                        type="button"
                        class="btn btn-small btn-danger-quiet"
                        onClick={() => setForm({ ...form, rows: form.rows.filter((_, j) => j !== i) })}
                      >
                        {t("common.delete")}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {editable ? (
          <div class="form-actions">
            <button
              type="button"
              class="btn"
              onClick={() => setForm({ ...form, rows: [...form.rows, blankRow(tz, Date.now())] })}
            >
              {t("status.addRow")}
            </button>
            {existing ? (
              <label class="btn">
                {t("status.upload")}
                <input
                  type="file"
                  accept=".csv,.json,text/csv,application/json"
                  class="sr-only"
                  data-testid="status-file"
                  onChange={(e) => {
                    const f = e.currentTarget.files?.[0];
                    if (f) void importFile(f);
                    e.currentTarget.value = "";
                  }}
                />
              </label>
            ) : (
              <span class="muted small">{t("status.uploadAfterSave")}</span>
            )}
          </div>
        ) : null}
        {fileIssues.length > 0 ? (
          <div class="notice notice-error" role="alert" data-testid="status-file-issues">
            <strong>{t("status.badFile")}</strong>
            <ul class="issue-list">
              {fileIssues.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <ErrorBox error={checked.error} unclaimed={checked.unclaimed} />
        {editable ? (
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={checked.busy}>
              {checked.busy ? t("common.saving") : t("common.save")}
            </button>
            <span class="muted small">{t("common.draftNote")}</span>
          </div>
        ) : null}
      </form>
    </div>
  );
}
