import type { Gate } from "@gatecast/playlists";
import { type CapAreaRule, type CapImportResult, routes } from "@gatecast/playlists/api";
import { useRef, useState } from "preact/hooks";
import { AlertMessage } from "../components/AlertMessage.tsx";
import {
  Badge,
  CheckGroup,
  confirm,
  EmptyState,
  ErrorBox,
  Loading,
  SelectField,
  TextField,
  toast,
} from "../components/ui.tsx";
import { type Key, t } from "../i18n.ts";
import { call, callRaw } from "../lib/api.ts";
import { formatDateTime } from "../lib/format.ts";
import { useResource } from "../lib/hooks.ts";
import { gateName } from "../lib/labels.ts";
import { can } from "../lib/session.ts";

/*
 * CAP 1.2 on the alerts page: an approver uploads an agency's message, sees what it would do (always
 * checked first, as a dry run), then sends it; an admin keeps the table from CAP areas to gates.
 */

function CapResult({ r, gates }: { r: CapImportResult; gates: Gate[] }) {
  const action = t(`cap.action.${r.action}` as Key, { id: r.alert.id });
  const gateLabel = (id: string) =>
    gateName(
      gates.find((x) => x.id === id),
      id,
    );
  return (
    <div class="cap-result" data-testid="cap-result">
      <p>
        <strong>{r.dryRun ? t("cap.wouldSend", { action }) : t("cap.did", { action })}</strong>{" "}
        <Badge kind={r.alert.severity === "critical" ? "bad" : r.alert.severity === "warning" ? "warn" : "info"}>
          {t(`severity.${r.alert.severity}` as Key)}
        </Badge>{" "}
        <Badge kind={r.status === "Actual" ? "ok" : "neutral"}>{r.status}</Badge>
      </p>
      {r.status !== "Actual" ? <p class="notice notice-info">{t("cap.notActual", { status: r.status })}</p> : null}
      <dl class="cap-facts">
        <dt>{t("cap.gates")}</dt>
        <dd>
          {r.gates.map(gateLabel).join(", ")} · {t("cap.screens", { n: r.targetedScreens.length })}
        </dd>
        <dt>{t("cap.languages")}</dt>
        <dd>{r.languages.map((l) => t(`lang.${l}` as Key)).join(", ") || "—"}</dd>
        <dt>{t("cap.when")}</dt>
        <dd>
          {formatDateTime(r.alert.startsAt)} → {formatDateTime(r.alert.expiresAt)}
        </dd>
      </dl>
      <AlertMessage message={r.alert.message} />
    </div>
  );
}

/** Upload a CAP message: checked first (dry run), sent on confirmation. */
export function CapImport({ gates, onSent }: { gates: Gate[]; onSent: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [result, setResult] = useState<CapImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const send = async (text: string, dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const r = await callRaw(routes.cap.import, text, { query: dryRun ? { dryRun: "1" } : {} });
      setResult(r);
      if (!r.dryRun) {
        toast(t("cap.done"));
        onSent();
      }
    } catch (e) {
      setResult(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const choose = async (f: File) => {
    const text = await f.text();
    setFile({ name: f.name, text });
    await send(text, true);
  };

  const publish = async () => {
    if (!file || !result) return;
    const ok = await confirm({
      title: t("cap.publish"),
      message: t("cap.publishConfirm", { n: result.targetedScreens.length }),
      confirmLabel: t("cap.publish"),
      danger: result.alert.severity === "critical",
    });
    if (ok) await send(file.text, false);
  };

  return (
    <section class="panel" aria-labelledby="cap-title">
      <h2 id="cap-title" class="section-title">
        {t("cap.title")}
      </h2>
      <p class="muted small">{t("cap.help")}</p>
      <p>
        <button type="button" class="btn" disabled={busy} onClick={() => input.current?.click()}>
          {t("cap.file")}
        </button>{" "}
        {file ? <code>{file.name}</code> : null}
        <input
          ref={input}
          type="file"
          hidden
          accept=".xml,application/xml,text/xml,application/cap+xml"
          data-testid="cap-input"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = "";
            if (f) void choose(f);
          }}
        />
      </p>
      {busy ? <Loading /> : null}
      <ErrorBox error={error} />
      {result ? (
        <>
          {result.dryRun ? <h3 class="small muted">{t("cap.dryRun")}</h3> : null}
          <CapResult r={result} gates={gates} />
          {result.dryRun && result.status === "Actual" && can("approver") ? (
            <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void publish()}>
              {t("cap.publish")}
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

type Row = { kind: "areaDesc" | "geocode"; valueName: string; value: string; gates: string[] };

const toRow = (r: CapAreaRule): Row =>
  r.geocode
    ? { kind: "geocode", valueName: r.geocode.valueName, value: r.geocode.value, gates: r.gates }
    : { kind: "areaDesc", valueName: "", value: r.areaDesc ?? "", gates: r.gates };

const toRule = (r: Row): CapAreaRule =>
  r.kind === "geocode"
    ? { geocode: { valueName: r.valueName, value: r.value }, gates: r.gates }
    : { areaDesc: r.value, gates: r.gates };

/** The admin's table from CAP area descriptions and geocodes to gates. */
export function CapAreas({ gates }: { gates: Gate[] }) {
  const table = useResource(() => call(routes.cap.areas), []);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const shown = rows ?? table.data?.rules.map(toRow) ?? null;
  const admin = can("admin");
  const set = (i: number, patch: Partial<Row>) =>
    setRows((shown ?? []).map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const save = async () => {
    setError(null);
    try {
      const saved = await call(routes.cap.setAreas, { body: { rules: (shown ?? []).map(toRule) } });
      setRows(saved.rules.map(toRow));
      toast(t("cap.areas.saved"));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section class="panel" aria-labelledby="cap-areas-title">
      <h2 id="cap-areas-title" class="section-title">
        {t("cap.areas.title")}
      </h2>
      <p class="muted small">{t("cap.areas.help")}</p>
      {table.error ? <ErrorBox error={table.error} onRetry={() => void table.reload()} /> : null}
      {!shown ? <Loading /> : null}
      {shown && shown.length === 0 ? <EmptyState>{t("cap.areas.empty")}</EmptyState> : null}
      {shown?.map((r, i) => (
        <fieldset class="cap-area-row" key={i} disabled={!admin} data-testid="cap-area-row">
          <SelectField
            label={t("cap.areas.kind")}
            value={r.kind}
            onValue={(kind) => set(i, { kind })}
            options={[
              { value: "areaDesc", label: t("cap.areas.kind.areaDesc") },
              { value: "geocode", label: t("cap.areas.kind.geocode") },
            ]}
          />
          {r.kind === "geocode" ? (
            <TextField
              label={t("cap.areas.valueName")}
              value={r.valueName}
              onValue={(valueName) => set(i, { valueName })}
            />
          ) : null}
          <TextField label={t("cap.areas.value")} value={r.value} onValue={(value) => set(i, { value })} />
          <CheckGroup
            legend={t("cap.areas.gates")}
            value={r.gates}
            onValue={(g) => set(i, { gates: g })}
            options={gates.map((g) => ({ value: g.id, label: gateName(g, g.id) }))}
          />
          {admin ? (
            <button
              type="button"
              class="btn btn-small btn-danger-quiet"
              onClick={() => setRows((shown ?? []).filter((_, j) => j !== i))}
            >
              {t("cap.areas.remove")}
            </button>
          ) : null}
        </fieldset>
      ))}
      <ErrorBox error={error} />
      {admin && shown ? (
        <p>
          <button
            type="button"
            class="btn"
            onClick={() => setRows([...shown, { kind: "areaDesc", valueName: "", value: "", gates: [] }])}
          >
            {t("cap.areas.add")}
          </button>{" "}
          <button type="button" class="btn btn-primary" onClick={() => void save()}>
            {t("cap.areas.save")}
          </button>
        </p>
      ) : null}
    </section>
  );
}
