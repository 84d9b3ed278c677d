import type { Gate, Screen } from "@gatecast/playlists";
import { Orientation } from "@gatecast/playlists";
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
import { ApiError, get, type Issue, issueMap, post } from "../lib/api.ts";
import { useResource } from "../lib/hooks.ts";
import { gateName } from "../lib/labels.ts";
import { Link } from "../lib/router.tsx";
import { can } from "../lib/session.ts";
import type { ScreenView } from "../lib/types.ts";

export function PairingPage() {
  const gates = useResource(() => get<Gate[]>("/api/v1/gates"), []);
  const screens = useResource(() => get<ScreenView[]>("/api/v1/screens"), []);
  const [mode, setMode] = useState<"new" | "existing">("new");
  const [code, setCode] = useState("");
  const [screenId, setScreenId] = useState("");
  const [existing, setExisting] = useState("");
  const [gate, setGate] = useState("");
  const [name, setName] = useState("");
  const [tags, setTags] = useState("");
  const [orientation, setOrientation] = useState<Screen["orientation"]>("landscape");
  const [issues, setIssues] = useState<Issue[]>([]);
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
    const local: Issue[] = [];
    const c = code.trim().toUpperCase();
    if (!/^[A-Z0-9]{6}$/.test(c)) local.push({ path: "code", message: t("pairing.codeHint") });
    if (mode === "new" && !screenId.trim()) local.push({ path: "screenId", message: t("common.required") });
    if (mode === "new" && !name.trim()) local.push({ path: "name", message: t("common.required") });
    if (local.length) {
      setIssues(local);
      return;
    }
    setIssues([]);
    setBusy(true);
    const body =
      mode === "new"
        ? { screenId: screenId.trim(), gate: gateId, name: name.trim(), tags: parseTags(tags), orientation }
        : { screenId: existingId };
    try {
      const r = await post<{ screenId: string; gate: string }>(`/api/v1/pairings/${encodeURIComponent(c)}/claim`, body);
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
      if (err instanceof ApiError && err.status === 404 && /pairing code/.test(err.message))
        setIssues([{ path: "code", message: t("pairing.wrongCode") }]);
      else setError(err);
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
