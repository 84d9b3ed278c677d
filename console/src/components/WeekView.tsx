import {
  type Content,
  compileScreenProgram,
  isEntryActive,
  localParts,
  resolve,
  type Screen,
  targetsMatch,
  WEEKDAYS,
} from "@gatecast/playlists";
import { useMemo } from "preact/hooks";
import { t } from "../i18n.ts";
import { addDays, formatLocalDate, gateZone, startOfLocalDay } from "../lib/format.ts";
import { weekdayShort } from "../lib/labels.ts";

const SLOT_MIN = 15;
const SLOTS = (24 * 60) / SLOT_MIN;
const SLOT_PX = 5;

/** What a lane shows from one slot to the next: who wins, and who it hides. */
interface Block {
  start: number;
  end: number;
  playlist: string | null;
  schedule: string | null;
  hidden: string[];
}

const PALETTE = [
  "#2563eb",
  "#16a34a",
  "#d97706",
  "#9333ea",
  "#dc2626",
  "#0891b2",
  "#65a30d",
  "#c026d3",
  "#ea580c",
  "#4f46e5",
  "#0d9488",
  "#b45309",
];

/** A colour per playlist, distinct for the first dozen, by its place in the draft. */
export function playlistColor(id: string, order: readonly string[]): string {
  const i = order.indexOf(id);
  return PALETTE[(i < 0 ? order.length : i) % PALETTE.length] ?? "#64748b";
}

/**
 * Samples the domain resolver every 15 minutes of one gate-local day for one screen, and merges equal
 * neighbours into blocks. The entries active at the same moment that lost are the "hidden" ones.
 */
function dayBlocks(content: Content, screen: Screen, date: string): Block[] {
  let program: ReturnType<typeof compileScreenProgram>;
  try {
    program = compileScreenProgram(content, screen.id);
  } catch {
    return [];
  }
  const scr = { ...program, alerts: [] };
  const zone = program.gate.timezone || gateZone.value;
  const start = startOfLocalDay(date, zone);
  const blocks: Block[] = [];
  for (let k = 0; k < SLOTS; k++) {
    const at = start + k * SLOT_MIN * 60_000;
    const r = resolve(scr, at);
    const local = localParts(at, zone);
    const hidden = program.schedules
      .filter((s) => s.id !== r.schedule && targetsMatch(s.targets, screen) && isEntryActive(s, local))
      .map((s) => s.id);
    const last = blocks[blocks.length - 1];
    if (last && last.playlist === r.playlist && last.schedule === r.schedule && last.hidden.join() === hidden.join()) {
      last.end = k + 1;
    } else blocks.push({ start: k, end: k + 1, playlist: r.playlist, schedule: r.schedule, hidden });
  }
  return blocks;
}

const hhmm = (slot: number) => {
  const m = slot * SLOT_MIN;
  return `${String(Math.floor(m / 60) % 24).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
};

export interface WeekViewProps {
  content: Content;
  /** One lane per screen: a screen alone, or every screen of a gate side by side. */
  screens: Screen[];
  /** Monday, "YYYY-MM-DD". */
  monday: string;
}

/** A week of what plays when, per screen lane, with hidden overlaps hatched. */
export function WeekView({ content, screens, monday }: WeekViewProps) {
  const names = new Map(content.playlists.map((p) => [p.id, p.name]));
  const order = content.playlists.map((p) => p.id);
  const defaults = new Set(
    screens.flatMap((s) => content.gates.filter((g) => g.id === s.gate).map((g) => g.defaultPlaylist)),
  );
  const days = WEEKDAYS.map((d, i) => ({ day: d, date: addDays(monday, i) }));
  const grid = useMemo(
    () => days.map(({ date }) => screens.map((s) => dayBlocks(content, s, date))),
    [content, screens, monday],
  );
  const used = new Set<string>();
  let anyHidden = false;
  for (const day of grid)
    for (const lane of day)
      for (const b of lane) {
        if (b.playlist) used.add(b.playlist);
        if (b.hidden.length) anyHidden = true;
      }
  const height = SLOTS * SLOT_PX;

  const describe = (b: Block, dayLabel: string, screen: Screen) => {
    const name = b.playlist ? (names.get(b.playlist) ?? b.playlist) : t("schedules.nothing");
    const src = b.schedule ? b.schedule : t("schedules.defaultPlaylist");
    const hidden = b.hidden.length ? ` — ${t("schedules.hiddenList", { list: b.hidden.join(", ") })}` : "";
    const who = screens.length > 1 ? `${screen.name}: ` : "";
    return `${who}${dayLabel} ${hhmm(b.start)}–${hhmm(b.end)}: ${name} (${src})${hidden}`;
  };

  return (
    <div class="week" data-testid="week-view">
      <div class="week-grid" style={{ gridTemplateColumns: `3.2rem repeat(7, minmax(0, 1fr))` }}>
        <div class="week-corner" />
        {days.map(({ day, date }) => (
          <div key={day} class="week-dayhead">
            <strong>{weekdayShort(day)}</strong> <span class="muted">{formatLocalDate(date).slice(0, 5)}</span>
            {screens.length > 1 ? (
              <div class="week-lanes-head" aria-hidden="true">
                {screens.map((s, i) => (
                  <span key={s.id} title={s.name}>
                    {i + 1}
                  </span>
                ))}
              </div>
            ) : null}
          </div>
        ))}
        <div class="week-hours" style={{ height: `${height}px` }} aria-hidden="true">
          {Array.from({ length: 12 }, (_, i) => (
            <span key={i} style={{ top: `${(i * 2 * 60 * SLOT_PX) / SLOT_MIN}px` }}>
              {String(i * 2).padStart(2, "0")}:00
            </span>
          ))}
        </div>
        {days.map(({ day, date }, di) => (
          <div key={date} class="week-day" style={{ height: `${height}px` }}>
            {screens.map((s, li) => (
              <ul
                key={s.id}
                class="week-lane"
                aria-label={`${t(`weekday.${day}`)} ${formatLocalDate(date)}${screens.length > 1 ? ` — ${s.name}` : ""}`}
              >
                {(grid[di]?.[li] ?? []).map((b) => {
                  const isDefault = b.schedule === null;
                  const color = b.playlist ? playlistColor(b.playlist, order) : "transparent";
                  const tall = (b.end - b.start) * SLOT_PX >= 16 && screens.length === 1;
                  const label = describe(b, weekdayShort(day), s);
                  return (
                    <li
                      key={b.start}
                      class={`week-block${isDefault ? " is-default" : ""}${b.hidden.length ? " has-hidden" : ""}`}
                      style={{
                        top: `${b.start * SLOT_PX}px`,
                        height: `${(b.end - b.start) * SLOT_PX}px`,
                        "--block-color": color,
                      }}
                      title={label}
                      data-playlist={b.playlist ?? ""}
                      data-hidden={b.hidden.join(" ")}
                    >
                      <span class={tall ? "week-label" : "sr-only"}>
                        {tall ? (b.playlist ? (names.get(b.playlist) ?? b.playlist) : "") : label}
                      </span>
                    </li>
                  );
                })}
              </ul>
            ))}
          </div>
        ))}
      </div>
      <div class="week-legend">
        {[...used].map((p) => (
          <span key={p} class="legend-item">
            <span
              class={`legend-swatch${defaults.has(p) ? " is-default" : ""}`}
              style={{ background: playlistColor(p, order) }}
              aria-hidden="true"
            />
            {names.get(p) ?? p}
            {defaults.has(p) ? ` (${t("schedules.defaultPlaylist")})` : ""}
          </span>
        ))}
        {anyHidden ? (
          <span class="legend-item">
            <span class="legend-swatch swatch-hidden" aria-hidden="true" />
            {t("schedules.hidden")}
          </span>
        ) : null}
        {screens.length > 1 ? (
          <span class="legend-item legend-lanes">
            {screens.map((s, i) => (
              <span key={s.id}>
                <strong>{i + 1}</strong> {s.name} <code>{s.id}</code>
              </span>
            ))}
          </span>
        ) : null}
      </div>
    </div>
  );
}
