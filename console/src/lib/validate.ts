import { useEffect } from "preact/hooks";
import { ApiError, type Issue } from "./api.ts";

/** Any domain schema from @gatecast/playlists: only what the console needs of it. */
export interface Schema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** The schema's problems with `value`, as the controller would report them (dotted paths). */
export function check<T>(schema: Schema<T>, value: unknown): { data: T | null; issues: Issue[] } {
  const r = schema.safeParse(value);
  if (r.success) return { data: r.data, issues: [] };
  return {
    data: null,
    issues: r.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
  };
}

/** A form that did not pass its own schema: shown like the controller's 400. */
export const invalid = (issues: Issue[]) => new ApiError(400, "invalid", issues);

/**
 * Once a save was tried, checks the form again on every change so an error disappears as soon as it
 * is fixed (and a new one shows at once).
 */
export function useRecheck<T>(
  schema: Schema<T>,
  candidate: unknown,
  active: boolean,
  setIssues: (i: Issue[]) => void,
  setError: (e: unknown) => void,
  extra?: (value: unknown) => Issue[],
): void {
  const key = JSON.stringify(candidate);
  useEffect(() => {
    if (!active) return;
    const issues = [...check(schema, candidate).issues, ...(extra?.(candidate) ?? [])];
    setIssues(issues);
    setError(issues.length ? invalid(issues) : null);
  }, [key, active]);
}

export interface FormState {
  setSubmitted: (v: boolean) => void;
  setIssues: (i: Issue[]) => void;
  setError: (e: unknown) => void;
  setBusy: (v: boolean) => void;
}

/**
 * A form's save: checks the value with its domain schema first (issues next to the fields, nothing
 * sent), then `send`s it; the controller's own issues land on the same fields.
 */
export async function submitChecked<T>(
  schema: Schema<T>,
  candidate: unknown,
  form: FormState,
  send: (value: T) => Promise<void>,
) {
  form.setSubmitted(true);
  const parsed = check(schema, candidate);
  if (!parsed.data) {
    form.setIssues(parsed.issues);
    form.setError(invalid(parsed.issues));
    return;
  }
  form.setIssues([]);
  form.setError(null);
  form.setBusy(true);
  try {
    await send(parsed.data);
  } catch (err) {
    if (err instanceof ApiError) form.setIssues(err.issues);
    form.setError(err);
  } finally {
    form.setBusy(false);
  }
}
