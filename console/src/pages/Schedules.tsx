import {
  type Content,
  type Gate,
  minutesOf,
  type ScheduleEntry,
  ScheduleEntry as ScheduleSchema,
  WEEKDAYS,
  type Weekday,
} from "@gatecast/playlists";
import { routes } from "@gatecast/playlists/api";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  CheckGroup,
  confirm,
  DateField,
  EmptyState,
  ErrorBox,
  Loading,
  PageHeader,
  parseTags,
  RadioGroup,
  SelectField,
  TextField,
  TimeField,
  toast,
} from "../components/ui.tsx";
import { WeekView } from "../components/WeekView.tsx";
import { t } from "../i18n.ts";
import { call } from "../lib/api.ts";
import { useCheckedForm } from "../lib/form.ts";
import { addDays, formatLocalDate, formatSpan, localToday, mondayOf } from "../lib/format.ts";
import { useResource, useStored } from "../lib/hooks.ts";
import { gateName, weekdayShort } from "../lib/labels.ts";
import { errorText } from "../lib/messages.ts";
import { Link, navigate } from "../lib/router.tsx";
import { can } from "../lib/session.ts";

interface Form {
  id: string;
  playlist: string;
  gates: string[];
  screens: string[];
  tags: string;
  days: Weekday[];
  allDay: boolean;
  from: string;
  to: string;
  dateFrom: string;
  dateTo: string;
  priority: string;
}

function formOf(s: ScheduleEntry | undefined, content: Content): Form {
  return {
    id: s?.id ?? "",
    playlist: s?.playlist ?? content.playlists[0]?.id ?? "",
    gates: s?.targets.gates ?? [],
    screens: s?.targets.screens ?? [],
    tags: (s?.targets.tags ?? []).join(", "),
    days: s ? [...s.days] : [...WEEKDAYS],
    allDay: s ? !s.window : false,
    from: s?.window?.from ?? "08:00",
    to: s?.window?.to ?? "17:00",
    dateFrom: s?.dates?.from ?? "",
    dateTo: s?.dates?.to ?? "",
    priority: String(s?.priority ?? 10),
  };
}

function entryOf(f: Form): Record<string, unknown> {
  const tags = parseTags(f.tags);
  const targets: Record<string, string[]> = {};
  if (f.gates.length) targets.gates = f.gates;
  if (f.screens.length) targets.screens = f.screens;
  if (tags.length) targets.tags = tags;
  const out: Record<string, unknown> = {
    id: f.id.trim(),
    playlist: f.playlist,
    targets,
    days: f.days,
    priority: f.priority.trim() === "" ? Number.NaN : Number(f.priority),
  };
  if (!f.allDay) out.window = { from: f.from, to: f.to };
  if (f.dateFrom || f.dateTo)
    out.dates = { ...(f.dateFrom ? { from: f.dateFrom } : {}), ...(f.dateTo ? { to: f.dateTo } : {}) };
  return out;
}

/** Overnight windows longer than this are confirmed (22:00–06:00 is common; 09:00–07:00 a slip). */
const OVERNIGHT_CONFIRM_MIN = 12 * 60;

/** Minutes a window lasts when it runs past midnight, else null. */
function overnightSpan(w: { from: string; to: string }): number | null {
  const from = minutesOf(w.from);
  const to = minutesOf(w.to);
  return to <= from ? to + 1440 - from : null;
}

function daysSummary(days: readonly Weekday[]): string {
  const set = days.join();
  if (set === WEEKDAYS.join()) return t("schedules.everyDay");
  if (set === "mon,tue,wed,thu,fri") return `${weekdayShort("mon")}–${weekdayShort("fri")}`;
  if (set === "sat,sun") return t("schedules.weekend");
  return days.map(weekdayShort).join(", ");
}

function targetsSummary(s: ScheduleEntry, gates: Gate[]): string {
  const parts: string[] = [];
  if (s.targets.gates?.length)
    parts.push(
      s.targets.gates
        .map((g) =>
          gateName(
            gates.find((x) => x.id === g),
            g,
          ),
        )
        .join(", "),
    );
  if (s.targets.screens?.length) parts.push(s.targets.screens.join(", "));
  if (s.targets.tags?.length) parts.push(`#${s.targets.tags.join(" #")}`);
  return parts.length ? parts.join(" · ") : t("schedules.allScreens");
}

export function SchedulesPage({ id }: { id?: string }) {
  const draft = useResource(() => call(routes.content.draft), []);
  const content = draft.data?.content;
  const [preview, setPreview] = useState<ScheduleEntry | null>(null);
  const editable = can("editor");
  const selected = content?.schedules.find((s) => s.id === id);

  // The week view shows the draft with the entry being edited as it is typed (when it is valid).
  const viewContent = useMemo(() => {
    if (!content || !preview) return content;
    const at = content.schedules.findIndex((s) => s.id === (selected?.id ?? preview.id));
    const schedules = at >= 0 ? content.schedules.with(at, preview) : [...content.schedules, preview];
    return { ...content, schedules };
  }, [content, preview, selected]);

  const reorder = async (from: number, to: number) => {
    if (!content || to < 0 || to >= content.schedules.length) return;
    const ids = content.schedules.map((s) => s.id);
    const [x] = ids.splice(from, 1);
    if (x === undefined) return;
    ids.splice(to, 0, x);
    try {
      await call(routes.content.scheduleOrder, { body: { ids } });
      toast(t("schedules.orderSaved"));
      await draft.reload();
    } catch (e) {
      toast(errorText(e), "error");
    }
  };

  return (
    <div class="page page-wide">
      <PageHeader title={t("schedules.title")}>
        {editable ? (
          <Link href="/schedules/new" class="btn btn-primary">
            {t("schedules.new")}
          </Link>
        ) : null}
      </PageHeader>
      {draft.error ? <ErrorBox error={draft.error} onRetry={() => void draft.reload()} /> : null}
      {!content ? (
        <Loading />
      ) : (
        <>
          <section aria-labelledby="sched-list">
            <h2 id="sched-list" class="section-title">
              {t("schedules.list")}
            </h2>
            <p class="muted small">{t("schedules.listHint")}</p>
            {content.schedules.length === 0 ? (
              <EmptyState>{t("schedules.empty")}</EmptyState>
            ) : (
              <div class="table-wrap">
                <table class="table" data-testid="schedules-table">
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">{t("schedules.id")}</th>
                      <th scope="col">{t("schedules.playlist")}</th>
                      <th scope="col">{t("schedules.targets")}</th>
                      <th scope="col">{t("schedules.days")}</th>
                      <th scope="col">{t("schedules.window")}</th>
                      <th scope="col">{t("schedules.dates")}</th>
                      <th scope="col" class="num">
                        {t("schedules.priority")}
                      </th>
                      {editable ? (
                        <th scope="col">
                          <span class="sr-only">{t("common.moveUp")}</span>
                        </th>
                      ) : null}
                    </tr>
                  </thead>
                  <tbody>
                    {content.schedules.map((s, i) => (
                      <tr
                        key={s.id}
                        class={s.id === id ? "row-selected" : undefined}
                        data-testid={`schedule-row-${s.id}`}
                      >
                        <td>{i + 1}</td>
                        <td>
                          <Link href={`/schedules/${s.id}`}>
                            <code>{s.id}</code>
                          </Link>
                        </td>
                        <td>{content.playlists.find((p) => p.id === s.playlist)?.name ?? s.playlist}</td>
                        <td class="small">{targetsSummary(s, content.gates)}</td>
                        <td class="small">{daysSummary(s.days)}</td>
                        <td class="small nowrap">
                          {s.window ? `${s.window.from}–${s.window.to}` : t("schedules.summaryAllDay")}
                        </td>
                        <td class="small nowrap">
                          {s.dates
                            ? `${formatLocalDate(s.dates.from) || "…"} – ${formatLocalDate(s.dates.to) || "…"}`
                            : "—"}
                        </td>
                        <td class="num">{s.priority}</td>
                        {editable ? (
                          <td class="nowrap">
                            <button
                              type="button"
                              class="btn btn-icon"
                              disabled={i === 0}
                              aria-label={`${t("common.moveUp")}: ${s.id}`}
                              onClick={() => void reorder(i, i - 1)}
                            >
                              ↑
                            </button>
                            <button
                              type="button"
                              class="btn btn-icon"
                              disabled={i === content.schedules.length - 1}
                              aria-label={`${t("common.moveDown")}: ${s.id}`}
                              onClick={() => void reorder(i, i + 1)}
                            >
                              ↓
                            </button>
                          </td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          {id === "new" || selected ? (
            <ScheduleEditor
              key={id}
              content={content}
              entry={selected}
              onPreview={setPreview}
              onSaved={() => void draft.reload()}
            />
          ) : id ? (
            <EmptyState>{t("common.notFound", { id })}</EmptyState>
          ) : null}
          <GateDefaults content={content} onSaved={() => void draft.reload()} />
          {viewContent ? <WeekSection content={viewContent} /> : null}
        </>
      )}
    </div>
  );
}

function ScheduleEditor({
  content,
  entry,
  onPreview,
  onSaved,
}: {
  content: Content;
  entry: ScheduleEntry | undefined;
  onPreview: (e: ScheduleEntry | null) => void;
  onSaved: () => void;
}) {
  const isNew = !entry;
  const editable = can("editor");
  const [form, setForm] = useState<Form>(() => formOf(entry, content));
  const initial = useRef(JSON.stringify(form));
  const ref = useRef<HTMLElement>(null);
  const set = (p: Partial<Form>) => setForm((f) => ({ ...f, ...p }));
  const dirty = JSON.stringify(form) !== initial.current;
  const candidate = entryOf(form);
  const checked = useCheckedForm(ScheduleSchema, candidate, {
    dirty,
    fields: /^(id|playlist|targets|days|window|dates|priority)/,
  });
  const { errors, busy, firstUnder: firstOf } = checked;

  useEffect(() => {
    ref.current?.scrollIntoView({ block: "start" });
  }, []);
  useEffect(() => {
    const r = ScheduleSchema.safeParse(candidate);
    onPreview(r.success ? r.data : null);
  }, [JSON.stringify(candidate)]);
  useEffect(() => () => onPreview(null), []);

  const save = (e: Event) => {
    e.preventDefault();
    return checked.submit(
      async (value) => {
        if (isNew) await call(routes.content.schedules.create, { body: value });
        else await call(routes.content.schedules.put, { params: { id: value.id }, body: value });
      },
      (value) => {
        initial.current = JSON.stringify(form);
        toast(t("common.saved"));
        onSaved();
        navigate(`/schedules/${value.id}`, { replace: true });
      },
      async (value) => {
        const span = value.window ? overnightSpan(value.window) : null;
        if (span === null || span <= OVERNIGHT_CONFIRM_MIN || !value.window) return true;
        return confirm({
          title: t("schedules.overnightTitle"),
          message: t("schedules.overnightConfirm", { span: formatSpan(span), to: value.window.to }),
          confirmLabel: t("schedules.overnightOk"),
        });
      },
    );
  };

  const remove = async () => {
    if (
      !(await confirm({
        title: t("common.delete"),
        message: t("schedules.deleteConfirm", { id: form.id }),
        confirmLabel: t("common.delete"),
        danger: true,
      }))
    )
      return;
    try {
      await call(routes.content.schedules.remove, { params: { id: form.id } });
      checked.release();
      toast(t("common.deleted", { id: form.id }));
      onSaved();
      navigate("/schedules");
    } catch (err) {
      checked.fail(err);
    }
  };

  const crosses = !form.allDay && /^\d\d:\d\d$/.test(form.from) && /^\d\d:\d\d$/.test(form.to) && form.to <= form.from;

  return (
    <section class="panel" ref={ref} aria-labelledby="sched-edit">
      <h2 id="sched-edit" class="section-title">
        {isNew ? t("schedules.newTitle") : t("schedules.editTitle", { id: entry?.id ?? "" })}
      </h2>
      <form onSubmit={save} noValidate>
        <div class="grid-3">
          <TextField
            label={t("schedules.id")}
            value={form.id}
            onValue={(v) => set({ id: v.toLowerCase() })}
            error={errors.get("id")}
            hint={isNew ? t("item.idHint") : undefined}
            disabled={!isNew || !editable}
            spellcheck={false}
          />
          <SelectField
            label={t("schedules.playlist")}
            value={form.playlist}
            options={content.playlists.map((p) => ({ value: p.id, label: `${p.name} (${p.id})` }))}
            onValue={(v) => set({ playlist: v })}
            error={errors.get("playlist")}
            disabled={!editable}
            testId="schedule-playlist"
          />
          <TextField
            label={t("schedules.priority")}
            value={form.priority}
            onValue={(v) => set({ priority: v })}
            error={errors.get("priority")}
            hint={t("schedules.priorityHint")}
            inputMode="numeric"
            disabled={!editable}
          />
        </div>
        <fieldset class="subpanel">
          <legend>{t("schedules.targets")}</legend>
          <p class="muted small">{t("schedules.targetsHint")}</p>
          <div class="grid-3">
            <CheckGroup
              legend={t("schedules.targetGates")}
              options={content.gates.map((g) => ({ value: g.id, label: gateName(g, g.id) }))}
              value={form.gates}
              onValue={(v) => set({ gates: v })}
              error={firstOf("targets.gates")}
              disabled={!editable}
              class="stacked-options"
            />
            <CheckGroup
              legend={t("schedules.targetScreens")}
              options={content.screens.map((s) => ({ value: s.id, label: `${s.name} (${s.id})` }))}
              value={form.screens}
              onValue={(v) => set({ screens: v })}
              error={firstOf("targets.screens")}
              disabled={!editable}
              class="stacked-options scroll-options"
            />
            <TextField
              label={t("schedules.targetTags")}
              value={form.tags}
              onValue={(v) => set({ tags: v })}
              error={firstOf("targets.tags")}
              hint={t("schedules.tagsHint")}
              disabled={!editable}
              spellcheck={false}
            />
          </div>
        </fieldset>
        <div class="grid-2">
          <CheckGroup
            legend={t("schedules.days")}
            options={WEEKDAYS.map((d) => ({ value: d, label: weekdayShort(d) }))}
            value={form.days}
            onValue={(v) => set({ days: v })}
            error={firstOf("days")}
            disabled={!editable}
            extra={
              editable ? (
                <span class="quick-days">
                  <button type="button" class="btn btn-small btn-quiet" onClick={() => set({ days: [...WEEKDAYS] })}>
                    {t("schedules.everyDay")}
                  </button>
                  <button
                    type="button"
                    class="btn btn-small btn-quiet"
                    onClick={() => set({ days: ["mon", "tue", "wed", "thu", "fri"] })}
                  >
                    {t("schedules.weekdays")}
                  </button>
                  <button type="button" class="btn btn-small btn-quiet" onClick={() => set({ days: ["sat", "sun"] })}>
                    {t("schedules.weekend")}
                  </button>
                </span>
              ) : null
            }
          />
          <fieldset class="checkgroup">
            <legend>{t("schedules.window")}</legend>
            <label class="check">
              <input
                type="checkbox"
                checked={form.allDay}
                disabled={!editable}
                onChange={(e) => set({ allDay: e.currentTarget.checked })}
              />
              <span>{t("schedules.allDay")}</span>
            </label>
            {!form.allDay ? (
              <div class="grid-2 tight">
                <TimeField
                  label={t("schedules.from")}
                  value={form.from}
                  onValue={(v) => set({ from: v })}
                  error={errors.get("window.from")}
                  disabled={!editable}
                  strict
                />
                <TimeField
                  label={t("schedules.to")}
                  value={form.to}
                  onValue={(v) => set({ to: v })}
                  error={errors.get("window.to")}
                  disabled={!editable}
                  strict
                />
              </div>
            ) : null}
            {crosses ? <p class="muted small">{t("schedules.crossesMidnight")}</p> : null}
          </fieldset>
        </div>
        <div class="grid-3">
          <DateField
            label={t("schedules.dateFrom")}
            value={form.dateFrom}
            onValue={(v) => set({ dateFrom: v })}
            error={errors.get("dates.from") ?? errors.get("dates")}
            disabled={!editable}
            strict
          />
          <DateField
            label={t("schedules.dateTo")}
            value={form.dateTo}
            onValue={(v) => set({ dateTo: v })}
            error={errors.get("dates.to")}
            disabled={!editable}
            strict
          />
        </div>
        <ErrorBox error={checked.error} unclaimed={checked.unclaimed} />
        {editable ? (
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {busy ? t("common.saving") : t("common.save")}
            </button>
            <Link href="/schedules" class="btn">
              {t("common.cancel")}
            </Link>
            {!isNew ? (
              <button type="button" class="btn btn-danger-quiet" onClick={() => void remove()}>
                {t("common.delete")}
              </button>
            ) : null}
            <span class="muted small">{t("common.draftNote")}</span>
          </div>
        ) : null}
      </form>
    </section>
  );
}

function GateDefaults({ content, onSaved }: { content: Content; onSaved: () => void }) {
  const editable = can("editor");
  const change = async (g: Gate, playlist: string) => {
    try {
      await call(routes.content.gates.put, { params: { id: g.id }, body: { ...g, defaultPlaylist: playlist } });
      toast(t("schedules.gateSaved", { gate: gateName(g, g.id) }));
      onSaved();
    } catch (e) {
      toast(errorText(e), "error");
    }
  };
  return (
    <section aria-labelledby="gate-defaults" class="gate-defaults">
      <h2 id="gate-defaults" class="section-title">
        {t("schedules.gateDefaults")}
      </h2>
      <div class="grid-3">
        {content.gates.map((g) => (
          <SelectField
            key={`${g.id}:${g.defaultPlaylist}`}
            label={t("schedules.gateDefaultFor", { gate: gateName(g, g.id) })}
            value={g.defaultPlaylist}
            options={content.playlists.map((p) => ({ value: p.id, label: p.name }))}
            onValue={(v) => void change(g, v)}
            disabled={!editable}
          />
        ))}
      </div>
    </section>
  );
}

function WeekSection({ content }: { content: Content }) {
  const [mode, setMode] = useStored<"gate" | "screen">("gatecast.console.weekMode", "gate");
  const [gate, setGate] = useStored("gatecast.console.weekGate", content.gates[0]?.id ?? "");
  const [screen, setScreen] = useStored("gatecast.console.weekScreen", content.screens[0]?.id ?? "");
  const [monday, setMonday] = useState(mondayOf(localToday()));
  const gateId = content.gates.some((g) => g.id === gate) ? gate : (content.gates[0]?.id ?? "");
  const screenId = content.screens.some((s) => s.id === screen) ? screen : (content.screens[0]?.id ?? "");
  const lanes =
    mode === "gate"
      ? content.screens.filter((s) => s.gate === gateId)
      : content.screens.filter((s) => s.id === screenId);

  return (
    <section aria-labelledby="week-title" class="week-section">
      <h2 id="week-title" class="section-title">
        {t("schedules.week")}
      </h2>
      <p class="muted small">{t("schedules.weekHint")}</p>
      <div class="filters">
        <RadioGroup
          legend={<span class="sr-only">{t("schedules.week")}</span>}
          name="week-mode"
          value={mode}
          options={[
            { value: "gate", label: t("schedules.viewGate") },
            { value: "screen", label: t("schedules.viewScreen") },
          ]}
          onValue={setMode}
          class="inline-radios"
        />
        {mode === "gate" ? (
          <label class="filter">
            <span>{t("common.gate")}</span>
            <select value={gateId} onChange={(e) => setGate(e.currentTarget.value)} data-testid="week-gate">
              {content.gates.map((g) => (
                <option key={g.id} value={g.id}>
                  {gateName(g, g.id)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label class="filter">
            <span>{t("common.screen")}</span>
            <select value={screenId} onChange={(e) => setScreen(e.currentTarget.value)} data-testid="week-screen">
              {content.screens.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.id})
                </option>
              ))}
            </select>
          </label>
        )}
        <span class="summary-spacer" />
        <div class="btn-row">
          <button type="button" class="btn btn-small" onClick={() => setMonday(addDays(monday, -7))}>
            {t("schedules.prevWeek")}
          </button>
          <button type="button" class="btn btn-small" onClick={() => setMonday(mondayOf(localToday()))}>
            {t("schedules.thisWeek")}
          </button>
          <button type="button" class="btn btn-small" onClick={() => setMonday(addDays(monday, 7))}>
            {t("schedules.nextWeek")}
          </button>
        </div>
      </div>
      <p class="week-range" aria-live="polite">
        {t("schedules.weekOf", { from: formatLocalDate(monday), to: formatLocalDate(addDays(monday, 6)) })}
      </p>
      {lanes.length === 0 ? (
        <EmptyState>{t("schedules.noScreens")}</EmptyState>
      ) : (
        <WeekView content={content} screens={lanes} monday={monday} />
      )}
    </section>
  );
}
