import { Orientation, type Screen } from "@gatecast/playlists";
import { type ApiIssue, PairingClaim, PairingCode, routes } from "@gatecast/playlists/api";
import { useState } from "preact/hooks";
import {
  ErrorBox,
  Loading,
  PageHeader,
  parseTags,
  RadioGroup,
  SelectField,
  TextField,
  toast,
} from "../components/ui.tsx";
import { type Key, t } from "../i18n.ts";
import { ApiError, call } from "../lib/api.ts";
import { useResource } from "../lib/hooks.ts";
import { gateName } from "../lib/labels.ts";
import { issueMap } from "../lib/messages.ts";
import { Link } from "../lib/router.tsx";
import { can } from "../lib/session.ts";
import { issuesOf } from "../lib/validate.ts";

export function PairingPage() {
  const gates = useResource(() => call(routes.content.gates.list), []);
  const screens = useResource(() => call(routes.screens.list), []);
  const [mode, setMode] = useState<"new" | "existing">("new");
  const [code, setCode] = useState("");
  const [screenId, setScreenId] = useState("");
  const [existing, setExisting] = useState("");
  const [gate, setGate] = useState("");
  const [name, setName] = useState("");
  const [tags, setTags] = useState("");
  const [orientation, setOrientation] = useState<Screen["orientation"]>("landscape");
  const [issues, setIssues] = useState<ApiIssue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!can("admin"))
    return (
      <div class="page">
        <PageHeader title={t("pairing.title")} />
        <p class="notice notice-info">{t("pairing.adminOnly")}</p>
      </div>
    );
  if (!gates.data || !screens.data) return gates.error ? <ErrorBox error={gates.error} /> : <Loading />;
  const gateId = gate || gates.data[0]?.id || "";
  const existingId = existing || screens.data[0]?.id || "";
  const errors = issueMap(issues);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    const body =
      mode === "new"
        ? {
            screenId: screenId.trim(),
            gate: gateId,
            name: name.trim() || undefined,
            tags: parseTags(tags),
            orientation,
          }
        : { screenId: existingId };
    // the contract's own checks, and the one the form adds: a new screen needs its name
    const local = [
      ...issuesOf(PairingCode, code).map((i) => ({ ...i, path: "code" })),
      ...issuesOf(PairingClaim, body),
      ...(mode === "new" && !name.trim()
        ? [{ path: "name", code: "required-to-create" as const, message: "required to create a new screen" }]
        : []),
    ];
    if (local.length) {
      setIssues(local);
      return;
    }
    setIssues([]);
    setBusy(true);
    try {
      const r = await call(routes.pairings.claim, { params: { code: code.trim().toUpperCase() }, body });
      const g = gates.data?.find((x) => x.id === r.gate);
      const msg = t("pairing.done", { id: r.screenId, gate: gateName(g, r.gate) });
      setDone(msg);
      toast(msg);
      setCode("");
      setScreenId("");
      setName("");
      setTags("");
      void screens.reload();
    } catch (err) {
      if (err instanceof ApiError) setIssues(err.issues);
      // a wrong code is said beside the code; anything else in the error box too
      if (!(err instanceof ApiError && err.issues.some((i) => i.code === "no-pairing"))) setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <PageHeader title={t("pairing.title")} />
      <p class="muted">{t("pairing.intro")}</p>
      <form class="panel narrow stack" onSubmit={submit} noValidate>
        <TextField
          label={t("pairing.code")}
          value={code}
          onValue={(v) =>
            setCode(
              v
                .toUpperCase()
                .replace(/[^A-Z0-9]/g, "")
                .slice(0, 6),
            )
          }
          error={errors.get("code")}
          hint={t("pairing.codeHint")}
          class="input-code"
          autocomplete="off"
          spellcheck={false}
          autofocus
        />
        <RadioGroup
          legend={t("pairing.mode")}
          name="pair-mode"
          value={mode}
          onValue={setMode}
          options={[
            { value: "new", label: t("pairing.modeNew") },
            { value: "existing", label: t("pairing.modeExisting") },
          ]}
        />
        {mode === "existing" ? (
          <SelectField
            label={t("pairing.existing")}
            value={existingId}
            options={screens.data.map((s) => ({ value: s.id, label: `${s.name} (${s.id})` }))}
            onValue={setExisting}
            error={errors.get("screenId")}
          />
        ) : (
          <>
            <div class="grid-2">
              <TextField
                label={t("pairing.screenId")}
                value={screenId}
                onValue={(v) => setScreenId(v.toLowerCase())}
                error={errors.get("screenId")}
                hint={t("pairing.screenIdHint")}
                spellcheck={false}
              />
              <SelectField
                label={t("common.gate")}
                value={gateId}
                options={gates.data.map((g) => ({ value: g.id, label: gateName(g, g.id) }))}
                onValue={setGate}
                error={errors.get("gate")}
              />
            </div>
            <TextField
              label={t("pairing.name")}
              value={name}
              onValue={setName}
              error={errors.get("name")}
              placeholder={t("pairing.namePlaceholder")}
            />
            <div class="grid-2">
              <TextField
                label={t("pairing.tags")}
                value={tags}
                onValue={setTags}
                error={[...errors.entries()].find(([k]) => k.startsWith("tags"))?.[1]}
                hint={t("schedules.tagsHint")}
                spellcheck={false}
              />
              <SelectField
                label={t("pairing.orientation")}
                value={orientation}
                options={Orientation.options.map((o) => ({ value: o, label: t(`orientation.${o}` as Key) }))}
                onValue={setOrientation}
              />
            </div>
          </>
        )}
        <ErrorBox error={error} unclaimed={issues.filter((i) => !/^(code|screenId|gate|name|tags)/.test(i.path))} />
        {done ? (
          <p class="notice notice-ok" role="status" data-testid="pairing-done">
            {done} <Link href="/">{t("nav.fleet")}</Link>
          </p>
        ) : null}
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t("pairing.submitting") : t("pairing.submit")}
          </button>
        </div>
      </form>
    </div>
  );
}
