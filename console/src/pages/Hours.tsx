import { type Gate, OnHours, type Screen } from "@gatecast/playlists";
import { routes } from "@gatecast/playlists/api";
import { useState } from "preact/hooks";
import { type HoursForm, hoursCandidate, hoursForm, OnHoursEditor } from "../components/OnHoursEditor.tsx";
import { EmptyState, ErrorBox, Loading, PageHeader, RadioGroup, toast } from "../components/ui.tsx";
import { t } from "../i18n.ts";
import { call } from "../lib/api.ts";
import { useCheckedForm } from "../lib/form.ts";
import { useResource } from "../lib/hooks.ts";
import { gateName } from "../lib/labels.ts";
import { can } from "../lib/session.ts";

/** A gate's on-hours: content, so they reach the screens with the next release. */
function GateHours({ gate, onSaved }: { gate: Gate; onSaved: () => void }) {
  const [scheduled, setScheduled] = useState(gate.onHours !== undefined);
  const [form, setForm] = useState<HoursForm>(hoursForm(gate.onHours));
  const initial = JSON.stringify({ scheduled: gate.onHours !== undefined, form: hoursForm(gate.onHours) });
  const candidate = scheduled ? hoursCandidate(form) : undefined;
  const checked = useCheckedForm(OnHours.optional(), candidate, {
    dirty: JSON.stringify({ scheduled, form }) !== initial,
    fields: /^(on|off)/,
  });
  const save = (e: Event) => {
    e.preventDefault();
    return checked.submit(
      async (onHours) => {
        const { onHours: _old, ...rest } = gate;
        await call(routes.content.gates.put, { params: { id: gate.id }, body: onHours ? { ...rest, onHours } : rest });
      },
      () => {
        toast(t("hours.gateSaved"));
        onSaved();
      },
    );
  };
  return (
    <form class="panel" onSubmit={save} data-testid={`hours-gate-${gate.id}`}>
      <h2 class="section-title">{gateName(gate, gate.id)}</h2>
      <p class="hint">{t("hours.gateHint", { tz: gate.timezone })}</p>
      <RadioGroup
        legend={t("hours.mode")}
        name={`gate-mode-${gate.id}`}
        options={[
          { value: "always", label: t("hours.always") },
          { value: "scheduled", label: t("hours.scheduled") },
        ]}
        value={scheduled ? "scheduled" : "always"}
        onValue={(v) => setScheduled(v === "scheduled")}
        disabled={!can("editor")}
      />
      {scheduled ? <OnHoursEditor value={form} onValue={setForm} errors={checked.errors} /> : null}
      {checked.error ? <ErrorBox error={checked.error} /> : null}
      {can("editor") ? (
        <button type="submit" class="btn btn-primary" disabled={checked.busy}>
          {t("hours.saveGate")}
        </button>
      ) : null}
    </form>
  );
}

/** A screen's own on-hours replace its gate's; live inventory, so they take effect at once. */
function ScreenHours({ screen, onSaved }: { screen: Screen; onSaved: () => void }) {
  const [own, setOwn] = useState(screen.onHours !== undefined);
  const [form, setForm] = useState<HoursForm>(hoursForm(screen.onHours));
  const initial = JSON.stringify({ own: screen.onHours !== undefined, form: hoursForm(screen.onHours) });
  const candidate = own ? hoursCandidate(form) : undefined;
  const checked = useCheckedForm(OnHours.optional(), candidate, {
    dirty: JSON.stringify({ own, form }) !== initial,
    fields: /^(on|off)/,
  });
  const save = (e: Event) => {
    e.preventDefault();
    return checked.submit(
      async (onHours) => {
        const { onHours: _old, ...rest } = screen;
        await call(routes.screens.put, { params: { id: screen.id }, body: onHours ? { ...rest, onHours } : rest });
      },
      () => {
        toast(t("hours.screenSaved"));
        onSaved();
      },
    );
  };
  return (
    <form class="panel panel-sub" onSubmit={save} data-testid={`hours-screen-${screen.id}`}>
      <h3>
        {screen.name} <code class="muted small">{screen.id}</code>
      </h3>
      <RadioGroup
        legend={t("hours.screenMode")}
        name={`screen-mode-${screen.id}`}
        options={[
          { value: "gate", label: t("hours.useGate") },
          { value: "own", label: t("hours.own") },
        ]}
        value={own ? "own" : "gate"}
        onValue={(v) => setOwn(v === "own")}
        disabled={!can("admin")}
      />
      {own ? <OnHoursEditor value={form} onValue={setForm} errors={checked.errors} /> : null}
      {checked.error ? <ErrorBox error={checked.error} /> : null}
      {can("admin") ? (
        <button type="submit" class="btn" disabled={checked.busy}>
          {t("hours.saveScreen")}
        </button>
      ) : null}
    </form>
  );
}

/** Planned dark hours: per gate (the default) and per screen. */
export function HoursPage() {
  const gates = useResource(() => call(routes.content.gates.list), []);
  const screens = useResource(() => call(routes.screens.list), []);
  const error = gates.error ?? screens.error;
  return (
    <div class="page">
      <PageHeader title={t("hours.title")} />
      <p class="lead">{t("hours.lead")}</p>
      {error ? <ErrorBox error={error} onRetry={() => void Promise.all([gates.reload(), screens.reload()])} /> : null}
      {!gates.data || !screens.data ? <Loading /> : null}
      {gates.data?.length === 0 ? <EmptyState>{t("hours.noGates")}</EmptyState> : null}
      {gates.data && screens.data
        ? gates.data.map((g) => (
            <section key={g.id} class="hours-gate">
              <GateHours gate={g} onSaved={() => void gates.reload()} />
              {screens.data
                ?.filter((s) => s.gate === g.id)
                .map(({ id, gate, name, tags, orientation, onHours, panel }) => (
                  <ScreenHours
                    key={id}
                    screen={{
                      id,
                      gate,
                      name,
                      tags,
                      orientation,
                      ...(panel ? { panel } : {}),
                      ...(onHours ? { onHours } : {}),
                    }}
                    onSaved={() => void screens.reload()}
                  />
                ))}
            </section>
          ))
        : null}
    </div>
  );
}
