import { checkInput } from "@gatecast/playlists";
import type { ApiIssue } from "@gatecast/playlists/api";
import type { z } from "zod";
import { ApiError } from "./api.ts";

/** A form that did not pass its own schema: shown like the controller's 400. */
export const invalid = (issues: ApiIssue[]) => new ApiError(400, "validation", "invalid", issues);

export interface FormState {
  setSubmitted: (v: boolean) => void;
  setIssues: (i: ApiIssue[]) => void;
  setError: (e: unknown) => void;
  setBusy: (v: boolean) => void;
}

/**
 * A form's save: checks the value with its domain schema first (issues next to the fields, nothing
 * sent), then `send`s it; the controller's own issues land on the same fields. Resolves true when it
 * was saved. `ask`, when given, is asked once the value passes (a confirmation that names what the
 * value means); a no sends nothing and shows no error.
 */
export async function submitChecked<S extends z.ZodType>(
  schema: S,
  candidate: unknown,
  form: FormState,
  send: (value: z.output<S>) => Promise<void>,
  ask?: (value: z.output<S>) => Promise<boolean>,
): Promise<boolean> {
  form.setSubmitted(true);
  const parsed = checkInput(schema, candidate);
  if (!parsed.ok) {
    form.setIssues(parsed.issues);
    form.setError(invalid(parsed.issues));
    return false;
  }
  form.setIssues([]);
  form.setError(null);
  if (ask && !(await ask(parsed.data))) return false;
  form.setBusy(true);
  try {
    await send(parsed.data);
    form.setSubmitted(false);
    return true;
  } catch (err) {
    if (err instanceof ApiError) form.setIssues(err.issues);
    form.setError(err);
    return false;
  } finally {
    form.setBusy(false);
  }
}

/** The schema's problems with a value, as the controller would report them. */
export const issuesOf = (schema: z.ZodType, value: unknown): ApiIssue[] => {
  const r = checkInput(schema, value);
  return r.ok ? [] : r.issues;
};
