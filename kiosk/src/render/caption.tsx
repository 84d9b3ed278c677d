import type { Localized } from "@gatecast/playlists";
import { useRef } from "preact/hooks";
import { readableFloor, usePages } from "./paging.ts";
import { LANG_TAG, languagesOf } from "./text.ts";
import { screenCap, useFit } from "./use-fit.ts";

/**
 * A caption band over an image, a video or a web page: each language on its own line, fitted, never
 * below the screen's readable size (in pages over the item's turn when it is too long for that).
 */
export function Caption({ text, turn }: { text: Localized; turn: { item: string; startsAt: number; endsAt: number } }) {
  const box = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const langs = languagesOf(text);
  const { pages, page, onPages } = usePages(turn.item, turn.startsAt, turn.endsAt);
  useFit(box, content, [text], { max: () => screenCap(0.05), floor: readableFloor, onPages, growTo: 0.45 });
  return (
    <div class="caption" style={{ "--page": String(page) }} data-pages={pages} data-page={page}>
      <div class="fit-box" ref={box}>
        <div class="fit-content caption-content" ref={content}>
          {langs.map((l) => (
            <p key={l} class={`caption-line lang-${l}`} lang={LANG_TAG[l]}>
              {text[l]}
            </p>
          ))}
        </div>
      </div>
    </div>
  );
}
