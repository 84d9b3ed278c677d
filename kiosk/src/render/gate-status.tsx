import {
  CROSSING_STATE_LABEL,
  GATE_STATUS_TEXT,
  type GateStatusItem,
  type GateStatusRow,
  type Language,
  type Localized,
  rowsInForce,
  updatedText,
} from "@gatecast/playlists";
import { useComputed } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { manifest, now } from "../app/state.ts";
import { LANG_TAG, languagesOf } from "./text.ts";

const { title: TITLE, none: NONE, ...COLUMNS } = GATE_STATUS_TEXT;

function Texts({ text, langs }: { text: Localized | undefined; langs: readonly Language[] }) {
  if (!text) return null;
  return (
    <>
      {langs
        .filter((l) => text[l])
        .map((l) => (
          <span key={l} class={`gs-line lang-${l}`} lang={LANG_TAG[l]}>
            {text[l]}
          </span>
        ))}
    </>
  );
}

/**
 * The state of a gate's crossings as a board: one row per crossing in force at the kiosk's clock, the
 * state in colour and in words, hours in gate-local time, reason and issuing agency, and when it was
 * issued. A row leaves the board when its window ends, with or without the network.
 */
export function GateStatusBoard({ item, onReady }: { item: GateStatusItem; onReady: () => void }) {
  const tz = manifest.value?.gate.timezone ?? "Asia/Ho_Chi_Minh";
  const rows = useComputed(() => rowsInForce(item.rows, now.value));
  useEffect(onReady, []);
  const shown = rows.value;
  const langs = languagesOf(item.title, ...shown.flatMap((r) => [r.crossing, r.reason])).filter(
    (l) => l !== "en" || shown.every((r) => r.crossing.en),
  );
  const head: Language[] = langs.length > 0 ? langs : ["vi", "zh"];
  const issued = shown.reduce((m, r) => Math.max(m, Date.parse(r.issuedAt)), 0);
  return (
    <article class="gate-status" data-testid="gate-status">
      <h1 class="gs-title">
        <Texts text={item.title ?? TITLE} langs={head} />
      </h1>
      {shown.length === 0 ? (
        <p class="gs-none">
          <Texts text={NONE} langs={head} />
        </p>
      ) : (
        <table class="gs-table">
          <thead>
            <tr>
              {Object.entries(COLUMNS).map(([k, text]) => (
                <th key={k} scope="col">
                  <Texts text={text} langs={head.filter((l) => l !== "en")} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r, i) => (
              <Row key={`${i}-${r.from}`} row={r} langs={head} />
            ))}
          </tbody>
        </table>
      )}
      {issued > 0 ? (
        <p class="gs-updated" data-testid="gate-status-updated">
          {head.map((l) => (
            <span key={l} lang={LANG_TAG[l]}>
              {updatedText(issued, tz, l)}
            </span>
          ))}
        </p>
      ) : null}
    </article>
  );
}

function Row({ row, langs }: { row: GateStatusRow; langs: readonly Language[] }) {
  const label = CROSSING_STATE_LABEL[row.state];
  return (
    <tr class={`gs-row gs-${row.state}`} data-state={row.state}>
      <th scope="row" class="gs-crossing">
        <Texts text={row.crossing} langs={langs} />
      </th>
      <td>
        <span class={`gs-badge tone-${label.tone}`}>
          <span class="gs-icon" aria-hidden="true">
            {label.tone === "ok" ? "●" : label.tone === "warn" ? "▲" : "■"}
          </span>
          <Texts text={label} langs={langs} />
        </span>
      </td>
      <td class="gs-hours">{row.hours ? `${row.hours.from}–${row.hours.to}` : "—"}</td>
      <td class="gs-reason">
        <Texts text={row.reason} langs={langs} />
        <span class="gs-agency">
          <Texts text={row.agency} langs={langs.slice(0, 2)} />
        </span>
      </td>
    </tr>
  );
}
