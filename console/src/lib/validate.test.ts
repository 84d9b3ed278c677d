import { Playlist } from "@gatecast/playlists";
import type { ApiIssue } from "@gatecast/playlists/api";
import { describe, expect, it } from "vitest";
import { ApiError } from "./api.ts";
import { type FormState, submitChecked } from "./validate.ts";

/** A form's state as the hook keeps it, with every change recorded. */
function formState() {
  const log: string[] = [];
  const state = { submitted: false, issues: [] as ApiIssue[], error: null as unknown, busy: false };
  const form: FormState = {
    setSubmitted: (v) => {
      state.submitted = v;
    },
    setIssues: (i) => {
      state.issues = i;
    },
    setError: (e) => {
      state.error = e;
    },
    setBusy: (v) => {
      state.busy = v;
      log.push(v ? "busy" : "idle");
    },
  };
  return { form, state, log };
}

const good = { id: "gio-cao-diem", name: "Giờ cao điểm", items: ["notice-currency"] };

describe("submitChecked: a form's save", () => {
  it("sends nothing when the schema refuses, and puts each problem on its field", async () => {
    const { form, state, log } = formState();
    const sent: unknown[] = [];
    const ok = await submitChecked(Playlist, { ...good, id: "", items: [] }, form, async (v) => {
      sent.push(v);
    });
    expect(ok).toBe(false);
    expect(sent).toEqual([]);
    expect(log).toEqual([]);
    expect(state.submitted).toBe(true);
    expect(state.issues.map((i) => [i.path, i.code])).toEqual([
      ["id", "invalid_format"],
      ["items", "too_small"],
    ]);
    expect(state.error).toBeInstanceOf(ApiError);
  });

  it("sends the parsed value, busy while it is on its way, and is no longer 'submitted' once saved", async () => {
    const { form, state, log } = formState();
    const sent: unknown[] = [];
    const ok = await submitChecked(Playlist, good, form, async (v) => {
      expect(state.busy).toBe(true);
      sent.push(v);
    });
    expect(ok).toBe(true);
    expect(sent).toEqual([good]);
    expect(log).toEqual(["busy", "idle"]);
    expect(state).toMatchObject({ submitted: false, issues: [], error: null, busy: false });
  });

  it("puts the controller's issues on the same fields when it refuses the save", async () => {
    const { form, state } = formState();
    const refusal = new ApiError(400, "validation", "invalid playlist", [
      { path: "items.0", code: "unknown-ref", message: "", params: { kind: "item", id: "notice-currency" } },
    ]);
    const ok = await submitChecked(Playlist, good, form, () => Promise.reject(refusal));
    expect(ok).toBe(false);
    expect(state.issues).toEqual(refusal.issues);
    expect(state.error).toBe(refusal);
    expect(state.busy).toBe(false);
    expect(state.submitted).toBe(true);
  });
});
