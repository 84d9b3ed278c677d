import type { ScriptIssue } from "@gatecast/playlists/script";
import { t } from "../i18n.ts";
import { scriptText } from "../lib/scripts.ts";

/** What a script check says under a text field, with the Simplified form one click away. */
export function ScriptNotes({
  issues,
  onSimplify,
  quiet,
}: {
  issues: ScriptIssue[];
  onSimplify: (s: string) => void;
  /** The field already shows the refusal: only the way out. */
  quiet: boolean;
}) {
  return (
    <>
      {issues.map((i) => (
        <span key={i.code} class={`script-note script-${i.severity}`} data-testid={`script-${i.code}`}>
          {quiet ? null : i.severity === "warning" ? t("script.warning", { text: scriptText(i) }) : scriptText(i)}
          {i.code === "traditional-chinese" && i.params.simplified ? (
            <button type="button" class="btn btn-small" onClick={() => onSimplify(i.params.simplified ?? "")}>
              {t("script.useSimplified")}
            </button>
          ) : null}
        </span>
      ))}
    </>
  );
}
