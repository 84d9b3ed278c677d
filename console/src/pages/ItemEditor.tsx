import type { PreviewFit } from "@gatecast/kiosk/preview";
import {
  AGENCIES,
  agencyById,
  Category,
  durationNeeded,
  type GateStatusItem,
  hostAllowed,
  type Item,
  Item as ItemSchema,
  isAgency,
  itemGates,
  judgeItem,
  type Language,
  type Localized,
  languagesOfGates,
  type NoticeItem,
  NoticeLayout,
  panelOf,
  type Source,
  WebHost,
  ZH_REQUIRED,
} from "@gatecast/playlists";
import { type DraftView, type MediaEntry, routes } from "@gatecast/playlists/api";
import type { ScriptIssue } from "@gatecast/playlists/script";
import { useState } from "preact/hooks";
import { defaultTarget, type PreviewTarget, resolveTarget, ScreenPicker } from "../components/ScreenPicker.tsx";
import { ScriptNotes } from "../components/ScriptNotes.tsx";
import { SourceFields, type SourceForm, sourceFormOf, sourceOf } from "../components/SourceFields.tsx";
import {
  CharCount,
  confirm,
  DateField,
  EmptyState,
  ErrorBox,
  Loading,
  PageHeader,
  SelectField,
  TextArea,
  TextField,
  toast,
} from "../components/ui.tsx";
import { type Key, t } from "../i18n.ts";
import { call } from "../lib/api.ts";
import { itemUsage } from "../lib/content.ts";
import { useCheckedForm } from "../lib/form.ts";
import { formatBytes } from "../lib/format.ts";
import { useResource } from "../lib/hooks.ts";
import { categoryLabel, kindLabel } from "../lib/labels.ts";
import { errorText } from "../lib/messages.ts";
import { LANG_NAME, shortfallText } from "../lib/readability.ts";
import { Link, location, navigate } from "../lib/router.tsx";
import { byPath, useScripts } from "../lib/scripts.ts";
import { can, scope } from "../lib/session.ts";
import { KioskPreview } from "../screen/KioskPreview.tsx";
import { LANGS, SCREEN_SIZE, type ScreenLang, SMALL_TEXT_SHARE } from "../screen/layout.ts";
import { GateStatusEditor } from "./GateStatusEditor.tsx";

type Kind = Exclude<Item["kind"], "gate-status">;
type EditedItem = Exclude<Item, GateStatusItem>;
const KINDS: Kind[] = ["notice", "image", "video", "web"];
const MAX_TEXT = 2000;

type Texts = Record<ScreenLang, string>;
const emptyTexts = (): Texts => ({ vi: "", zh: "", en: "" });
const textsOf = (l: Localized | undefined): Texts => ({ vi: l?.vi ?? "", zh: l?.zh ?? "", en: l?.en ?? "" });

/** The localized object with only the languages typed in; undefined when nothing is. */
function localized(x: Texts): Localized | undefined {
  const out: Record<string, string> = {};
  for (const l of LANGS) if (x[l].trim()) out[l] = x[l].trim();
  return out.vi || out.zh || out.en ? (out as Localized) : undefined;
}

interface Form {
  kind: Kind;
  id: string;
  category: Item["category"];
  duration: string;
  validFrom: string;
  validTo: string;
  link: string;
  title: Texts;
  body: Texts;
  caption: Texts;
  layout: NoticeItem["layout"];
  media: string;
  fit: "cover" | "contain";
  url: string;
  source: SourceForm;
  /** The gates the item names itself (a contributor's new item: those it writes for). */
  gates: string[];
}

const isAgencySource = (source: Source | undefined, id: string): boolean => {
  const a = agencyById(id);
  return a !== undefined && isAgency(source, a);
};

function formOf(item: EditedItem): Form {
  return {
    kind: item.kind,
    id: item.id,
    category: item.category,
    duration: String(item.duration),
    validFrom: item.valid?.from ?? "",
    validTo: item.valid?.to ?? "",
    link: item.link ?? "",
    title: item.kind === "notice" ? textsOf(item.title) : emptyTexts(),
    body: item.kind === "notice" ? textsOf(item.body) : emptyTexts(),
    caption: item.kind !== "notice" ? textsOf(item.caption) : emptyTexts(),
    layout: item.kind === "notice" ? item.layout : "stacked",
    media: item.kind === "image" || item.kind === "video" ? item.media : "",
    fit: item.kind === "image" ? item.fit : "cover",
    url: item.kind === "web" ? item.url : "",
    source: sourceFormOf(item.source),
    gates: item.gates ?? [],
  };
}

function newForm(kind: Kind, media: string): Form {
  return {
    kind,
    id: "",
    category: scope.value?.categories[0] ?? (kind === "notice" ? "procedure" : "promotion"),
    duration: kind === "notice" ? "12" : kind === "web" ? "20" : "10",
    validFrom: "",
    validTo: "",
    link: "",
    title: emptyTexts(),
    body: emptyTexts(),
    caption: emptyTexts(),
    layout: "stacked",
    media,
    fit: "cover",
    url: "",
    source: sourceFormOf(
      scope.value ? { agency: agencyById(scope.value.agency)?.name ?? { vi: scope.value.agency } } : undefined,
    ),
    gates: scope.value?.gates ?? [],
  };
}

/** The item as the form describes it (possibly invalid: the schema says what is wrong). */
function itemOf(f: Form): Record<string, unknown> {
  const common: Record<string, unknown> = {
    id: f.id.trim(),
    kind: f.kind,
    category: f.category,
    duration: f.duration.trim() === "" ? Number.NaN : Number(f.duration.replace(",", ".")),
  };
  if (f.validFrom || f.validTo)
    common.valid = { ...(f.validFrom ? { from: f.validFrom } : {}), ...(f.validTo ? { to: f.validTo } : {}) };
  if (f.link.trim()) common.link = f.link.trim();
  const source = sourceOf(f.source);
  if (source) common.source = source;
  if (f.gates.length) common.gates = f.gates;
  if (f.kind === "notice")
    return {
      ...common,
      title: localized(f.title) ?? { vi: "" },
      body: localized(f.body) ?? { vi: "" },
      layout: f.layout,
    };
  const caption = localized(f.caption);
  const withCaption = caption ? { caption } : {};
  if (f.kind === "image") return { ...common, media: f.media, fit: f.fit, ...withCaption };
  if (f.kind === "video") return { ...common, media: f.media, ...withCaption };
  return { ...common, url: f.url.trim(), ...withCaption };
}

/** Seconds the item must stay on screen for a reader of its longest language (4.5 syllables, 3 words, 6 Han characters a second). */
function readingSeconds(f: Form): number {
  const texts = f.kind === "notice" ? [f.title, f.body] : [f.caption];
  return durationNeeded({ texts, alternate: f.kind === "notice" && f.layout === "alternate" });
}

/** The script problems of the form's texts as the operator types (the controller refuses the errors). */
function useFormScripts(form: Form): Map<string, ScriptIssue[]> {
  const scripts = useScripts();
  if (!scripts) return new Map();
  const strict = ZH_REQUIRED.has(form.category);
  const fields: TextKey[] = form.kind === "notice" ? ["title", "body"] : ["caption"];
  return byPath(fields.flatMap((f) => scripts.mod.scriptIssuesOfText(form[f], [f], strict, scripts.tools)));
}

type TextKey = "title" | "body" | "caption";

function LanguageColumns({
  form,
  set,
  errors,
  disabled,
  gateLanguages,
}: {
  form: Form;
  set: (f: Partial<Form>) => void;
  errors: Map<string, string>;
  disabled: boolean;
  /** The languages the gates the item can play at require. */
  gateLanguages: readonly Language[];
}) {
  const zhRequired = ZH_REQUIRED.has(form.category);
  const fields: TextKey[] = form.kind === "notice" ? ["title", "body"] : ["caption"];
  const scripts = useFormScripts(form);
  const anyText = fields.some((f) => LANGS.some((l) => form[f][l].trim()));
  return (
    <div class="lang-columns">
      {LANGS.map((l) => {
        const byGate = gateLanguages.includes(l) && (form.kind === "notice" || anyText);
        const required = l === "vi" || (l === "zh" && zhRequired) || byGate;
        const missing = required && fields.some((f) => !form[f][l].trim());
        return (
          <fieldset key={l} class="lang-column" data-testid={`lang-column-${l}`}>
            <legend>
              {t(`lang.${l}` as Key)}
              {required ? (
                <span class="req" title={byGate ? t("item.gateLanguage") : t("item.zhRequired")}>
                  {" "}
                  *
                </span>
              ) : null}
              {missing && l !== "vi" ? (
                <span class="badge badge-bad lang-missing" data-testid={`lang-missing-${l}`}>
                  {t("item.languageMissing")}
                </span>
              ) : null}
            </legend>
            {fields.map((field) => {
              const value = form[field][l];
              const label = `${t(`item.${field}` as Key)} — ${t(`lang.short.${l}` as Key)}`;
              const update = (v: string) => set({ [field]: { ...form[field], [l]: v } });
              const error = errors.get(`${field}.${l}`) ?? (l === "vi" ? errors.get(field) : undefined);
              const notes = scripts.get(`${field}.${l}`);
              const hint = notes ? (
                <ScriptNotes issues={notes} onSimplify={update} quiet={Boolean(error)} />
              ) : undefined;
              return field === "body" ? (
                <TextArea
                  key={field}
                  label={label}
                  value={value}
                  onValue={update}
                  rows={7}
                  error={error}
                  hint={hint}
                  aside={<CharCount text={value} max={MAX_TEXT} />}
                  disabled={disabled}
                  lang={l === "zh" ? "zh-CN" : l}
                  data-testid={`${field}-${l}`}
                />
              ) : (
                <TextArea
                  key={field}
                  label={label}
                  value={value}
                  onValue={update}
                  rows={field === "title" ? 2 : 3}
                  error={error}
                  hint={hint}
                  aside={<CharCount text={value} max={MAX_TEXT} />}
                  disabled={disabled}
                  lang={l === "zh" ? "zh-CN" : l}
                  data-testid={`${field}-${l}`}
                />
              );
            })}
          </fieldset>
        );
      })}
    </div>
  );
}

function MediaPicker({
  kind,
  value,
  onValue,
  media,
  error,
  disabled,
}: {
  kind: "image" | "video";
  value: string;
  onValue: (sha: string) => void;
  media: MediaEntry[];
  error: string | undefined;
  disabled: boolean;
}) {
  const list = media.filter((m) => m.mime.startsWith(`${kind}/`));
  return (
    <fieldset class={`checkgroup${error ? " field-invalid" : ""}`}>
      <legend>{t("item.media")}</legend>
      {list.length === 0 ? (
        <p class="muted">
          {t("media.empty")} <Link href="/library?tab=media">{t("library.tabMedia")}</Link>
        </p>
      ) : (
        <div class="media-pick">
          {list.map((m) => (
            <label key={m.sha256} class={`media-pick-item${value === m.sha256 ? " selected" : ""}`}>
              <input
                type="radio"
                name="media"
                value={m.sha256}
                checked={value === m.sha256}
                disabled={disabled}
                onChange={() => onValue(m.sha256)}
              />
              {kind === "video" ? (
                <video src={`/media/${m.sha256}#t=1`} muted preload="metadata" />
              ) : (
                <img src={`/media/${m.sha256}`} alt="" loading="lazy" />
              )}
              <span class="ellipsis small">{m.name ?? m.sha256.slice(0, 12)}</span>
              <span class="muted small">{formatBytes(m.bytes)}</span>
            </label>
          ))}
        </div>
      )}
      {error ? (
        <div class="field-error" role="alert">
          {error}
        </div>
      ) : null}
    </fieldset>
  );
}

interface EditorProps {
  /** Editing an existing item. */
  id?: string;
  /** Creating an item of this kind. */
  kind?: string;
}

export function ItemEditorPage({ id, kind }: EditorProps) {
  const draft = useResource(() => call(routes.content.draft), []);
  const media = useResource(() => call(routes.media.list), []);
  if (kind !== undefined && kind !== "gate-status" && !KINDS.includes(kind as Kind))
    return (
      <div class="page">
        <EmptyState>{t("error.pageMissing")}</EmptyState>
      </div>
    );
  if (draft.error) return <ErrorBox error={draft.error} onRetry={() => void draft.reload()} />;
  if (!draft.data || !media.data) return <Loading />;
  const existing = id ? draft.data.content.items.find((i) => i.id === id) : undefined;
  if (id && !existing)
    return (
      <div class="page">
        <PageHeader title={t("item.editTitle", { id })} />
        <EmptyState action={<Link href="/library">{t("item.back")}</Link>}>{t("common.notFound", { id })}</EmptyState>
      </div>
    );
  if (kind === "gate-status" || existing?.kind === "gate-status")
    return <GateStatusEditor draft={draft.data} existing={existing?.kind === "gate-status" ? existing : undefined} />;
  return (
    <Editor
      draft={draft.data}
      media={media.data}
      initial={existing ? formOf(existing) : newForm(kind as Kind, location.value.query.get("media") ?? "")}
      isNew={!existing}
      onHostsChanged={() => void draft.reload()}
    />
  );
}

function Editor({
  draft,
  media,
  initial,
  isNew,
  onHostsChanged,
}: {
  draft: DraftView;
  media: MediaEntry[];
  initial: Form;
  isNew: boolean;
  onHostsChanged: () => void;
}) {
  const [form, setForm] = useState<Form>(initial);
  const [saved, setSaved] = useState<Form>(initial);
  const [target, setTarget] = useState<PreviewTarget>(defaultTarget(draft.content.screens));
  const [fitted, setFitted] = useState<PreviewFit | null>(null);
  const mine = scope.value;
  // a contributor edits only items inside its scope (the controller checks it again)
  const editable =
    can("editor") ||
    (mine !== null &&
      mine.categories.includes(form.category) &&
      (isNew || isAgencySource(initial.source, mine.agency)));
  const canAllowHosts = can("approver");
  const dirty = JSON.stringify(form) !== JSON.stringify(saved);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  const candidate = itemOf(form);
  const checked = useCheckedForm(ItemSchema, candidate, {
    dirty,
    fields: /^(id|category|duration|valid(\.|$)|link|title|body|caption|layout|media|fit|url|kind|source|gates)/,
  });
  const { errors, busy } = checked;
  const previewItem = candidate as unknown as Item;
  const usage = itemUsage(draft.content).get(form.id) ?? [];
  const gateLanguages = languagesOfGates(draft.content, itemGates(draft.content).get(form.id) ?? []);
  const preview = resolveTarget(target, draft.content.screens, draft.content.gates);
  const reading = readingSeconds(form);
  const duration = Number(form.duration);
  const panel = panelOf(preview.screen);
  // what the kiosk's renderer measured in the preview, judged for the chosen screen as the release check does
  const parsed = ItemSchema.safeParse(candidate).data;
  const shortfalls =
    fitted && parsed
      ? judgeItem(
          parsed,
          panel,
          {
            item: parsed.id,
            screen: preview.screen.id,
            viewport: fitted.viewport,
            pages: fitted.pages,
            texts: fitted.texts.map((x) => ({
              lang: x.lang,
              script: x.script,
              role: x.role,
              heightPx: x.heightPx,
              contrast: null,
            })),
          },
          parsed.duration,
        ).filter((x) => x.kind !== "reading-time" || x.pages > 1)
      : [];

  const save = (e: Event) => {
    e.preventDefault();
    return checked.submit(
      async (value) => {
        if (isNew) await call(routes.content.items.create, { body: value });
        else await call(routes.content.items.put, { params: { id: value.id }, body: value });
      },
      (value) => {
        setSaved(form);
        if (isNew) {
          toast(t("item.created", { id: value.id }));
          navigate(`/library/items/${value.id}`, { replace: true });
        } else toast(t("common.saved"));
      },
    );
  };

  const remove = async () => {
    const ok = await confirm({
      title: t("item.delete"),
      message: t("item.deleteConfirm", { id: form.id }),
      confirmLabel: t("common.delete"),
      danger: true,
    });
    if (!ok) return;
    try {
      await call(routes.content.items.remove, { params: { id: initial.id } });
      checked.release();
      toast(t("common.deleted", { id: initial.id }));
      navigate("/library");
    } catch (err) {
      checked.fail(err);
    }
  };

  let urlHost: string | null = null;
  try {
    urlHost = form.url ? new URL(form.url).hostname.toLowerCase() : null;
  } catch {
    urlHost = null;
  }
  const hostOk = urlHost ? hostAllowed(form.url, draft.content.webHosts) : true;
  const allowHost = async () => {
    if (!urlHost || !WebHost.safeParse(urlHost).success) return;
    try {
      await call(routes.content.setWebHosts, { body: { hosts: [...draft.content.webHosts, urlHost] } });
      toast(t("item.hostAllowed", { host: urlHost }));
      onHostsChanged();
    } catch (err) {
      toast(errorText(err), "error");
    }
  };

  const title = isNew ? t("item.newTitle", { kind: kindLabel(form.kind) }) : t("item.editTitle", { id: initial.id });

  return (
    <div class="page page-wide">
      <p class="crumb">
        <Link href="/library">{t("item.back")}</Link>
      </p>
      <PageHeader title={title}>
        {!isNew && editable ? (
          <button type="button" class="btn btn-danger-quiet" onClick={() => void remove()}>
            {t("item.delete")}
          </button>
        ) : null}
      </PageHeader>
      {!editable ? <p class="notice notice-info">{t("common.readOnly", { role: t("role.viewer") })}</p> : null}
      <div class="editor-split">
        <form class="editor-form" onSubmit={save} noValidate aria-labelledby="page-title">
          <div class="grid-4 item-basics">
            <TextField
              label={t("item.id")}
              value={form.id}
              onValue={(v) => set({ id: v.toLowerCase() })}
              error={errors.get("id")}
              placeholder={isNew ? t("item.idPlaceholder") : undefined}
              title={t("item.idHint")}
              disabled={!isNew || !editable}
              spellcheck={false}
              autocomplete="off"
              required
            />
            <SelectField
              label={t("item.category")}
              value={form.category}
              options={(mine?.categories ?? Category.options).map((c) => ({ value: c, label: categoryLabel(c) }))}
              onValue={(v) => set({ category: v })}
              error={errors.get("category")}
              disabled={!editable}
            />
            <TextField
              label={t("item.duration")}
              value={form.duration}
              onValue={(v) => set({ duration: v })}
              error={errors.get("duration")}
              inputMode="decimal"
              disabled={!editable}
              required
            />
            {form.kind === "notice" ? (
              <SelectField
                label={t("item.layout")}
                value={form.layout}
                options={NoticeLayout.options.map((l) => ({ value: l, label: t(`layout.${l}` as Key) }))}
                onValue={(v) => set({ layout: v })}
                error={errors.get("layout")}
                disabled={!editable}
              />
            ) : form.kind === "image" ? (
              <SelectField
                label={t("item.fit")}
                value={form.fit}
                options={(["cover", "contain"] as const).map((f) => ({ value: f, label: t(`fit.${f}`) }))}
                onValue={(v) => set({ fit: v })}
                disabled={!editable}
              />
            ) : (
              <div />
            )}
          </div>
          <div class="grid-3">
            <DateField
              label={t("item.validFrom")}
              value={form.validFrom}
              onValue={(v) => set({ validFrom: v })}
              error={errors.get("valid.from") ?? errors.get("valid")}
              disabled={!editable}
              strict
            />
            <DateField
              label={t("item.validTo")}
              value={form.validTo}
              onValue={(v) => set({ validTo: v })}
              error={errors.get("valid.to")}
              disabled={!editable}
              strict
            />
            <TextField
              label={t("item.link")}
              aside={t("common.optional")}
              value={form.link}
              onValue={(v) => set({ link: v })}
              error={errors.get("link")}
              type="url"
              placeholder="https://"
              disabled={!editable}
            />
          </div>
          {form.kind === "image" || form.kind === "video" ? (
            <MediaPicker
              kind={form.kind}
              value={form.media}
              onValue={(sha) => set({ media: sha })}
              media={media}
              error={errors.get("media")}
              disabled={!editable}
            />
          ) : null}
          {form.kind === "web" ? (
            <div>
              <TextField
                label={t("item.url")}
                value={form.url}
                onValue={(v) => set({ url: v })}
                error={errors.get("url")}
                type="url"
                placeholder="https://"
                disabled={!editable}
                hint={
                  draft.content.webHosts.length
                    ? t("item.allowedHosts", { hosts: draft.content.webHosts.join(", ") })
                    : t("item.noHosts")
                }
              />
              {urlHost && !hostOk && editable ? (
                // the allowlist constrains editors: only approvers and admins change it
                canAllowHosts ? (
                  <button type="button" class="btn btn-small" onClick={() => void allowHost()}>
                    {t("item.allowHost", { host: urlHost })}
                  </button>
                ) : (
                  <p class="notice notice-info small" data-testid="host-needs-approver">
                    {t("item.hostNeedsApprover", { host: urlHost })}
                  </p>
                )
              ) : null}
            </div>
          ) : null}
          <h2 class="section-title">{form.kind === "notice" ? t("item.languages") : t("item.caption")}</h2>
          <p class="muted small">
            <span class="req">*</span> {t("item.requiredNote")}
            {ZH_REQUIRED.has(form.category) ? ` ${t("library.zhRequired")}.` : ""}
          </p>
          <LanguageColumns form={form} set={set} errors={errors} disabled={!editable} gateLanguages={gateLanguages} />
          <SourceFields
            value={form.source}
            onValue={(source) => set({ source })}
            category={form.category}
            errors={errors}
            disabled={!editable}
            {...(mine ? { agencies: AGENCIES.filter((a) => a.id === mine.agency) } : {})}
          />
          {Number.isFinite(duration) && reading > duration ? (
            <p class="notice notice-warn small">{t("item.readingTime", { s: Math.ceil(reading) })}</p>
          ) : null}
          <ErrorBox error={checked.error} unclaimed={checked.unclaimed} />
          {usage.length ? (
            <p class="muted small">{t("item.usedIn", { list: usage.map((p) => p.name).join(", ") })}</p>
          ) : null}
          {editable ? (
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {busy ? t("common.saving") : t("common.save")}
              </button>
              <span class="muted small">{t("common.draftNote")}</span>
            </div>
          ) : null}
        </form>
        <aside class="editor-preview" aria-label={t("item.preview")}>
          <h2 class="section-title">{t("item.preview")}</h2>
          <ScreenPicker
            value={target}
            onValue={setTarget}
            screens={draft.content.screens}
            gates={draft.content.gates}
          />
          <KioskPreview
            gate={preview.gate}
            screen={preview.screen}
            item={previewItem}
            media={media}
            webHosts={draft.content.webHosts}
            maxHeight={preview.orientation === "portrait" ? 560 : 420}
            label={t("item.previewLabel", { screen: preview.label })}
            onFitted={setFitted}
          />
          <div role="status" data-testid="readability-live">
            {shortfalls.map((x) => (
              <p
                key={`${x.lang}:${x.kind}`}
                class={`notice small ${x.severity === "blocking" ? "notice-error" : "notice-warn"}`}
                data-testid="readability-warning"
                data-severity={x.severity}
              >
                <strong>{x.lang ? LANG_NAME[x.lang] : ""}</strong> {shortfallText(x)}
              </p>
            ))}
            {fitted && fitted.pages > 1 ? (
              <p class="muted small">{t("readability.pages", { pages: fitted.pages })}</p>
            ) : null}
            {fitted && fitted.texts.length > 0 && shortfalls.length === 0 ? (
              <p class="muted small" data-testid="readability-ok">
                {t("readability.ok", { m: panel.viewingDistanceM, screen: preview.label })}
              </p>
            ) : null}
          </div>
          {form.kind === "notice" && form.layout === "alternate" ? (
            <p class="muted small">{t("item.alternateHint")}</p>
          ) : null}
        </aside>
      </div>
    </div>
  );
}
