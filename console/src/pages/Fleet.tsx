import { type CommandName, panelOf } from "@gatecast/playlists";
import { routes, type ScreenView } from "@gatecast/playlists/api";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { DiskSpace } from "../components/DiskSpace.tsx";
import { ask, Badge, confirm, EmptyState, ErrorBox, Loading, PageHeader, TextField, toast } from "../components/ui.tsx";
import { type Key, t } from "../i18n.ts";
import { call, hrefOf } from "../lib/api.ts";
import { beep, soundBlocked, unlockSound } from "../lib/beep.ts";
import { liveState, onEvent, onReconnect } from "../lib/events.ts";
import { alarmOf, fleetSummary, healthOf, type Problem } from "../lib/fleet.ts";
import { formatBytes, formatDateTime, formatPercent, isoLocal } from "../lib/format.ts";
import { useNow, useResource, useStored } from "../lib/hooks.ts";
import { agoText, gateName, itemTitle } from "../lib/labels.ts";
import { errorText } from "../lib/messages.ts";
import { can } from "../lib/session.ts";
import { alarmCount } from "../lib/title.ts";

const COMMANDS: CommandName[] = ["reload", "identify", "screenshot", "clear-cache"];

/** The last screenshot, by the time it was taken (a new one is a new URL, past any cache). */
const screenshotUrl = (s: ScreenView) =>
  `${hrefOf(routes.screens.screenshot, { params: { id: s.id } })}?at=${s.screenshotAt}`;

function SyncCell({ s }: { s: ScreenView }) {
  const m = s.manifest;
  if (m.published === null) return <span class="muted">{t("fleet.notPublished")}</span>;
  if (m.applied === null)
    return (
      <span class="text-warn">
        {t("fleet.noManifest")}
        {m.pending !== null ? ` · ${t("fleet.downloading", { v: m.release ?? m.pending })}` : ""}
      </span>
    );
  if (m.inSync) return <span class="text-ok">{t("fleet.inSync", { v: m.release ?? "—" })}</span>;
  return (
    <span
      class="text-warn"
      title={t("fleet.behindDetail", { applied: m.appliedRelease ?? "?", published: m.release ?? "?" })}
    >
      {t("fleet.behind")}
      {m.pending !== null ? ` · ${t("fleet.downloading", { v: m.release ?? m.pending })}` : ""}
    </span>
  );
}

function ClockCell({ s }: { s: ScreenView }) {
  const off = s.clock.offsetMs;
  const k = s.clock.kiosk;
  const seconds = (ms: number) =>
    `${ms > 0 ? "+" : ms < 0 ? "−" : ""}${(Math.abs(ms) / 1000).toFixed(Math.abs(ms) < 10_000 ? 1 : 0)} s`;
  return (
    <>
      {off === null ? "—" : t("fleet.clockOffset", { s: seconds(off) })}
      {k ? (
        <span class="muted">
          {" · "}
          {k.source === "beacon"
            ? t("fleet.clockCorrected", { s: seconds(-k.correctionMs) })
            : k.source === "test"
              ? t("fleet.clockTest")
              : t("fleet.clockDevice")}
        </span>
      ) : null}
    </>
  );
}

/** What is wrong with a screen, one chip per problem the controller sees. */
function Problems({ s }: { s: ScreenView }) {
  if (s.problems.length === 0) return null;
  return (
    <ul class="problem-chips" data-testid="problems">
      {s.problems.map((p) => (
        <li
          key={p.kind}
          class={`chip chip-${p.kind === "storage-low" || p.kind === "clock-skewed" ? "warn" : "bad"}`}
          title={p.detail}
        >
          {t(`fleet.problem.${p.kind}` as Key)}
        </li>
      ))}
    </ul>
  );
}

function Meter({ ratio, label, warnAbove }: { ratio: number; label: string; warnAbove?: number }) {
  const pct = Math.max(0, Math.min(1, ratio));
  const warn = warnAbove !== undefined && pct > warnAbove;
  return (
    <span class="meter-wrap">
      <span class={`meter${warn ? " meter-warn" : ""}`} aria-hidden="true">
        <span class="meter-fill" style={{ width: `${pct * 100}%` }} />
      </span>
      <span class="meter-label">{label}</span>
    </span>
  );
}

interface CardProps {
  s: ScreenView;
  now: number;
  problem: Problem | null;
  uptime: number | undefined;
  /** The live link to the controller is up (else the card is grey: its state is not known). */
  live: boolean;
  itemName: (id: string) => string | undefined;
  onCommand: (s: ScreenView, cmd: CommandName) => void;
  onCredentials: (s: ScreenView) => void;
  onSaved: () => void;
}

/** The kiosk's real window against the panel setting: text sizes are computed for the setting. */
function viewportMismatch(s: ScreenView): string | null {
  const set = panelOf(s).resolution;
  const vp = s.viewport;
  if (!vp || (vp.width === set.width && vp.height === set.height)) return null;
  return t("fleet.viewportMismatch", { w: vp.width, h: vp.height, sw: set.width, sh: set.height });
}

/** An admin sets the panel's size, viewing distance and pixels (live inventory: at once, with the next manifest). */
function PanelEditor({ s, onSaved }: { s: ScreenView; onSaved: () => void }) {
  const p = panelOf(s);
  const [form, setForm] = useState({
    diagonalInches: String(p.diagonalInches),
    viewingDistanceM: String(p.viewingDistanceM),
    width: String(p.resolution.width),
    height: String(p.resolution.height),
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { id, gate, name, tags, orientation, onHours } = s;
      await call(routes.screens.put, {
        params: { id },
        body: {
          id,
          gate,
          name,
          tags,
          orientation,
          ...(onHours ? { onHours } : {}),
          panel: {
            diagonalInches: Number(form.diagonalInches),
            viewingDistanceM: Number(form.viewingDistanceM),
            resolution: { width: Number(form.width), height: Number(form.height) },
          },
        },
      });
      toast(t("common.saved"));
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const field = (key: keyof typeof form, label: Key, step: string) => (
    <TextField
      label={t(label)}
      type="number"
      step={step}
      value={form[key]}
      onValue={(v) => setForm((f) => ({ ...f, [key]: v }))}
      data-testid={`panel-${key}`}
    />
  );
  return (
    <details class="panel-editor">
      <summary>{t("fleet.panelEdit")}</summary>
      <form onSubmit={save} class="panel-form" aria-label={t("fleet.panelTitle", { name: s.name })}>
        {field("diagonalInches", "fleet.panelDiagonal", "0.1")}
        {field("viewingDistanceM", "fleet.panelDistance", "0.1")}
        {field("width", "fleet.panelWidth", "1")}
        {field("height", "fleet.panelHeight", "1")}
        <ErrorBox error={error} />
        <button type="submit" class="btn btn-small" disabled={busy} data-testid="panel-save">
          {t("common.save")}
        </button>
      </form>
    </details>
  );
}

function ScreenCard({ s, now, live, problem, uptime, itemName, onCommand, onCredentials, onSaved }: CardProps) {
  const mismatch = viewportMismatch(s);
  const panel = panelOf(s);
  const health = healthOf(s, live);
  const lastError = s.errors[s.errors.length - 1];
  const nowPlaying = s.nowPlaying;
  return (
    <article
      class={`screen-card health-${health}${problem ? " screen-alarm" : ""}`}
      aria-labelledby={`scr-${s.id}`}
      data-testid={`screen-${s.id}`}
      data-health={health}
    >
      <header class="screen-card-head">
        <span class={`dot dot-${health}`} aria-hidden="true" />
        <div class="screen-card-title">
          <h3 id={`scr-${s.id}`}>{s.name}</h3>
          <div class="muted small">
            <code>{s.id}</code> · {t(`orientation.${s.orientation}` as Key)}
            {s.tags.length ? ` · ${t("fleet.tags", { tags: s.tags.join(", ") })}` : ""}
          </div>
          <div class="muted small" data-testid="panel-size">
            {t("fleet.panelSize", {
              inches: panel.diagonalInches,
              m: panel.viewingDistanceM,
              w: panel.resolution.width,
              h: panel.resolution.height,
            })}
          </div>
        </div>
        <div class="screen-card-state">
          <strong class={`state state-${health}`} data-testid="screen-state" data-presence={s.presence}>
            {t(`fleet.status.${health}` as Key)}
          </strong>
          {health === "unknown" ? (
            <div class="small" data-testid="unknown-detail">
              {t("fleet.unknownDetail")}
            </div>
          ) : health === "dark" ? (
            <div class="small" data-testid="dark-detail">
              {s.hoursNow.until !== null ? t("fleet.darkUntil", { time: formatDateTime(s.hoursNow.until) }) : ""}
              {s.hoursNow.until !== null ? " · " : ""}
              {t(s.connected ? "fleet.darkConnected" : "fleet.darkAway")}
            </div>
          ) : (s.presenceSince ?? s.since) !== null ? (
            <div class="small" title={formatDateTime(s.presenceSince ?? s.since)}>
              {t("fleet.since", { time: formatDateTime(s.presenceSince ?? s.since) })} ·{" "}
              {agoText(now - (s.presenceSince ?? s.since ?? now))}
            </div>
          ) : null}
          {uptime !== undefined && s.since !== null ? (
            <div class="small muted">{t("fleet.uptime24", { p: formatPercent(uptime) })}</div>
          ) : null}
        </div>
      </header>
      <Problems s={s} />
      {mismatch ? (
        <p class="notice notice-warn small" data-testid="viewport-mismatch">
          {mismatch}
        </p>
      ) : null}
      <div class="screen-card-body">
        <a
          class={`thumb thumb-${s.orientation}`}
          href={s.screenshotAt ? screenshotUrl(s) : undefined}
          target="_blank"
          rel="noreferrer"
          aria-label={t("fleet.screenshot", { name: s.name })}
          title={s.screenshotAt ? t("fleet.screenshotAt", { time: formatDateTime(s.screenshotAt) }) : undefined}
        >
          {s.screenshotAt ? (
            <>
              <img src={screenshotUrl(s)} alt={t("fleet.screenshot", { name: s.name })} loading="lazy" />
              <span class="thumb-time" data-testid="screenshot-time">
                {t("fleet.screenshotAt", { time: formatDateTime(s.screenshotAt) })}
              </span>
            </>
          ) : (
            <span class="thumb-empty">{t("fleet.noScreenshot")}</span>
          )}
        </a>
        <dl class="facts">
          <div>
            <dt>{t("fleet.sync")}</dt>
            <dd>
              <SyncCell s={s} />
            </dd>
          </div>
          <div>
            <dt>{t("fleet.nowPlaying")}</dt>
            <dd
              class="clamp"
              title={nowPlaying ? `${nowPlaying.item ?? ""} · ${nowPlaying.playlist ?? ""}` : ""}
              data-testid="now-playing"
            >
              {nowPlaying?.item ? (itemName(nowPlaying.item) ?? nowPlaying.item) : "—"}
            </dd>
          </div>
          <div>
            <dt>{t("fleet.media")}</dt>
            <dd>
              {s.media ? (
                <Meter
                  ratio={s.media.total ? s.media.ready / s.media.total : 1}
                  label={`${s.media.ready}/${s.media.total} · ${formatPercent(s.media.total ? s.media.ready / s.media.total : 1)}`}
                />
              ) : (
                "—"
              )}
            </dd>
          </div>
          <div>
            <dt>{t("fleet.storage")}</dt>
            <dd>
              {s.storage ? (
                <Meter
                  ratio={s.storage.quotaBytes ? s.storage.usageBytes / s.storage.quotaBytes : 0}
                  label={`${formatBytes(s.storage.usageBytes)} / ${formatBytes(s.storage.quotaBytes)}`}
                  warnAbove={0.85}
                />
              ) : (
                "—"
              )}
            </dd>
          </div>
          <div>
            <dt>{t("fleet.appVersion")}</dt>
            <dd class="ellipsis">{s.appVersion ?? "—"}</dd>
          </div>
          <div>
            <dt>{t("fleet.hours")}</dt>
            <dd data-testid="hours">
              {!s.hoursNow.scheduled
                ? t("fleet.hoursAlways")
                : s.hoursNow.on
                  ? s.hoursNow.until !== null
                    ? t("fleet.hoursOnUntil", { time: formatDateTime(s.hoursNow.until) })
                    : t("fleet.hoursOn")
                  : s.hoursNow.until !== null
                    ? t("fleet.hoursOffUntil", { time: formatDateTime(s.hoursNow.until) })
                    : t("fleet.hoursOff")}
              {s.panelPower ? (
                <span class="muted">
                  {" · "}
                  {t("fleet.panel", {
                    power: t(`fleet.panel.${s.panelPower.power}` as Key),
                    via: s.panelPower.via === "none" ? t("fleet.panel.noControl") : s.panelPower.via.toUpperCase(),
                  })}
                </span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>{t("fleet.clock")}</dt>
            <dd data-testid="clock" class={s.problems.some((p) => p.kind === "clock-skewed") ? "text-bad" : undefined}>
              <ClockCell s={s} />
            </dd>
          </div>
          <div>
            <dt>{t("fleet.lastError")}</dt>
            <dd class={lastError ? "text-bad clamp" : "muted"} title={lastError?.message}>
              {lastError ? `${formatDateTime(lastError.at)} · ${lastError.message}` : "—"}
            </dd>
          </div>
        </dl>
      </div>
      {can("editor") ? (
        <fieldset class="screen-card-actions" aria-label={t("fleet.actions", { name: s.name })}>
          {COMMANDS.map((cmd) => (
            <button
              key={cmd}
              type="button"
              class="btn btn-small"
              onClick={() => onCommand(s, cmd)}
              disabled={!s.paired}
              title={s.paired ? undefined : t("err.not-paired")}
              data-testid={`cmd-${cmd}`}
            >
              {t(`cmd.${cmd}` as Key)}
            </button>
          ))}
          {can("admin") ? (
            <button type="button" class="btn btn-small btn-quiet" onClick={() => onCredentials(s)}>
              {t("fleet.newCredentials")}
            </button>
          ) : null}
        </fieldset>
      ) : null}
      {can("admin") ? <PanelEditor key={JSON.stringify(s.panel)} s={s} onSaved={onSaved} /> : null}
    </article>
  );
}

function AlarmBar({
  alarms,
  screens,
  live,
  now,
  threshold,
  setThreshold,
  muted,
  setMuted,
}: {
  alarms: { s: ScreenView; p: Problem }[];
  screens: ScreenView[];
  live: boolean;
  now: number;
  threshold: number;
  setThreshold: (n: number) => void;
  muted: boolean;
  setMuted: (m: boolean) => void;
}) {
  const [blocked, setBlocked] = useState(soundBlocked());
  const counts = fleetSummary(screens, live);
  return (
    <section class="fleet-top" aria-label={t("fleet.alarm.title")}>
      <div class="summary" data-testid="fleet-summary">
        {counts.unknown ? (
          <span class="summary-item summary-unknown" data-testid="fleet-unknown">
            {t("fleet.summary.unknown", { n: counts.total })}
          </span>
        ) : (
          <>
            <span class="summary-item">{t("fleet.summary.total", { n: counts.total })}</span>
            <span class="summary-item summary-ok">{t("fleet.summary.online", { n: counts.online })}</span>
            <span class={`summary-item${counts.offline ? " summary-bad" : ""}`}>
              {t("fleet.summary.offline", { n: counts.offline })}
            </span>
            {counts.dark ? (
              <span class="summary-item summary-dark">{t("fleet.summary.dark", { n: counts.dark })}</span>
            ) : null}
            {counts.never ? (
              <span class="summary-item summary-warn">{t("fleet.summary.never", { n: counts.never })}</span>
            ) : null}
            {counts.unpaired ? (
              <span class="summary-item summary-warn">{t("fleet.summary.unpaired", { n: counts.unpaired })}</span>
            ) : null}
            <span class={`summary-item${counts.outOfSync ? " summary-warn" : ""}`}>
              {t("fleet.summary.outOfSync", { n: counts.outOfSync })}
            </span>
            <span class={`summary-item${counts.errors ? " summary-warn" : ""}`}>
              {t("fleet.summary.errors", { n: counts.errors })}
            </span>
          </>
        )}
        <span class="summary-spacer" />
        <label class="inline-field">
          {t("fleet.alarm.threshold")}
          <input
            type="number"
            min={1}
            max={1440}
            value={threshold}
            class="input-narrow"
            onChange={(e) => {
              const n = Math.round(Number(e.currentTarget.value));
              if (n >= 1 && n <= 1440) setThreshold(n);
            }}
          />
        </label>
        <label class="check">
          <input type="checkbox" checked={muted} onChange={(e) => setMuted(e.currentTarget.checked)} />
          <span>{t("fleet.alarm.mute")}</span>
        </label>
        <button
          type="button"
          class="btn btn-small btn-quiet"
          onClick={() => {
            void unlockSound().then((ok) => {
              setBlocked(!ok);
              beep();
            });
          }}
        >
          {t("fleet.alarm.test")}
        </button>
      </div>
      {alarms.length > 0 ? (
        <div class="alarm" role="alert" data-testid="alarm">
          <strong class="alarm-title">
            <span aria-hidden="true">⚠ </span>
            {t("fleet.alarm.title")}
            {muted ? ` · ${t("fleet.alarm.muted")}` : ""}
          </strong>
          <ul>
            {alarms.map(({ s, p }) => (
              <li key={s.id}>
                <a href={`#scr-${s.id}`}>
                  {t(`fleet.alarm.${p.kind}` as Key, {
                    name: s.name,
                    id: s.id,
                    ago: agoText(now - p.since),
                  })}
                </a>
              </li>
            ))}
          </ul>
          {!muted && blocked ? (
            <button
              type="button"
              class="btn btn-small"
              onClick={() => {
                void unlockSound().then((ok) => setBlocked(!ok));
              }}
            >
              {t("fleet.alarm.soundBlocked")}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

export function FleetPage() {
  const screens = useResource(() => call(routes.screens.list), []);
  const gates = useResource(() => call(routes.content.gates.list), []);
  const items = useResource(() => call(routes.content.items.list), []);
  const uptime = useResource(() => {
    const to = Date.now();
    return call(routes.reports.uptime, { query: { from: isoLocal(to - 86_400_000), to: isoLocal(to) } });
  }, []);
  const now = useNow(15_000);
  const [threshold, setThreshold] = useStored("gatecast.console.alarmMinutes", 5);
  const [muted, setMuted] = useStored("gatecast.console.alarmMuted", false);
  const [onlyProblems, setOnlyProblems] = useStored("gatecast.console.onlyProblems", false);
  const pending = useRef(new Set<string>());
  const flushTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const list = screens.data;
  const listRef = useRef(list);
  listRef.current = list;

  // Live updates: refetch exactly the screens an event names, a few at a time.
  useEffect(() => {
    const flush = async () => {
      flushTimer.current = null;
      const ids = [...pending.current];
      pending.current.clear();
      if (ids.length > 20) {
        await screens.reload();
        return;
      }
      const fresh = await Promise.all(ids.map((id) => call(routes.screens.get, { params: { id } }).catch(() => null)));
      const current = listRef.current;
      if (!current) return;
      const byId = new Map(fresh.filter((x): x is ScreenView => x !== null).map((x) => [x.id, x]));
      // an online/offline change moves the 24-hour uptime too: fetch it again, at most once a minute
      if (current.some((s) => byId.has(s.id) && byId.get(s.id)?.presence !== s.presence)) refreshUptime();
      screens.set(current.map((s) => byId.get(s.id) ?? s));
    };
    let lastUptime = 0;
    let uptimeTimer: ReturnType<typeof setTimeout> | null = null;
    const refreshUptime = () => {
      if (uptimeTimer) return;
      uptimeTimer = setTimeout(
        () => {
          uptimeTimer = null;
          lastUptime = Date.now();
          void uptime.reload();
        },
        Math.max(0, lastUptime + 60_000 - Date.now()),
      );
    };
    const queue = (id: string) => {
      pending.current.add(id);
      flushTimer.current ??= setTimeout(() => void flush(), 250);
    };
    const offs = [
      onEvent("screen-state", (e) => queue(e.screenId)),
      onEvent("manifest-published", (e) => queue(e.screenId)),
      onEvent("screens-changed", () => void screens.reload()),
      onEvent("cmd-done", (e) => {
        if (e.ok) toast(t("fleet.cmdDone", { id: e.screenId }));
        else toast(t("fleet.cmdFailed", { id: e.screenId, error: e.error ?? "" }), "error");
      }),
      onReconnect(() => void screens.reload()),
    ];
    const uptimeEvery = setInterval(() => void uptime.reload(), 10 * 60_000);
    return () => {
      for (const off of offs) off();
      clearInterval(uptimeEvery);
      if (uptimeTimer) clearTimeout(uptimeTimer);
      if (flushTimer.current) clearTimeout(flushTimer.current);
    };
  }, []);

  const thresholdMs = threshold * 60_000;
  const alarms = useMemo(
    () =>
      (list ?? []).flatMap((s) => {
        const p = alarmOf(s, now, thresholdMs);
        return p ? [{ s, p }] : [];
      }),
    [list, now, thresholdMs],
  );

  // The audible half of the alarm: at once when a new screen goes bad, then every 30 s while any is.
  const alarmKey = alarms.map((a) => a.s.id).join(",");
  useEffect(() => {
    if (muted || alarms.length === 0) return;
    beep();
    const id = setInterval(beep, 30_000);
    return () => clearInterval(id);
  }, [alarmKey, muted]);

  useEffect(() => {
    alarmCount.value = alarms.length;
  }, [alarms.length]);
  useEffect(
    () => () => {
      alarmCount.value = 0;
    },
    [],
  );

  // a screen that should not have shown at all in the last 24 hours has no uptime to speak of
  const uptimeById = new Map(
    (uptime.data?.rows ?? []).filter((r) => r.shouldOnS > 0).map((r) => [r.screenId, r.uptime]),
  );
  const titles = new Map((items.data ?? []).map((i) => [i.id, itemTitle(i)]));
  const itemName = (id: string) => titles.get(id);

  const command = async (s: ScreenView, cmd: CommandName) => {
    if (cmd === "clear-cache") {
      const ok = await confirm({
        title: t("cmd.clear-cache"),
        message: t("fleet.clearCacheConfirm", { id: s.id }),
        confirmLabel: t("cmd.clear-cache"),
        danger: true,
      });
      if (!ok) return;
    }
    try {
      await call(routes.screens.command, { params: { id: s.id }, body: { cmd } });
      toast(t("fleet.cmdSent", { cmd: t(`cmd.${cmd}` as Key), id: s.id }));
    } catch (e) {
      toast(errorText(e), "error");
    }
  };

  const credentials = async (s: ScreenView) => {
    const ok = await confirm({
      title: t("fleet.newCredentials"),
      message: t("fleet.credentialsConfirm", { id: s.id }),
      confirmLabel: t("fleet.newCredentials"),
      danger: true,
    });
    if (!ok) return;
    try {
      const c = await call(routes.screens.credentials, { params: { id: s.id } });
      await ask({
        title: t("fleet.credentialsTitle", { id: s.id }),
        message: (
          <div>
            <p class="notice notice-warn">{t("fleet.credentialsOnce")}</p>
            <dl class="kv" data-testid="credentials">
              <dt>MQTT</dt>
              <dd>
                <code>{c.mqtt.url}</code>
              </dd>
              <dt>WebSocket</dt>
              <dd>
                <code>{c.mqtt.wsUrl}</code>
              </dd>
              <dt>{t("login.username")}</dt>
              <dd>
                <code>{c.mqtt.username}</code>
              </dd>
              <dt>{t("login.password")}</dt>
              <dd>
                <code class="secret">{c.mqtt.password}</code>{" "}
                <button
                  type="button"
                  class="btn btn-small"
                  onClick={() => {
                    void navigator.clipboard?.writeText(c.mqtt.password).then(() => toast(t("common.copied")));
                  }}
                >
                  {t("common.copy")}
                </button>
              </dd>
            </dl>
          </div>
        ),
        confirmLabel: t("common.close"),
        cancelLabel: null,
      });
    } catch (e) {
      toast(errorText(e), "error");
    }
  };

  const gateList = gates.data ?? [];
  const groups = useMemo(() => {
    const byGate = new Map<string, ScreenView[]>();
    for (const s of list ?? []) byGate.set(s.gate, [...(byGate.get(s.gate) ?? []), s]);
    const order = [
      ...gateList.map((g) => g.id),
      ...[...byGate.keys()].filter((g) => !gateList.some((x) => x.id === g)),
    ];
    return order.filter((g) => byGate.has(g)).map((g) => ({ gate: g, screens: byGate.get(g) ?? [] }));
  }, [list, gateList]);

  // the cards are as current as the live link: while it is down they say so instead of guessing
  const live = liveState.value !== "down";
  const isProblem = (s: ScreenView) =>
    healthOf(s) === "offline" || s.problems.length > 0 || alarmOf(s, now, thresholdMs) !== null;

  return (
    <div class="page page-wide">
      <PageHeader title={t("fleet.title")}>
        <label class="check">
          <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.currentTarget.checked)} />
          <span>{t("fleet.onlyProblems")}</span>
        </label>
      </PageHeader>
      {screens.error ? <ErrorBox error={screens.error} onRetry={() => void screens.reload()} /> : null}
      <DiskSpace />
      {!list && screens.loading ? <Loading /> : null}
      {list ? (
        <AlarmBar
          alarms={alarms}
          screens={list}
          live={live}
          now={now}
          threshold={threshold}
          setThreshold={setThreshold}
          muted={muted}
          setMuted={setMuted}
        />
      ) : null}
      {list && list.length === 0 ? <EmptyState>{t("fleet.empty")}</EmptyState> : null}
      {list && onlyProblems && !list.some(isProblem) ? <EmptyState>{t("fleet.noProblems")}</EmptyState> : null}
      {groups.map(({ gate, screens: members }) => {
        const g = gateList.find((x) => x.id === gate);
        const shown = onlyProblems ? members.filter(isProblem) : members;
        if (shown.length === 0) return null;
        const online = members.filter((s) => s.presence === "online").length;
        const dark = members.filter((s) => s.presence === "dark-by-schedule").length;
        return (
          <section key={gate} class="gate-group" aria-labelledby={`gate-${gate}`} data-testid={`gate-${gate}`}>
            <h2 id={`gate-${gate}`} class="gate-title">
              {gateName(g, gate)}
              {g ? (
                <span class="gate-zh" lang="zh-CN">
                  {g.name.zh}
                </span>
              ) : null}
              {live ? (
                <Badge kind={online + dark === members.length ? "ok" : online === 0 ? "bad" : "warn"}>
                  {t("fleet.gateCount", { online, total: members.length })}
                </Badge>
              ) : (
                <Badge kind="neutral">{t("fleet.status.unknown")}</Badge>
              )}
              {live && dark > 0 ? <Badge kind="info">{t("fleet.gateDark", { n: dark })}</Badge> : null}
            </h2>
            <div class="screen-grid">
              {shown.map((s) => (
                <ScreenCard
                  key={s.id}
                  s={s}
                  now={now}
                  problem={alarmOf(s, now, thresholdMs)}
                  uptime={uptimeById.get(s.id)}
                  live={live}
                  itemName={itemName}
                  onCommand={(x, c) => void command(x, c)}
                  onCredentials={(x) => void credentials(x)}
                  onSaved={() => void screens.reload()}
                />
              ))}
            </div>
          </section>
        );
      })}
      {list && fleetSummary(list, live).allWell && alarms.length === 0 ? (
        <p class="muted small" role="status" data-testid="fleet-all-well">
          {t("fleet.alarm.ok")}
        </p>
      ) : null}
    </div>
  );
}
