import type { ApiIssue } from "@gatecast/playlists/api";
import { signal } from "@preact/signals";
import type { ComponentChildren, InputHTMLAttributes, TextareaHTMLAttributes } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { t } from "../i18n.ts";
import { ApiError } from "../lib/api.ts";
import { formatLocalDate, parseLocalDate, parseLocalTime } from "../lib/format.ts";
import { errorText, issueText } from "../lib/messages.ts";

/* ---------- fields ---------- */

interface FieldProps {
  label: ComponentChildren;
  /** Error from validation (client or server), shown under the control and tied to it for screen readers. */
  error?: string | undefined;
  hint?: ComponentChildren;
  /** Right of the label: a character count, "optional"… */
  aside?: ComponentChildren;
  class?: string;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
}

/** A label, its control, a hint and an error: the control gets the ids it needs from `children`. */
export function Field({ label, error, hint, aside, class: cls, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field${error ? " field-invalid" : ""}${cls ? ` ${cls}` : ""}`}>
      <div class="field-label-row">
        <label for={id} class="field-label">
          {label}
        </label>
        {aside ? <span class="field-aside">{aside}</span> : null}
      </div>
      {children({ id, describedBy, invalid: !!error })}
      {error ? (
        <div class="field-error" id={errorId} role="alert">
          {error}
        </div>
      ) : null}
      {hint ? (
        <div class="field-hint" id={hintId}>
          {hint}
        </div>
      ) : null}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "onInput" | "value" | "label"> & {
  label: ComponentChildren;
  value: string;
  onValue: (v: string) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  aside?: ComponentChildren;
  fieldClass?: string;
};

export function TextField({ label, value, onValue, error, hint, aside, fieldClass, ...rest }: InputProps) {
  return (
    <Field label={label} error={error} hint={hint} aside={aside} class={fieldClass}>
      {({ id, describedBy, invalid }) => (
        <input
          type="text"
          {...rest}
          id={id}
          value={value}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onInput={(e) => onValue(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

type AreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "onInput" | "value" | "label"> & {
  label: ComponentChildren;
  value: string;
  onValue: (v: string) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  aside?: ComponentChildren;
  fieldClass?: string;
};

export function TextArea({ label, value, onValue, error, hint, aside, fieldClass, ...rest }: AreaProps) {
  return (
    <Field label={label} error={error} hint={hint} aside={aside} class={fieldClass}>
      {({ id, describedBy, invalid }) => (
        <textarea
          {...rest}
          id={id}
          value={value}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onInput={(e) => onValue(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

interface SelectProps<T extends string> {
  label: ComponentChildren;
  value: T;
  options: readonly { value: T; label: string }[];
  onValue: (v: T) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  disabled?: boolean;
  fieldClass?: string;
  testId?: string;
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onValue,
  error,
  hint,
  disabled,
  fieldClass,
  testId,
}: SelectProps<T>) {
  return (
    <Field label={label} error={error} hint={hint} class={fieldClass}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          value={value}
          disabled={disabled}
          data-testid={testId}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => onValue(e.currentTarget.value as T)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

interface DateProps {
  label: ComponentChildren;
  /** "YYYY-MM-DD" or "" */
  value: string;
  onValue: (v: string) => void;
  error?: string | undefined;
  disabled?: boolean;
  fieldClass?: string;
  /**
   * In a form that is saved: text that is not a date (or time) is handed on as typed, so the form's
   * schema refuses it and nothing is saved, rather than keeping the last good value behind the
   * person's back. Filters leave it off and keep their last good value.
   */
  strict?: boolean;
}

/** A date typed as dd/mm/yyyy (the Vietnamese way, whatever the browser's locale), kept as YYYY-MM-DD. */
export function DateField({ label, value, onValue, error, disabled, fieldClass, strict }: DateProps) {
  const [text, setText] = useState(formatLocalDate(value));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    if (parseLocalDate(text) !== value && !(text === "" && value === "") && text !== value)
      setText(formatLocalDate(value));
  }, [value]); // eslint-style exhaustive deps would reset what the person is typing
  const commit = (s: string) => {
    if (s.trim() === "") {
      setBad(false);
      onValue("");
      return;
    }
    const d = parseLocalDate(s);
    setBad(d === null);
    if (d) {
      setText(formatLocalDate(d));
      onValue(d);
    } else if (strict) onValue(s);
  };
  return (
    <Field label={label} error={bad ? t("common.badDate") : error} class={fieldClass}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type="text"
          inputMode="numeric"
          class="input-date"
          placeholder={t("common.dateFormat")}
          value={text}
          disabled={disabled}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onInput={(e) => {
            setText(e.currentTarget.value);
            const d = parseLocalDate(e.currentTarget.value);
            if (d) {
              setBad(false);
              onValue(d);
            } else if (e.currentTarget.value.trim() === "") onValue("");
            else if (strict) onValue(e.currentTarget.value);
          }}
          onBlur={(e) => commit(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

/** A 24-hour time typed as HH:mm, kept as "HH:MM". */
export function TimeField({ label, value, onValue, error, disabled, fieldClass, strict }: DateProps) {
  const [text, setText] = useState(value);
  const [bad, setBad] = useState(false);
  useEffect(() => {
    if (parseLocalTime(text) !== value && text !== value) setText(value);
  }, [value]);
  return (
    <Field label={label} error={bad ? t("common.badTime") : error} class={fieldClass}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type="text"
          inputMode="numeric"
          class="input-time"
          placeholder={t("common.timeFormat")}
          value={text}
          disabled={disabled}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onInput={(e) => {
            setText(e.currentTarget.value);
            const v = parseLocalTime(e.currentTarget.value);
            if (v) {
              setBad(false);
              onValue(v);
            } else if (strict) onValue(e.currentTarget.value);
          }}
          onBlur={(e) => {
            const v = parseLocalTime(e.currentTarget.value);
            setBad(v === null);
            if (v) setText(v);
          }}
        />
      )}
    </Field>
  );
}

interface CheckGroupProps<T extends string> {
  legend: ComponentChildren;
  options: readonly { value: T; label: string }[];
  value: readonly T[];
  onValue: (v: T[]) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  disabled?: boolean;
  extra?: ComponentChildren;
  class?: string;
}

/** Checkboxes in a fieldset; the value keeps the options' order. */
export function CheckGroup<T extends string>({
  legend,
  options,
  value,
  onValue,
  error,
  hint,
  disabled,
  extra,
  class: cls,
}: CheckGroupProps<T>) {
  const id = useId();
  return (
    <fieldset
      class={`checkgroup${error ? " field-invalid" : ""}${cls ? ` ${cls}` : ""}`}
      aria-describedby={error ? `${id}-e` : undefined}
    >
      <legend>{legend}</legend>
      <div class="checkgroup-options">
        {options.map((o) => (
          <label key={o.value} class="check">
            <input
              type="checkbox"
              checked={value.includes(o.value)}
              disabled={disabled}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                onValue(options.map((x) => x.value).filter((v) => (v === o.value ? on : value.includes(v))));
              }}
            />
            <span>{o.label}</span>
          </label>
        ))}
        {extra}
      </div>
      {error ? (
        <div class="field-error" id={`${id}-e`} role="alert">
          {error}
        </div>
      ) : null}
      {hint ? <div class="field-hint">{hint}</div> : null}
    </fieldset>
  );
}

interface RadioGroupProps<T extends string> {
  legend: ComponentChildren;
  name: string;
  options: readonly { value: T; label: ComponentChildren }[];
  value: T;
  onValue: (v: T) => void;
  class?: string;
  disabled?: boolean;
}

export function RadioGroup<T extends string>({
  legend,
  name,
  options,
  value,
  onValue,
  class: cls,
  disabled,
}: RadioGroupProps<T>) {
  return (
    <fieldset class={`radiogroup${cls ? ` ${cls}` : ""}`}>
      <legend>{legend}</legend>
      <div class="checkgroup-options">
        {options.map((o) => (
          <label key={o.value} class="check">
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={value === o.value}
              disabled={disabled}
              onChange={() => onValue(o.value)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/* ---------- feedback ---------- */

export function Loading({ label }: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" /> {label ?? t("common.loading")}
    </p>
  );
}

export function EmptyState({ children, action }: { children: ComponentChildren; action?: ComponentChildren }) {
  return (
    <div class="empty" data-testid="empty-state">
      <p>{children}</p>
      {action}
    </div>
  );
}

/** A failed request: its message, the issues it listed that no field claimed, and a retry button. */
export function ErrorBox({
  error,
  onRetry,
  unclaimed,
}: {
  error: unknown;
  onRetry?: () => void;
  /** Issues no field shows (e.g. problems elsewhere in the draft). */
  unclaimed?: readonly ApiIssue[];
}) {
  if (!error) return null;
  const issues = unclaimed ?? (error instanceof ApiError && error.code !== "validation" ? error.issues : []);
  return (
    <div class="notice notice-error" role="alert">
      <strong>{errorText(error)}</strong>
      {issues.length > 0 ? (
        <ul class="issue-list">
          {issues.map((i) => (
            <li key={`${i.path}:${i.code}:${JSON.stringify(i.params)}`}>
              {i.path ? <code>{i.path}</code> : null} {issueText(i)}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" class="btn btn-small" onClick={onRetry}>
          {t("common.retry")}
        </button>
      ) : null}
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1 id="page-title">{title}</h1>
      {children ? <div class="page-actions">{children}</div> : null}
    </div>
  );
}

/* ---------- toasts ---------- */

interface Toast {
  id: number;
  text: string;
  kind: "ok" | "error" | "info";
}
const toasts = signal<Toast[]>([]);
let toastSeq = 0;

export function toast(text: string, kind: Toast["kind"] = "ok"): void {
  const id = ++toastSeq;
  toasts.value = [...toasts.value, { id, text, kind }].slice(-4);
  setTimeout(
    () => {
      toasts.value = toasts.value.filter((x) => x.id !== id);
    },
    kind === "error" ? 12_000 : 5_000,
  );
}

export function Toasts() {
  return (
    <div class="toasts" aria-live="polite" aria-atomic="false">
      {toasts.value.map((x) => (
        <div key={x.id} class={`toast toast-${x.kind}`} role={x.kind === "error" ? "alert" : "status"}>
          <span>{x.text}</span>
          <button
            type="button"
            class="toast-close"
            aria-label={t("common.close")}
            onClick={() => {
              toasts.value = toasts.value.filter((y) => y.id !== x.id);
            }}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/* ---------- dialogs ---------- */

interface DialogRequest {
  title: string;
  message?: ComponentChildren;
  confirmLabel?: string;
  cancelLabel?: string | null;
  danger?: boolean;
  input?: { label: string; value?: string; placeholder?: string; required?: boolean };
  resolve: (r: { ok: boolean; value: string }) => void;
}
const dialog = signal<DialogRequest | null>(null);

/** A modal question; resolves with ok and the typed text when it asks for one. */
export function ask(opts: Omit<DialogRequest, "resolve">): Promise<{ ok: boolean; value: string }> {
  return new Promise((resolve) => {
    dialog.value?.resolve({ ok: false, value: "" });
    dialog.value = { ...opts, resolve };
  });
}

export const confirm = async (opts: Omit<DialogRequest, "resolve" | "input">): Promise<boolean> => (await ask(opts)).ok;

export function DialogHost() {
  const req = dialog.value;
  const ref = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState("");
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (req) {
      setValue(req.input?.value ?? "");
      if (!el.open) el.showModal();
    } else if (el.open) el.close();
  }, [req]);
  const finish = (ok: boolean) => {
    const r = dialog.value;
    dialog.value = null;
    r?.resolve({ ok, value });
  };
  const inputId = useId();
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby="dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        finish(false);
      }}
    >
      {req ? (
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            if (req.input?.required && !value.trim()) return;
            finish(true);
          }}
        >
          <h2 id="dialog-title">{req.title}</h2>
          {req.message ? <div class="dialog-body">{req.message}</div> : null}
          {req.input ? (
            <div class="field">
              <label class="field-label" for={inputId}>
                {req.input.label}
              </label>
              <input
                id={inputId}
                type="text"
                value={value}
                placeholder={req.input.placeholder}
                required={req.input.required}
                onInput={(e) => setValue(e.currentTarget.value)}
              />
            </div>
          ) : null}
          <div class="dialog-actions">
            {req.cancelLabel === null ? null : (
              <button type="button" class="btn" onClick={() => finish(false)}>
                {req.cancelLabel ?? t("common.cancel")}
              </button>
            )}
            <button type="submit" class={`btn ${req.danger ? "btn-danger" : "btn-primary"}`} autofocus>
              {req.confirmLabel ?? t("common.confirm")}
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}

/* ---------- small pieces ---------- */

export function Badge({
  kind = "neutral",
  children,
  title,
}: {
  kind?: string;
  children: ComponentChildren;
  title?: string;
}) {
  return (
    <span class={`badge badge-${kind}`} title={title}>
      {children}
    </span>
  );
}

/** A character count that turns red past `max`. */
export function CharCount({ text, max }: { text: string; max: number }) {
  const n = [...text].length;
  return <span class={n > max ? "count count-over" : "count"}>{t("common.chars", { n, max })}</span>;
}

/** Tags typed as "a, b, c". */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\s]+/)
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}
