import type { ScriptIssue, ScriptTools } from "@gatecast/playlists/script";
import { useEffect, useState } from "preact/hooks";
import { issueText } from "./messages.ts";

/*
 * The script checks in the console: OpenCC's tables and the kiosk's font coverage load on first use
 * (a chunk of their own), so pages without a text field never fetch them.
 */

type ScriptModule = typeof import("@gatecast/playlists/script");
let loading: Promise<{ mod: ScriptModule; tools: ScriptTools }> | undefined;

function load() {
  loading ??= import("@gatecast/playlists/script").then(async (mod) => ({ mod, tools: await mod.loadScriptTools() }));
  return loading;
}

/** The checks and their tools once loaded (null until then). */
export function useScripts(): { mod: ScriptModule; tools: ScriptTools } | null {
  const [ready, setReady] = useState<{ mod: ScriptModule; tools: ScriptTools } | null>(null);
  useEffect(() => {
    let live = true;
    void load().then((r) => live && setReady(r));
    return () => {
      live = false;
    };
  }, []);
  return ready;
}

/** A script issue in the operator's words (as the controller's refusal would say it). */
export const scriptText = (i: ScriptIssue): string => issueText({ code: i.code, params: i.params });

/** Issues by dotted path (`title.zh`), the first at each. */
export function byPath(issues: readonly ScriptIssue[]): Map<string, ScriptIssue[]> {
  const out = new Map<string, ScriptIssue[]>();
  for (const i of issues) {
    const k = i.path.join(".");
    out.set(k, [...(out.get(k) ?? []), i]);
  }
  return out;
}
