import { type OnHours, type OnHoursPeriod, WEEKDAYS, type Weekday } from "@gatecast/playlists";
import { t } from "../i18n.ts";
import { weekdayShort } from "../lib/labels.ts";
import { CheckGroup, DateField, TextField, TimeField } from "./ui.tsx";

/** One row as the form holds it: every field a string, so half-typed values stay on screen. */
export interface PeriodForm {
  days: Weekday[];
  allDay: boolean;
  from: string;
  to: string;
  dateFrom: string;
  dateTo: string;
  note: string;
}

export interface HoursForm {
  on: PeriodForm[];
  off: PeriodForm[];
}

const emptyOn = (): PeriodForm => ({
  days: [...WEEKDAYS],
  allDay: false,
  from: "06:00",
  to: "22:00",
  dateFrom: "",
  dateTo: "",
  note: "",
});
const emptyOff = (): PeriodForm => ({
  days: [...WEEKDAYS],
  allDay: true,
  from: "",
  to: "",
  dateFrom: "",
  dateTo: "",
  note: "",
});

const periodForm = (p: OnHoursPeriod): PeriodForm => ({
  days: [...p.days],
  allDay: !p.window,
  from: p.window?.from ?? "",
  to: p.window?.to ?? "",
  dateFrom: p.dates?.from ?? "",
  dateTo: p.dates?.to ?? "",
  note: p.note ?? "",
});

export const hoursForm = (h: OnHours | undefined): HoursForm =>
  h ? { on: h.on.map(periodForm), off: h.off.map(periodForm) } : { on: [emptyOn()], off: [] };

const period = (f: PeriodForm) => ({
  days: f.days,
  ...(f.allDay ? {} : { window: { from: f.from, to: f.to } }),
  ...(f.dateFrom || f.dateTo
    ? { dates: { ...(f.dateFrom ? { from: f.dateFrom } : {}), ...(f.dateTo ? { to: f.dateTo } : {}) } }
    : {}),
  ...(f.note.trim() ? { note: f.note.trim() } : {}),
});

/** What the form says, for the `OnHours` schema to check. */
export const hoursCandidate = (f: HoursForm) => ({ on: f.on.map(period), off: f.off.map(period) });

function PeriodRow({
  value,
  onValue,
  onRemove,
  kind,
  path,
  errors,
}: {
  value: PeriodForm;
  onValue: (v: PeriodForm) => void;
  onRemove: () => void;
  kind: "on" | "off";
  path: string;
  errors: Map<string, string>;
}) {
  const set = (p: Partial<PeriodForm>) => onValue({ ...value, ...p });
  return (
    <fieldset class={`period period-${kind}`} data-testid={`period-${kind}`}>
      <legend>{t(kind === "on" ? "hours.onPeriod" : "hours.offPeriod")}</legend>
      <CheckGroup
        legend={t("hours.days")}
        options={WEEKDAYS.map((d) => ({ value: d, label: weekdayShort(d) }))}
        value={value.days}
        onValue={(days) => set({ days })}
        error={errors.get(`${path}.days`)}
        class="days"
      />
      <label class="check">
        <input type="checkbox" checked={value.allDay} onChange={(e) => set({ allDay: e.currentTarget.checked })} />
        <span>{t("hours.allDay")}</span>
      </label>
      {!value.allDay ? (
        <div class="grid-3">
          <TimeField
            label={t("hours.from")}
            value={value.from}
            onValue={(from) => set({ from })}
            error={errors.get(`${path}.window.from`)}
          />
          <TimeField
            label={t("hours.to")}
            value={value.to}
            onValue={(to) => set({ to })}
            error={errors.get(`${path}.window.to`)}
          />
          {value.from && value.to && value.to <= value.from ? <p class="hint">{t("hours.crossesMidnight")}</p> : null}
        </div>
      ) : null}
      <div class="grid-3">
        <DateField
          label={t("hours.dateFrom")}
          value={value.dateFrom}
          onValue={(dateFrom) => set({ dateFrom })}
          error={errors.get(`${path}.dates.from`)}
        />
        <DateField
          label={t("hours.dateTo")}
          value={value.dateTo}
          onValue={(dateTo) => set({ dateTo })}
          error={errors.get(`${path}.dates.to`)}
        />
        <TextField
          label={t("hours.note")}
          value={value.note}
          onValue={(note) => set({ note })}
          error={errors.get(`${path}.note`)}
          placeholder={kind === "off" ? t("hours.notePlaceholder") : ""}
        />
      </div>
      <button type="button" class="btn btn-small btn-quiet" onClick={onRemove}>
        {t("hours.removePeriod")}
      </button>
    </fieldset>
  );
}

/**
 * On-hours in gate-local time, written like schedule windows: periods the screens are on (days, a
 * window that may cross midnight, dates) and periods they are dark even so (a gate closed for Tết).
 */
export function OnHoursEditor({
  value,
  onValue,
  errors,
}: {
  value: HoursForm;
  onValue: (v: HoursForm) => void;
  errors: Map<string, string>;
}) {
  const setList = (kind: "on" | "off", list: PeriodForm[]) => onValue({ ...value, [kind]: list });
  return (
    <div class="on-hours-editor">
      {(["on", "off"] as const).map((kind) => (
        <div key={kind} class="period-list">
          <h4>{t(kind === "on" ? "hours.onTitle" : "hours.offTitle")}</h4>
          {kind === "on" && errors.get("on") ? <p class="field-error">{errors.get("on")}</p> : null}
          {value[kind].map((p, i) => (
            <PeriodRow
              key={i}
              kind={kind}
              value={p}
              path={`${kind}.${i}`}
              errors={errors}
              onValue={(v) =>
                setList(
                  kind,
                  value[kind].map((x, j) => (j === i ? v : x)),
                )
              }
              onRemove={() =>
                setList(
                  kind,
                  value[kind].filter((_, j) => j !== i),
                )
              }
            />
          ))}
          <button
            type="button"
            class="btn btn-small"
            onClick={() => setList(kind, [...value[kind], kind === "on" ? emptyOn() : emptyOff()])}
          >
            {t(kind === "on" ? "hours.addOn" : "hours.addOff")}
          </button>
        </div>
      ))}
    </div>
  );
}
