import { type ContentDiff, Item, type KindDiff } from "@gatecast/playlists";
import { Fragment } from "preact";
import { t } from "../i18n.ts";
import { scriptText, useScripts } from "../lib/scripts.ts";

/** The script checks' findings on an item as the release would carry it (errors block the release). */
function DiffScripts({ item }: { item: unknown }) {
  const scripts = useScripts();
  const parsed = Item.safeParse(item);
  if (!scripts || !parsed.success) return null;
  const issues = scripts.mod.scriptIssuesOfItem(parsed.data, scripts.tools);
  if (issues.length === 0) return null;
  return (
    <ul class="diff-scripts" data-testid={`diff-scripts-${parsed.data.id}`}>
      {issues.map((i) => (
        <li key={`${i.path.join(".")}:${i.code}`} class={`script-note script-${i.severity}`}>
          <code>{i.path.join(".")}</code>{" "}
          {i.severity === "warning" ? t("script.warning", { text: scriptText(i) }) : scriptText(i)}
        </li>
      ))}
    </ul>
  );
}

/** `{a: {b: [1, 2]}}` → {"a.b.0": "1", "a.b.1": "2"}: what a person compares field by field. */
export function flatten(value: unknown, prefix = "", out: Map<string, string> = new Map()): Map<string, string> {
  if (value === null || value === undefined) {
    if (prefix) out.set(prefix, "");
    return out;
  }
  if (Array.isArray(value)) {
    if (value.length === 0 && prefix) out.set(prefix, "[]");
    value.forEach((v, i) => {
      flatten(v, prefix ? `${prefix}.${i}` : String(i), out);
    });
    return out;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, "{}");
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  out.set(prefix, String(value));
  return out;
}

/** The fields that differ between two values, as a before/after table. */
export function FieldDiff({ before, after }: { before: unknown; after: unknown }) {
  const a = flatten(before);
  const b = flatten(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
  if (keys.length === 0) return <p class="muted small">—</p>;
  return (
    <table class="table table-compact diff-table">
      <thead>
        <tr>
          <th scope="col">{t("releases.field")}</th>
          <th scope="col">{t("releases.before")}</th>
          <th scope="col">{t("releases.after")}</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => (
          <tr key={k}>
            <th scope="row">
              <code>{k}</code>
            </th>
            <td class="diff-before">{a.get(k) ?? ""}</td>
            <td class="diff-after">{b.get(k) ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const KINDS = ["items", "playlists", "schedules", "gates"] as const;

export function countChanges(d: ContentDiff): number {
  let n = 0;
  for (const k of KINDS) n += d[k].added.length + d[k].removed.length + d[k].changed.length;
  n += d.webHosts.added.length + d.webHosts.removed.length + d.media.added.length + d.media.removed.length;
  if (d.scheduleOrder) n += 1;
  return n;
}

type Kind = (typeof KINDS)[number];
/** The object with that id in the content after (added) or before (removed) the change, when known. */
export type Lookup = (side: "before" | "after", kind: Kind, id: string) => unknown;

function KindSection<T>({
  kind,
  title,
  diff,
  names,
  lookup,
}: {
  kind: Kind;
  title: string;
  diff: KindDiff<T>;
  names: (id: string) => string | undefined;
  lookup: Lookup | undefined;
}) {
  if (diff.added.length + diff.removed.length + diff.changed.length === 0) return null;
  const whole = (side: "before" | "after", id: string) => {
    const obj = lookup?.(side, kind, id);
    if (obj === undefined) return label(id);
    return (
      <details class="diff-object">
        <summary>{label(id)}</summary>
        <FieldDiff before={side === "before" ? obj : null} after={side === "after" ? obj : null} />
      </details>
    );
  };
  const label = (id: string) => {
    const n = names(id);
    return n && n !== id ? (
      <>
        <code>{id}</code> — {n}
      </>
    ) : (
      <code>{id}</code>
    );
  };
  return (
    <section class="diff-kind">
      <h3>{title}</h3>
      {diff.added.length ? (
        <div class="diff-group diff-added">
          <h4>
            <span class="diff-sign" aria-hidden="true">
              +
            </span>{" "}
            {t("releases.added")} ({diff.added.length})
          </h4>
          <ul>
            {diff.added.map((id) => (
              <li key={id} data-testid={`diff-added-${id}`}>
                {whole("after", id)}
                {kind === "items" ? <DiffScripts item={lookup?.("after", kind, id)} /> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {diff.removed.length ? (
        <div class="diff-group diff-removed">
          <h4>
            <span class="diff-sign" aria-hidden="true">
              −
            </span>{" "}
            {t("releases.removed")} ({diff.removed.length})
          </h4>
          <ul>
            {diff.removed.map((id) => (
              <li key={id}>{whole("before", id)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {diff.changed.length ? (
        <div class="diff-group diff-changed">
          <h4>
            <span class="diff-sign" aria-hidden="true">
              ~
            </span>{" "}
            {t("releases.changed")} ({diff.changed.length})
          </h4>
          {diff.changed.map((c) => (
            <Fragment key={c.id}>
              <details class="diff-details" data-testid={`diff-changed-${c.id}`}>
                <summary>{label(c.id)}</summary>
                <FieldDiff before={c.before} after={c.after} />
              </details>
              {kind === "items" ? <DiffScripts item={c.after} /> : null}
            </Fragment>
          ))}
        </div>
      ) : null}
    </section>
  );
}

/** A release diff as sections per kind: added, removed, and changed with field-level before/after. */
export function ContentDiffView({
  diff,
  names,
  lookup,
}: {
  diff: ContentDiff;
  names?: (id: string) => string | undefined;
  lookup?: Lookup;
}) {
  const n = names ?? (() => undefined);
  return (
    <div class="diff">
      {KINDS.map((k) => {
        const d: KindDiff<unknown> = diff[k];
        return <KindSection key={k} kind={k} title={t(`releases.kind.${k}`)} diff={d} names={n} lookup={lookup} />;
      })}
      {diff.scheduleOrder ? (
        <section class="diff-kind">
          <h3>{t("releases.scheduleOrder")}</h3>
          <FieldDiff before={diff.scheduleOrder.before} after={diff.scheduleOrder.after} />
        </section>
      ) : null}
      {diff.webHosts.added.length + diff.webHosts.removed.length ? (
        <section class="diff-kind">
          <h3>{t("releases.webHosts")}</h3>
          <ul>
            {diff.webHosts.added.map((h) => (
              <li key={`+${h}`} class="diff-added">
                + {h}
              </li>
            ))}
            {diff.webHosts.removed.map((h) => (
              <li key={`-${h}`} class="diff-removed">
                − {h}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {diff.media.added.length + diff.media.removed.length ? (
        <section class="diff-kind">
          <h3>{t("releases.media")}</h3>
          <ul class="diff-media">
            {diff.media.added.map((h) => (
              <li key={`+${h}`} class="diff-added">
                + <code>{h.slice(0, 12)}…</code>
              </li>
            ))}
            {diff.media.removed.map((h) => (
              <li key={`-${h}`} class="diff-removed">
                − <code>{h.slice(0, 12)}…</code>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
