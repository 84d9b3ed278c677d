import type { Localized } from "@gatecast/playlists";
import { useRef } from "preact/hooks";
import { LANG_TAG, languagesOf } from "./text.ts";
import { screenCap, useFit } from "./use-fit.ts";

/** A caption band over an image, a video or a web page: each language on its own line, fitted. */
export function Caption({ text }: { text: Localized }) {
  const box = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const langs = languagesOf(text);
  useFit(box, content, [text], { max: () => screenCap(0.05) });
  return (
    <div class="caption">
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
