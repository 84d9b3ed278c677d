import {
  type ChannelInput,
  ChannelInput as ChannelSchema,
  type ChannelView,
  INCIDENT_RULES,
  type IncidentRule,
  IncidentSettings,
} from "@gatecast/playlists";
import { type IncidentEventView, type IncidentView, routes, type ScreenView } from "@gatecast/playlists/api";
import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import {
  Badge,
  confirm,
  EmptyState,
  ErrorBox,
  Loading,
  PageHeader,
  SelectField,
  TextField,
  toast,
} from "../components/ui.tsx";
import { type Key, t } from "../i18n.ts";
import { call } from "../lib/api.ts";
import { onEvent, onReconnect } from "../lib/events.ts";
import { useCheckedForm } from "../lib/form.ts";
import { formatDateTime, formatDuration } from "../lib/format.ts";
import { useNow, useResource, useStored } from "../lib/hooks.ts";
import { gateName } from "../lib/labels.ts";
import { errorText } from "../lib/messages.ts";
import { can } from "../lib/session.ts";

type Status = "open" | "resolved" | "all";

const ruleLabel = (r: IncidentRule) => t(`incident.rule.${r}` as Key);

function subjectLabel(subject: string, screens: Map<string, ScreenView>): string {
  const [kind, id = ""] = subject.split(":");
  if (kind === "screen") return screens.get(id)?.name ? `${screens.get(id)?.name} (${id})` : id;
  if (kind === "gate") return t("incident.subject.gate", { id });
  if (kind === "notice") return t("incident.subject.notice", { id });
  return t("incident.subject.controller");
}

function History({ id }: { id: number }) {
  const detail = useResource(() => call(routes.incidents.get, { params: { id } }), [id]);
  useEffect(() => onEvent("incident", (e) => (e.id === id ? void detail.reload() : undefined)), [id]);
  if (detail.error) return <ErrorBox error={detail.error} />;
  if (!detail.data) return <Loading />;
  return (
    <ol class="history" data-testid={`history-${id}`}>
      {detail.data.events.map((e: IncidentEventView) => (
        <li key={e.id} class={`history-${e.kind}`}>
          <time>{formatDateTime(e.at)}</time> · <strong>{t(`incident.event.${e.kind}` as Key)}</strong>
          {e.channel ? ` · ${e.channel}` : ""}
          {e.actor ? ` · ${e.actor}` : ""}
          {e.detail ? <span class="muted"> — {e.detail}</span> : null}
        </li>
      ))}
    </ol>
  );
}

function IncidentList() {
  const [status, setStatus] = useStored<Status>("gatecast.console.incidentStatus", "open");
  const list = useResource(() => call(routes.incidents.list, { query: { status } }), [status]);
  const screens = useResource(() => call(routes.screens.list), []);
  const gates = useResource(() => call(routes.content.gates.list), []);
  const [open, setOpen] = useState<number | null>(null);
  const now = useNow(30_000);
  useEffect(() => {
    const offs = [onEvent("incident", () => void list.reload()), onReconnect(() => void list.reload())];
    return () => {
      for (const off of offs) off();
    };
  }, [status]);
  const byId = new Map((screens.data ?? []).map((s) => [s.id, s]));
  const ack = async (i: IncidentView) => {
    try {
      await call(routes.incidents.acknowledge, { params: { id: i.id } });
      toast(t("incident.acked"));
      void list.reload();
    } catch (e) {
      toast(errorText(e), "error");
    }
  };
  return (
    <section class="panel" aria-labelledby="incidents-title">
      <div class="panel-head">
        <h2 id="incidents-title" class="section-title">
          {t("incident.list")}
        </h2>
        <SelectField
          label={t("incident.show")}
          value={status}
          onValue={(v) => setStatus(v)}
          options={(["open", "resolved", "all"] as const).map((v) => ({
            value: v,
            label: t(`incident.status.${v}` as Key),
          }))}
        />
      </div>
      {list.error ? <ErrorBox error={list.error} onRetry={() => void list.reload()} /> : null}
      {!list.data && list.loading ? <Loading /> : null}
      {list.data && list.data.length === 0 ? <EmptyState>{t(`incident.empty.${status}` as Key)}</EmptyState> : null}
      {list.data && list.data.length > 0 ? (
        <table class="table incidents" data-testid="incidents">
          <thead>
            <tr>
              <th>{t("incident.col.rule")}</th>
              <th>{t("incident.col.subject")}</th>
              <th>{t("incident.col.since")}</th>
              <th>{t("incident.col.duration")}</th>
              <th>{t("incident.col.state")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((i) => (
              <Fragment key={i.id}>
                <tr data-testid={`incident-${i.id}`} data-rule={i.rule} data-subject={i.subject}>
                  <td>
                    <strong>{ruleLabel(i.rule)}</strong>
                    <div class="small muted">{i.summary}</div>
                  </td>
                  <td>
                    {subjectLabel(i.subject, byId)}
                    {i.gate ? (
                      <div class="small muted">
                        {gateName(
                          gates.data?.find((g) => g.id === i.gate),
                          i.gate,
                        )}
                      </div>
                    ) : null}
                  </td>
                  <td>{formatDateTime(i.since)}</td>
                  <td>{formatDuration(Math.round((i.resolvedAt === null ? now - i.since : i.durationMs) / 1000))}</td>
                  <td>
                    {i.resolvedAt !== null ? (
                      <Badge kind="ok">{t("incident.resolvedAt", { time: formatDateTime(i.resolvedAt) })}</Badge>
                    ) : (
                      <Badge kind="bad">{t("incident.open")}</Badge>
                    )}
                    {i.ackedBy ? (
                      <div class="small">
                        {t("incident.ackedBy", { who: i.ackedBy, time: formatDateTime(i.ackedAt) })}
                      </div>
                    ) : null}
                  </td>
                  <td class="actions">
                    {i.resolvedAt === null && i.ackedAt === null && can("editor") ? (
                      <button type="button" class="btn btn-small btn-primary" onClick={() => void ack(i)}>
                        {t("incident.ack")}
                      </button>
                    ) : null}
                    <button
                      type="button"
                      class="btn btn-small btn-quiet"
                      aria-expanded={open === i.id}
                      onClick={() => setOpen(open === i.id ? null : i.id)}
                    >
                      {t("incident.history")}
                    </button>
                  </td>
                </tr>
                {open === i.id ? (
                  <tr key={`${i.id}-h`} class="history-row">
                    <td colSpan={6}>
                      <History id={i.id} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function RuleSettings() {
  const view = useResource(() => call(routes.incidents.settings), []);
  const gates = useResource(() => call(routes.content.gates.list), []);
  const [draft, setDraft] = useState<IncidentSettings | null>(null);
  useEffect(() => {
    if (view.data && !draft) setDraft(view.data.settings);
  }, [view.data]);
  const checked = useCheckedForm(IncidentSettings, draft, {
    dirty: draft !== null && JSON.stringify(draft) !== JSON.stringify(view.data?.settings),
    fields: /^(rules|remindAfterS|holdDownS)/,
  });
  if (view.error) return <ErrorBox error={view.error} onRetry={() => void view.reload()} />;
  if (!view.data || !draft) return <Loading />;
  const env = view.data.fromEnvironment;
  const channels = view.data.channels;
  const admin = can("admin");
  const setRule = (r: IncidentRule, p: Partial<IncidentSettings["rules"][IncidentRule]>) =>
    setDraft({ ...draft, rules: { ...draft.rules, [r]: { ...draft.rules[r], ...p } } });
  const save = (e: Event) => {
    e.preventDefault();
    return checked.submit(
      async (v) => {
        const saved = await call(routes.incidents.saveSettings, { body: v });
        view.set(saved);
        setDraft(saved.settings);
      },
      () => toast(t("common.saved")),
    );
  };
  const fromEnv = <span class="badge badge-info">{t("incident.fromEnv")}</span>;
  return (
    <form class="panel" onSubmit={save} aria-labelledby="rules-title" data-testid="rule-settings">
      <h2 id="rules-title" class="section-title">
        {t("incident.rules")}
      </h2>
      <table class="table rules">
        <thead>
          <tr>
            <th>{t("incident.col.rule")}</th>
            <th>{t("incident.col.enabled")}</th>
            <th>{t("incident.col.after")}</th>
            <th>{t("incident.col.channels")}</th>
            <th>{t("incident.col.gates")}</th>
          </tr>
        </thead>
        <tbody>
          {INCIDENT_RULES.map((r) => {
            const rule = draft.rules[r];
            const locked = env.afterS.includes(r);
            return (
              <tr key={r} data-rule={r}>
                <td>{ruleLabel(r)}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t("incident.col.enabled")}
                    checked={rule.enabled}
                    disabled={!admin}
                    onChange={(e) => setRule(r, { enabled: e.currentTarget.checked })}
                  />
                </td>
                <td>
                  <input
                    type="number"
                    class="input-narrow"
                    min={0}
                    aria-label={t("incident.col.after")}
                    value={rule.afterS}
                    disabled={!admin || locked}
                    onInput={(e) => setRule(r, { afterS: Math.round(Number(e.currentTarget.value)) })}
                  />{" "}
                  {locked ? fromEnv : null}
                  {checked.errors.get(`rules.${r}.afterS`) ? (
                    <div class="field-error">{checked.errors.get(`rules.${r}.afterS`)}</div>
                  ) : null}
                </td>
                <td>
                  <select
                    multiple
                    aria-label={t("incident.col.channels")}
                    disabled={!admin}
                    onChange={(e) => {
                      const picked = [...e.currentTarget.selectedOptions].map((o) => o.value);
                      setRule(r, { channels: picked.includes("*") || picked.length === 0 ? null : picked });
                    }}
                  >
                    <option value="*" selected={rule.channels === null}>
                      {t("incident.allChannels")}
                    </option>
                    {channels.map((c) => (
                      <option key={c.id} value={c.id} selected={rule.channels?.includes(c.id) ?? false}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select
                    multiple
                    aria-label={t("incident.col.gates")}
                    disabled={!admin || r === "broker-lost"}
                    onChange={(e) => {
                      const picked = [...e.currentTarget.selectedOptions].map((o) => o.value);
                      setRule(r, { gates: picked.includes("*") || picked.length === 0 ? null : picked });
                    }}
                  >
                    <option value="*" selected={rule.gates === null}>
                      {t("incident.allGates")}
                    </option>
                    {(gates.data ?? []).map((g) => (
                      <option key={g.id} value={g.id} selected={rule.gates?.includes(g.id) ?? false}>
                        {gateName(g, g.id)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div class="grid-2">
        <TextField
          label={t("incident.remindAfter")}
          type="number"
          value={String(draft.remindAfterS)}
          onValue={(v) => setDraft({ ...draft, remindAfterS: Math.round(Number(v)) })}
          disabled={!admin || env.remindAfterS}
          error={checked.errors.get("remindAfterS")}
          aside={env.remindAfterS ? fromEnv : undefined}
        />
        <TextField
          label={t("incident.holdDown")}
          type="number"
          value={String(draft.holdDownS)}
          onValue={(v) => setDraft({ ...draft, holdDownS: Math.round(Number(v)) })}
          disabled={!admin || env.holdDownS}
          error={checked.errors.get("holdDownS")}
          aside={env.holdDownS ? fromEnv : undefined}
        />
      </div>
      <p class="hint">{t("incident.rulesHint")}</p>
      {checked.error ? <ErrorBox error={checked.error} /> : null}
      {admin ? (
        <button type="submit" class="btn btn-primary" disabled={checked.busy}>
          {t("incident.saveRules")}
        </button>
      ) : null}
    </form>
  );
}

interface ChannelFormState {
  kind: "email" | "webhook";
  id: string;
  name: string;
  enabled: boolean;
  host: string;
  port: string;
  security: "tls" | "starttls" | "opportunistic" | "none";
  user: string;
  password: string;
  from: string;
  to: string;
  url: string;
  secret: string;
}

const blank = (kind: "email" | "webhook"): ChannelFormState => ({
  kind,
  id: "",
  name: "",
  enabled: true,
  host: "",
  port: "587",
  security: "starttls",
  user: "",
  password: "",
  from: "",
  to: "",
  url: "",
  secret: "",
});

function formOf(c: ChannelView): ChannelFormState {
  if (c.kind === "email")
    return {
      ...blank("email"),
      id: c.id,
      name: c.name,
      enabled: c.enabled,
      host: c.host,
      port: String(c.port),
      security: c.security,
      user: c.user ?? "",
      from: c.from,
      to: c.to.join(", "),
    };
  return { ...blank("webhook"), id: c.id, name: c.name, enabled: c.enabled, url: c.url };
}

function candidateOf(f: ChannelFormState): unknown {
  const common = { kind: f.kind, id: f.id.trim(), name: f.name, enabled: f.enabled };
  if (f.kind === "email")
    return {
      ...common,
      host: f.host.trim(),
      port: Number(f.port),
      security: f.security,
      ...(f.user ? { user: f.user } : {}),
      ...(f.password ? { password: f.password } : {}),
      from: f.from.trim(),
      to: f.to
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    };
  return { ...common, url: f.url.trim(), ...(f.secret ? { secret: f.secret } : {}) };
}

function ChannelForm({ initial, isNew, onDone }: { initial: ChannelFormState; isNew: boolean; onDone: () => void }) {
  const [f, setF] = useState(initial);
  const set = (p: Partial<ChannelFormState>) => setF({ ...f, ...p });
  const candidate = candidateOf(f);
  const checked = useCheckedForm(ChannelSchema, candidate, {
    dirty: JSON.stringify(f) !== JSON.stringify(initial),
    fields: /^(id|name|host|port|security|user|password|from|to|url|secret)/,
  });
  const e = checked.errors;
  const save = (ev: Event) => {
    ev.preventDefault();
    return checked.submit(
      async (v: ChannelInput) => {
        await call(routes.channels.put, { params: { id: v.id }, body: v });
      },
      () => {
        toast(t("common.saved"));
        onDone();
      },
    );
  };
  return (
    <form class="panel panel-sub channel-form" onSubmit={save} data-testid="channel-form">
      <h3>{t(f.kind === "email" ? "channel.email" : "channel.webhook")}</h3>
      <div class="grid-3">
        <TextField
          label={t("channel.id")}
          value={f.id}
          onValue={(id) => set({ id })}
          disabled={!isNew}
          error={e.get("id")}
        />
        <TextField label={t("channel.name")} value={f.name} onValue={(name) => set({ name })} error={e.get("name")} />
        <label class="check">
          <input type="checkbox" checked={f.enabled} onChange={(x) => set({ enabled: x.currentTarget.checked })} />
          <span>{t("channel.enabled")}</span>
        </label>
      </div>
      {f.kind === "email" ? (
        <>
          <div class="grid-3">
            <TextField
              label={t("channel.host")}
              value={f.host}
              onValue={(host) => set({ host })}
              error={e.get("host")}
            />
            <TextField
              label={t("channel.port")}
              type="number"
              value={f.port}
              onValue={(port) => set({ port })}
              error={e.get("port")}
            />
            <SelectField
              label={t("channel.security")}
              value={f.security}
              onValue={(security) => set({ security })}
              options={(["starttls", "tls", "opportunistic", "none"] as const).map((v) => ({
                value: v,
                label: t(`channel.security.${v}` as Key),
              }))}
            />
          </div>
          <div class="grid-2">
            <TextField label={t("channel.user")} value={f.user} onValue={(user) => set({ user })} autocomplete="off" />
            <TextField
              label={t("channel.password")}
              type="password"
              value={f.password}
              onValue={(password) => set({ password })}
              autocomplete="new-password"
              hint={isNew ? undefined : t("channel.keepSecret")}
            />
          </div>
          <div class="grid-2">
            <TextField
              label={t("channel.from")}
              value={f.from}
              onValue={(from) => set({ from })}
              error={e.get("from")}
            />
            <TextField
              label={t("channel.to")}
              value={f.to}
              onValue={(to) => set({ to })}
              error={checked.firstUnder("to")}
              hint={t("channel.toHint")}
            />
          </div>
        </>
      ) : (
        <div class="grid-2">
          <TextField label={t("channel.url")} value={f.url} onValue={(url) => set({ url })} error={e.get("url")} />
          <TextField
            label={t("channel.secret")}
            type="password"
            value={f.secret}
            onValue={(secret) => set({ secret })}
            autocomplete="new-password"
            error={e.get("secret")}
            hint={isNew ? t("channel.secretHint") : t("channel.keepSecret")}
          />
        </div>
      )}
      {checked.error ? <ErrorBox error={checked.error} /> : null}
      <div class="btn-row">
        <button type="submit" class="btn btn-primary" disabled={checked.busy}>
          {t("common.save")}
        </button>
        <button
          type="button"
          class="btn btn-quiet"
          onClick={() => {
            checked.release();
            onDone();
          }}
        >
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

function Channels() {
  const list = useResource(() => call(routes.channels.list), []);
  const [editing, setEditing] = useState<{ form: ChannelFormState; isNew: boolean } | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const test = async (c: ChannelView) => {
    setTesting(c.id);
    try {
      const r = await call(routes.channels.test, { params: { id: c.id } });
      toast(
        r.ok ? t("channel.testOk", { name: c.name }) : t("channel.testFailed", { name: c.name, detail: r.detail }),
        r.ok ? "ok" : "error",
      );
    } catch (e) {
      toast(errorText(e), "error");
    } finally {
      setTesting(null);
      void list.reload();
    }
  };
  const remove = async (c: ChannelView) => {
    if (
      !(await confirm({
        title: t("channel.remove"),
        message: t("channel.removeConfirm", { name: c.name }),
        confirmLabel: t("channel.remove"),
        danger: true,
      }))
    )
      return;
    try {
      await call(routes.channels.remove, { params: { id: c.id } });
      void list.reload();
    } catch (e) {
      toast(errorText(e), "error");
    }
  };
  return (
    <section class="panel" aria-labelledby="channels-title" data-testid="channels">
      <h2 id="channels-title" class="section-title">
        {t("channel.title")}
      </h2>
      {list.error ? <ErrorBox error={list.error} onRetry={() => void list.reload()} /> : null}
      {list.data && list.data.length === 0 ? <EmptyState>{t("channel.empty")}</EmptyState> : null}
      {list.data && list.data.length > 0 ? (
        <table class="table channels">
          <thead>
            <tr>
              <th>{t("channel.name")}</th>
              <th>{t("channel.target")}</th>
              <th>{t("channel.state")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.id} data-channel={c.id}>
                <td>
                  <strong>{c.name}</strong> <code class="small muted">{c.id}</code>
                  <div>
                    {c.source === "environment" ? <Badge kind="info">{t("incident.fromEnv")}</Badge> : null}
                    {!c.enabled ? <Badge>{t("channel.disabled")}</Badge> : null}
                  </div>
                </td>
                <td class="small">
                  {c.kind === "email"
                    ? `${t("channel.email")}: ${c.to.join(", ")} · ${c.host}:${c.port}${c.hasPassword ? " · 🔒" : ""}`
                    : `${t("channel.webhook")}: ${c.url}${c.hasSecret ? " · HMAC" : ""}`}
                </td>
                <td class="small" data-testid={`channel-state-${c.id}`}>
                  {c.status.lastError && (c.status.lastErrorAt ?? 0) >= (c.status.lastOkAt ?? 0) ? (
                    <span class="text-bad">
                      {t("channel.lastError", {
                        time: formatDateTime(c.status.lastErrorAt),
                        error: c.status.lastError,
                      })}
                    </span>
                  ) : c.status.lastOkAt ? (
                    <span class="text-ok">{t("channel.lastOk", { time: formatDateTime(c.status.lastOkAt) })}</span>
                  ) : (
                    <span class="muted">{t("channel.notUsed")}</span>
                  )}
                </td>
                <td class="actions">
                  <button type="button" class="btn btn-small" disabled={testing === c.id} onClick={() => void test(c)}>
                    {testing === c.id ? t("channel.testing") : t("channel.test")}
                  </button>
                  {c.source === "store" ? (
                    <>
                      <button
                        type="button"
                        class="btn btn-small btn-quiet"
                        onClick={() => setEditing({ form: formOf(c), isNew: false })}
                      >
                        {t("common.edit")}
                      </button>
                      <button type="button" class="btn btn-small btn-quiet" onClick={() => void remove(c)}>
                        {t("channel.remove")}
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {editing ? (
        <ChannelForm
          key={`${editing.form.kind}-${editing.form.id}`}
          initial={editing.form}
          isNew={editing.isNew}
          onDone={() => {
            setEditing(null);
            void list.reload();
          }}
        />
      ) : (
        <div class="btn-row">
          <button type="button" class="btn" onClick={() => setEditing({ form: blank("email"), isNew: true })}>
            {t("channel.addEmail")}
          </button>
          <button type="button" class="btn" onClick={() => setEditing({ form: blank("webhook"), isNew: true })}>
            {t("channel.addWebhook")}
          </button>
        </div>
      )}
    </section>
  );
}

/** Incidents and who is on them; the rules and channels that tell technicians (admins change them). */
export function IncidentsPage() {
  return (
    <div class="page page-wide">
      <PageHeader title={t("incident.title")} />
      <IncidentList />
      <RuleSettings />
      {can("admin") ? <Channels /> : null}
    </div>
  );
}
