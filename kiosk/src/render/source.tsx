import { type Language, type Source, sourceText } from "@gatecast/playlists";
import { LANG_TAG } from "./text.ts";

/** Who issued the item, small along its bottom edge, in each of the item's languages. */
export function SourceLine({ source, langs }: { source: Source; langs: readonly Language[] }) {
  return (
    <footer class="item-source" data-testid="item-source">
      {langs.map((l) => (
        <span key={l} class={`item-source-line lang-${l}`} lang={LANG_TAG[l]}>
          {sourceText(source, l)}
        </span>
      ))}
    </footer>
  );
}
