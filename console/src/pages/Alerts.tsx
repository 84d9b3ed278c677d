import {
  type Alert,
  Alert as AlertSchema,
  checkInput,
  type Gate,
  instantOfLocal,
  type ManifestPayload,
  resolve,
  type Severity,
  targetsMatch,
} from "@gatecast/playlists";
import { type AlertView, type ApiIssue, routes, type ScreenView } from "@gatecast/playlists/api";
import type { ScriptIssue } from "@gatecast/playlists/script";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { AlertMessage } from "../components/AlertMessage.tsx";
import { ScriptNotes } from "../components/ScriptNotes.tsx";
import {
  Badge,
  CharCount,
  CheckGroup,
  confirm,
  DateField,
  EmptyState,
  ErrorBox,
  Loading,
  PageHeader,
  RadioGroup,
  SelectField,
  TextArea,
  TimeField,
  toast,
} from "../components/ui.tsx";
import { type Key, t, tCount } from "../i18n.ts";
import { ApiError, call } from "../lib/api.ts";
import { onEvent, onReconnect } from "../lib/events.ts";
import { formatDateTime, gateZone, isoLocal, localNowTime, localToday } from "../lib/format.ts";
import { useNow, useResource } from "../lib/hooks.ts";
import { gateName } from "../lib/labels.ts";
import { errorText, issueMap } from "../lib/messages.ts";
import { byPath, useScripts } from "../lib/scripts.ts";
import { can } from "../lib/session.ts";
import { invalid, issuesOf } from "../lib/validate.ts";
import { KioskPreview } from "../screen/KioskPreview.tsx";
import { LANGS, type ScreenLang } from "../screen/layout.ts";
import { CapAreas, CapImport } from "./CapImport.tsx";

const DURATIONS = [15, 30, 60, 120, 240, 480, 720, 1440, 2880];
const SEVERITIES: Severity[] = ["info", "warning", "critical"];

function durationLabel(min: number): string {
  return min < 60 ? tCount("alerts.minutes", min) : tCount("alerts.hours", min / 60);
}

function newAlertId(now: number): string {
  const stamp = isoLocal(now).slice(0, 16).replace(/[-:T]/g, "");
  return `alert-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

type AlertState = "live" | "scheduled" | "expired" | "cancelled";
/** `now` is the page's clock, which ticks slowly: a minute's grace keeps "send now" from reading as later. */
function stateOf(a: AlertView, now: number): AlertState {
  if (a.cancelledAt !== null) return "cancelled";
  if (!a.live) return "expired";
  return Math.max(now, Date.now()) + 60_000 < Date.parse(a.alert.startsAt) ? "scheduled" : "live";
}

function Composer({ gates, screens, onSent }: { gates: Gate[]; screens: ScreenView[]; onSent: () => void }) {
  const [severity, setSeverity] = useState<Severity>("warning");
  const [message, setMessage] = useState<Record<ScreenLang, string>>({ vi: "", zh: "", en: "" });
  const [by, setBy] = useState<"gate" | "screen">("gate");
  const [targetGates, setTargetGates] = useState<string[]>([]);
  const [targetScreens, setTargetScreens] = useState<string[]>([]);
  const [duration, setDuration] = useState("60");
  const [startMode, setStartMode] = useState<"now" | "at">("now");
  const [startDate, setStartDate] = useState(localToday());
  const [startTime, setStartTime] = useState(localNowTime());
  const [issues, setIssues] = useState<ApiIssue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [manifests, setManifests] = useState<Record<string, ManifestPayload | null>>({});
  const now = useNow(30_000);
  const errors = issueMap(issues);

  const targets = by === "gate" ? { gates: targetGates } : { screens: targetScreens };
  const matched = screens.filter(
    (s) => (by === "gate" ? targetGates.length : targetScreens.length) && targetsMatch(targets, s),
  );
  const scripts = useScripts();
  const scriptNotes = scripts
    ? byPath(scripts.mod.scriptIssuesOfText(message, ["message"], true, scripts.tools))
    : new Map<string, ScriptIssue[]>();
  // the start is typed in the targeted gate's own time
  const zone = gates.find((g) => targetGates.includes(g.id))?.timezone ?? gateZone.value;
  const startMs = startMode === "now" ? now : instantOfLocal(startDate, startTime, zone);
  const endMs = startMs + Number(duration) * 60_000;

  const candidate = (at: number, id: string): Record<string, unknown> => {
    const msg: Record<string, string> = {};
    for (const l of LANGS) if (message[l].trim()) msg[l] = message[l].trim();
    const s = startMode === "now" ? at : startMs;
    return {
      id,
      severity,
      message: msg,
      targets,
      startsAt: isoLocal(s),
      expiresAt: isoLocal(s + Number(duration) * 60_000),
    };
  };

  // Preview over what the first targeted screen plays now, from its published manifest.
  const previewScreen = matched[0];
  useEffect(() => {
    const id = previewScreen?.id;
    if (!id || id in manifests) return;
    call(routes.screens.manifest, { params: { id } }).then(
      (m) => setManifests((x) => ({ ...x, [id]: m })),
      () => setManifests((x) => ({ ...x, [id]: null })),
    );
  }, [previewScreen?.id]);
  const manifest = previewScreen ? manifests[previewScreen.id] : undefined;
  const playing = manifest ? resolve({ ...manifest, alerts: [] }, now).item : null;
  const gate = manifest?.gate ?? gates.find((g) => g.id === previewScreen?.gate) ?? gates[0];
  const previewAlert: Alert = {
    id: "alert-preview",
    severity,
    message: { vi: message.vi || "…", zh: message.zh || "…", ...(message.en.trim() ? { en: message.en } : {}) },
    targets,
    // whole minutes: the preview is not sent again on every render
    startsAt: new Date(Math.floor(now / 60_000) * 60_000 - 60_000).toISOString(),
    expiresAt: new Date(Math.floor(now / 60_000) * 60_000 + 3_600_000).toISOString(),
  };

  // the form's own rule besides the schema: the targets must reach a screen
  const noTarget = submitted && matched.length === 0 ? t("alerts.noTarget") : undefined;
  // once a send was tried, checked again on every change, against a time that moves once a minute
  const minute = Math.floor(now / 60_000) * 60_000;
  const draftKey = JSON.stringify(candidate(minute, "alert-draft"));
  useEffect(() => {
    if (!submitted) return;
    const found = issuesOf(AlertSchema, candidate(minute, "alert-draft"));
    setIssues(found);
    setError(found.length ? invalid(found) : null);
  }, [draftKey, submitted]);

  const send = async (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    const at = Date.now();
    const parsed = checkInput(AlertSchema, candidate(at, newAlertId(at)));
    if (!parsed.ok || matched.length === 0) {
      const local = parsed.ok ? [] : parsed.issues;
      setIssues(local);
      setError(invalid(local));
      return;
    }
    const ok = await confirm({
      title: t("alerts.send"),
      message: t("alerts.sendConfirm", { n: matched.filter((s) => s.paired).length }),
      confirmLabel: t("alerts.send"),
      danger: severity === "critical",
    });
    if (!ok) return;
    setIssues([]);
    setBusy(true);
    try {
      await call(routes.alerts.send, { body: parsed.data });
      toast(t("alerts.sent"));
      setSubmitted(false);
      setError(null);
      setMessage({ vi: "", zh: "", en: "" });
      onSent();
    } catch (err) {
      if (err instanceof ApiError) setIssues(err.issues);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const msgError = (l: ScreenLang) =>
    errors.get(`message.${l}`) ?? (l === "zh" && errors.has("message") ? t("alerts.zhRequired") : undefined);

  return (
    <section class="panel" aria-labelledby="compose-title">
      <h2 id="compose-title" class="section-title">
        {t("alerts.compose")}
      </h2>
      <form onSubmit={send} noValidate class="alert-compose">
        <div class="alert-compose-form">
          <RadioGroup
            legend={t("alerts.severity")}
            name="severity"
            value={severity}
            onValue={setSeverity}
            options={SEVERITIES.map((s) => ({
              value: s,
              label: <span class={`sev sev-${s}`}>{t(`severity.${s}` as Key)}</span>,
            }))}
            class="inline-radios"
          />
          <div class="lang-columns">
            {LANGS.map((l) => (
              <TextArea
                key={l}
                label={
                  <>
                    {t(`lang.${l}` as Key)} {l === "en" ? null : <span class="req">*</span>}
                  </>
                }
                hint={
                  scriptNotes.get(`message.${l}`) ? (
                    <ScriptNotes
                      issues={scriptNotes.get(`message.${l}`) ?? []}
                      onSimplify={(v) => setMessage((m) => ({ ...m, [l]: v }))}
                      quiet={Boolean(msgError(l))}
                    />
                  ) : l === "en" ? (
                    t("common.optionalHint")
                  ) : undefined
                }
                value={message[l]}
                onValue={(v) => setMessage((m) => ({ ...m, [l]: v }))}
                rows={4}
                lang={l === "zh" ? "zh-CN" : l}
                error={msgError(l)}
                aside={<CharCount text={message[l]} max={2000} />}
                data-testid={`alert-${l}`}
              />
            ))}
          </div>
          <RadioGroup
            legend={t("alerts.targets")}
            name="alert-by"
            value={by}
            onValue={setBy}
            options={[
              { value: "gate", label: t("alerts.byGate") },
              { value: "screen", label: t("alerts.byScreen") },
            ]}
            class="inline-radios"
          />
          {by === "gate" ? (
            <CheckGroup
              legend={<span class="sr-only">{t("alerts.byGate")}</span>}
              options={gates.map((g) => ({ value: g.id, label: gateName(g, g.id) }))}
              value={targetGates}
              onValue={setTargetGates}
              error={noTarget ?? errors.get("targets") ?? errors.get("targets.gates")}
            />
          ) : (
            <CheckGroup
              legend={<span class="sr-only">{t("alerts.byScreen")}</span>}
              options={screens.map((s) => ({ value: s.id, label: `${s.name} (${s.id})` }))}
              value={targetScreens}
              onValue={setTargetScreens}
              error={noTarget ?? errors.get("targets") ?? errors.get("targets.screens")}
              class="stacked-options scroll-options"
            />
          )}
          <p class="small" data-testid="alert-matches">
            <strong>
              {t("alerts.matches", {
                n: matched.filter((s) => s.paired).length,
                online: matched.filter((s) => s.paired && s.presence === "online").length,
              })}
            </strong>
            {matched.some((s) => !s.paired) ? (
              <span class="muted"> {t("alerts.matchesUnpaired", { n: matched.filter((s) => !s.paired).length })}</span>
            ) : null}
          </p>
          <div class="grid-3">
            <SelectField
              label={t("alerts.duration")}
              value={duration}
              options={DURATIONS.map((d) => ({ value: String(d), label: durationLabel(d) }))}
              onValue={setDuration}
              error={errors.get("expiresAt")}
            />
            <RadioGroup
              legend={t("alerts.start")}
              name="alert-start"
              value={startMode}
              onValue={setStartMode}
              options={[
                { value: "now", label: t("alerts.startNow") },
                { value: "at", label: t("alerts.startAt") },
              ]}
            />
            {startMode === "at" ? (
              <div class="grid-2 tight">
                <DateField label={t("alerts.startDate")} value={startDate} onValue={setStartDate} />
                <TimeField
                  label={t("alerts.startTime")}
                  value={startTime}
                  onValue={setStartTime}
                  error={errors.get("startsAt")}
                />
              </div>
            ) : (
              <div />
            )}
          </div>
          <p class="muted small">{t("alerts.window", { from: formatDateTime(startMs), to: formatDateTime(endMs) })}</p>
          <ErrorBox
            error={error}
            unclaimed={issues.filter((i) => !/^(message|targets|expiresAt|startsAt)/.test(i.path))}
          />
          <div class="form-actions">
            <button
              type="submit"
              class={`btn ${severity === "critical" ? "btn-danger" : "btn-primary"}`}
              disabled={busy}
            >
              {busy ? t("alerts.sending") : t("alerts.send")}
            </button>
          </div>
        </div>
        <aside class="alert-compose-preview" aria-label={t("alerts.preview")}>
          <h3 class="subhead">
            {t("alerts.preview")}
            {previewScreen ? ` — ${previewScreen.name}` : ""}
          </h3>
          {previewScreen ? (
            <KioskPreview
              gate={gate}
              screen={{
                id: previewScreen.id,
                gate: previewScreen.gate,
                name: previewScreen.name,
                tags: previewScreen.tags,
                orientation: previewScreen.orientation,
              }}
              item={playing}
              alerts={[previewAlert]}
              media={manifest?.media ?? []}
              webHosts={manifest?.webHosts ?? []}
              maxHeight={previewScreen.orientation === "portrait" ? 420 : 300}
              label={t("item.previewLabel", { screen: previewScreen.name })}
            />
          ) : (
            <p class="empty">{t("alerts.noTarget")}</p>
          )}
        </aside>
      </form>
    </section>
  );
}

function AlertCard({ a, now, screens }: { a: AlertView; now: number; screens: ScreenView[] }) {
  const state = stateOf(a, now);
  const total = a.targetedScreens.length;
  const acked = new Map(a.acks.map((x) => [x.screenId, x.at]));
  const name = (id: string) => screens.find((s) => s.id === id)?.name ?? id;
  const cancel = async () => {
    const ok = await confirm({
      title: t("alerts.cancel"),
      message: t("alerts.cancelConfirm", { msg: a.alert.message.vi.slice(0, 80) }),
      confirmLabel: t("alerts.cancel"),
      danger: true,
    });
    if (!ok) return;
    try {
      await call(routes.alerts.cancel, { params: { id: a.alert.id } });
      toast(t("alerts.cancelled"));
    } catch (e) {
      toast(errorText(e), "error");
    }
  };
  return (
    <li class={`alert-card alert-card-${a.alert.severity} alert-state-${state}`} data-testid={`alert-${a.alert.id}`}>
      <div class="alert-card-head">
        <Badge kind={a.alert.severity === "critical" ? "bad" : a.alert.severity === "warning" ? "warn" : "info"}>
          {t(`severity.${a.alert.severity}` as Key)}
        </Badge>
        <Badge kind={state === "live" ? "ok" : "neutral"}>{t(`alerts.state.${state}` as Key)}</Badge>
        <span class="small muted">
          {formatDateTime(a.alert.startsAt)} → {formatDateTime(a.alert.expiresAt)}
        </span>
        <span class="summary-spacer" />
        {can("approver") && (state === "live" || state === "scheduled") ? (
          <button type="button" class="btn btn-small btn-danger-quiet" onClick={() => void cancel()}>
            {t("alerts.cancel")}
          </button>
        ) : null}
      </div>
      <AlertMessage message={a.alert.message} />
      <div class="alert-card-foot">
        <span class="ack" data-testid="ack-count">
          <span class="meter" aria-hidden="true">
            <span class="meter-fill" style={{ width: `${total ? (a.ackCount / total) * 100 : 0}%` }} />
          </span>
          <strong>{t("alerts.acks", { n: a.ackCount, total })}</strong>
        </span>
        <span class="small muted">
          {t("alerts.sentBy", { who: a.createdBy ?? "—", time: formatDateTime(a.createdAt) })}
          {a.cancelledAt !== null
            ? ` · ${t("alerts.cancelledBy", { who: a.cancelledBy ?? "—", time: formatDateTime(a.cancelledAt) })}`
            : ""}
        </span>
      </div>
      <details class="small">
        <summary>
          {a.targetedScreens.length} {t("common.screen").toLowerCase()}
        </summary>
        <ul class="ack-list">
          {a.targetedScreens.map((id) => (
            <li key={id}>
              <span class={acked.has(id) ? "text-ok" : "muted"}>{acked.has(id) ? "✓" : "○"}</span> {name(id)}{" "}
              <code>{id}</code> —{" "}
              {acked.has(id) ? `${t("alerts.acked")} ${formatDateTime(acked.get(id))}` : t("alerts.notAcked")}
            </li>
          ))}
        </ul>
      </details>
    </li>
  );
}

export function AlertsPage() {
  const alerts = useResource(() => call(routes.alerts.list), []);
  const gates = useResource(() => call(routes.content.gates.list), []);
  const screens = useResource(() => call(routes.screens.list), []);
  const now = useNow(30_000);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const soon = () => {
      timer.current ??= setTimeout(() => {
        timer.current = null;
        void alerts.reload();
      }, 200);
    };
    const offs = [onEvent("alert-ack", soon), onEvent("alerts-changed", soon), onReconnect(soon)];
    return () => {
      for (const off of offs) off();
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  const list = useMemo(() => {
    const order: Record<AlertState, number> = { live: 0, scheduled: 1, expired: 2, cancelled: 3 };
    return [...(alerts.data ?? [])].sort(
      (a, b) => order[stateOf(a, now)] - order[stateOf(b, now)] || b.createdAt - a.createdAt,
    );
  }, [alerts.data, now]);

  return (
    <div class="page page-wide">
      <PageHeader title={t("alerts.title")} />
      {can("approver") ? (
        gates.data && screens.data ? (
          <Composer gates={gates.data} screens={screens.data} onSent={() => void alerts.reload()} />
        ) : (
          <Loading />
        )
      ) : (
        <p class="notice notice-info">{t("alerts.approverOnly")}</p>
      )}
      {can("approver") && gates.data ? <CapImport gates={gates.data} onSent={() => void alerts.reload()} /> : null}
      <section aria-labelledby="alerts-list">
        <h2 id="alerts-list" class="section-title">
          {t("alerts.list")}
        </h2>
        {alerts.error ? <ErrorBox error={alerts.error} onRetry={() => void alerts.reload()} /> : null}
        {!alerts.data ? <Loading /> : null}
        {alerts.data && list.length === 0 ? <EmptyState>{t("alerts.empty")}</EmptyState> : null}
        <ul class="alert-list" data-testid="alert-list">
          {list.map((a) => (
            <AlertCard key={a.alert.id} a={a} now={now} screens={screens.data ?? []} />
          ))}
        </ul>
      </section>
      {can("admin") && gates.data ? <CapAreas gates={gates.data} /> : null}
    </div>
  );
}
