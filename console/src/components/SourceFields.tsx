import { AGENCIES, type Agency, type Category, SOURCE_REQUIRED, type Source } from "@gatecast/playlists";
import { type Key, lang, t } from "../i18n.ts";
import { LANGS, type ScreenLang } from "../screen/layout.ts";
import { DateField, SelectField, TextField } from "./ui.tsx";

/** The source part of an item form: the agency's name in each language, the document and its date. */
export interface SourceForm {
  agency: Record<ScreenLang, string>;
  document: string;
  date: string;
}

export const sourceFormOf = (s: Source | undefined): SourceForm => ({
  agency: { vi: s?.agency.vi ?? "", zh: s?.agency.zh ?? "", en: s?.agency.en ?? "" },
  document: s?.document ?? "",
  date: s?.date ?? "",
});

/** The source the form describes; undefined when no agency is named (a document alone says nothing). */
export function sourceOf(f: SourceForm): Record<string, unknown> | undefined {
  const agency: Record<string, string> = {};
  for (const l of LANGS) if (f.agency[l].trim()) agency[l] = f.agency[l].trim();
  if (!agency.vi && !agency.zh && !agency.en) return undefined;
  return {
    agency,
    ...(f.document.trim() ? { document: f.document.trim() } : {}),
    ...(f.date ? { date: f.date } : {}),
  };
}

export const agencyName = (a: Pick<Agency, "name">): string =>
  lang.value === "en" ? (a.name.en ?? a.name.vi) : a.name.vi;

/** The known agency whose Vietnamese name the form holds, if any. */
const knownAgency = (f: SourceForm) => AGENCIES.find((a) => a.name.vi === f.agency.vi.trim());

/**
 * Picks a known agency (filling its names) or types another; then the document and date. `agencies`
 * narrows the choice (a contributor writes for its own agency only).
 */
export function SourceFields({
  value,
  onValue,
  category,
  errors,
  disabled,
  agencies = AGENCIES,
}: {
  value: SourceForm;
  onValue: (s: SourceForm) => void;
  category: Category;
  errors: Map<string, string>;
  disabled: boolean;
  agencies?: readonly Agency[];
}) {
  const known = knownAgency(value);
  const required = SOURCE_REQUIRED.has(category);
  const pick = (id: string) => {
    const a = agencies.find((x) => x.id === id);
    onValue({
      ...value,
      agency: a ? { vi: a.name.vi, zh: a.name.zh ?? "", en: a.name.en ?? "" } : { vi: "", zh: "", en: "" },
    });
  };
  const agencyError = errors.get("source.agency") ?? errors.get("source.agency.vi") ?? errors.get("source");
  return (
    <fieldset class="source-fields" data-testid="source-fields">
      <legend>
        {t("source.label")}
        {required ? <span class="req"> *</span> : null}
      </legend>
      <p class="muted small">{t("source.hint")}</p>
      <SelectField
        label={t("source.agency")}
        value={known?.id ?? (value.agency.vi.trim() ? "other" : "")}
        options={[
          { value: "", label: t("source.agency.none") },
          ...agencies.map((a) => ({ value: a.id, label: agencyName(a) })),
          ...(agencies === AGENCIES ? [{ value: "other", label: t("source.agency.other") }] : []),
        ]}
        onValue={(v) => (v === "other" ? onValue({ ...value, agency: { vi: " ", zh: "", en: "" } }) : pick(v))}
        error={agencyError}
        disabled={disabled}
        testId="source-agency"
      />
      {!known && value.agency.vi !== "" ? (
        <div class="grid-3">
          {LANGS.map((l) => (
            <TextField
              key={l}
              label={`${t("source.agency")} — ${t(`lang.short.${l}` as Key)}`}
              value={value.agency[l].trimStart()}
              onValue={(v) => onValue({ ...value, agency: { ...value.agency, [l]: v } })}
              error={errors.get(`source.agency.${l}`)}
              lang={l === "zh" ? "zh-CN" : l}
              disabled={disabled}
            />
          ))}
        </div>
      ) : null}
      <div class="grid-3">
        <TextField
          label={t("source.document")}
          aside={t("common.optional")}
          value={value.document}
          onValue={(v) => onValue({ ...value, document: v })}
          error={errors.get("source.document")}
          disabled={disabled}
          data-testid="source-document"
        />
        <DateField
          label={t("source.date")}
          value={value.date}
          onValue={(v) => onValue({ ...value, date: v })}
          error={errors.get("source.date")}
          disabled={disabled}
        />
      </div>
    </fieldset>
  );
}
