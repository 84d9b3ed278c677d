import type { ApiIssue } from "@gatecast/playlists/api";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { z } from "zod";
import { t } from "../i18n.ts";
import { issueMap } from "./messages.ts";
import { setLeaveGuard } from "./router.tsx";
import { invalid, issuesOf, submitChecked } from "./validate.ts";

/** Asks before leaving a page (in the console or the browser) while `dirty`. */
function useLeaveGuard(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) {
      setLeaveGuard(null);
      return;
    }
    setLeaveGuard(() => window.confirm(t("common.unsaved")));
    const before = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", before);
    return () => {
      window.removeEventListener("beforeunload", before);
      setLeaveGuard(null);
    };
  }, [dirty]);
}

export interface CheckedForm<S extends z.ZodType> {
  issues: ApiIssue[];
  /** Each field's problem, in the operator's words, by dotted path. */
  errors: Map<string, string>;
  /** The first problem at `prefix` or below it (a group of fields). */
  firstUnder: (prefix: string) => string | undefined;
  /** Issues no field claims (they go in the error box). */
  unclaimed: ApiIssue[];
  error: unknown;
  busy: boolean;
  /**
   * Checks, asks (`ask`, when given, once the value passes), sends, and on success clears the leave
   * guard and calls `then` (which may navigate).
   */
  submit: (
    send: (value: z.output<S>) => Promise<void>,
    then?: (value: z.output<S>) => void,
    ask?: (value: z.output<S>) => Promise<boolean>,
  ) => Promise<void>;
  /** Shows a failure of something other than the save (a refused delete). */
  fail: (err: unknown) => void;
  /** The edits are dealt with some other way (the object was deleted): leave without asking. */
  release: () => void;
}

/**
 * The state of an edit form: the schema check and the controller's issues on its fields, checked
 * again on every change once a save was tried (an error disappears as soon as it is fixed), the busy
 * flag, and a leave guard while the form differs from what was saved.
 */
export function useCheckedForm<S extends z.ZodType>(
  schema: S,
  candidate: unknown,
  opts: { dirty: boolean; fields: RegExp },
): CheckedForm<S> {
  const [issues, setIssues] = useState<ApiIssue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  useLeaveGuard(opts.dirty);

  const key = JSON.stringify(candidate);
  useEffect(() => {
    if (!submitted) return;
    const found = issuesOf(schema, candidate);
    setIssues(found);
    setError(found.length ? invalid(found) : null);
  }, [key, submitted]);

  const errors = useMemo(() => issueMap(issues), [issues]);
  return {
    issues,
    errors,
    firstUnder: (prefix) => [...errors.entries()].find(([k]) => k === prefix || k.startsWith(`${prefix}.`))?.[1],
    unclaimed: issues.filter((i) => !opts.fields.test(i.path)),
    error,
    busy,
    async submit(send, then, ask) {
      let value: z.output<S> | undefined;
      const ok = await submitChecked(
        schema,
        candidate,
        { setSubmitted, setIssues, setError, setBusy },
        async (v) => {
          value = v;
          await send(v);
        },
        ask,
      );
      if (!ok || value === undefined) return;
      setLeaveGuard(null);
      then?.(value);
    },
    fail: setError,
    release: () => setLeaveGuard(null),
  };
}
