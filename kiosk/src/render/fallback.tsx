import type { Category, Localized } from "@gatecast/playlists";
import { useEffect, useRef } from "preact/hooks";
import { manifest } from "../app/state.ts";
import { CategoryChip } from "./chip.tsx";
import { readableFloor } from "./paging.ts";
import { LinkQr } from "./qr.tsx";
import { LANG_TAG, languagesOf } from "./text.ts";
import { screenCap, useFit } from "./use-fit.ts";

/**
 * What stands in for an item that cannot be shown (a media file missing from the cache, a web page with
 * no network): its caption, or the gate's name, on the category's colour. Never a black frame.
 */
export function Fallback({
  category,
  text,
  link,
  onReady,
}: {
  category: Category;
  text?: Localized;
  link?: string;
  onReady: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const gate = manifest.value?.gate.name;
  const shown: Localized | undefined = text ?? gate;
  const langs = shown ? languagesOf(shown) : [];
  useFit(box, content, [shown], { max: () => screenCap(0.07), floor: readableFloor });
  useEffect(() => onReady(), [onReady]);
  return (
    <article class={`notice fallback cat-${category} layout-stacked`}>
      <CategoryChip category={category} />
      <div class="notice-main">
        <div class="fit-box" ref={box}>
          <div class="fit-content notice-content" ref={content}>
            {langs.map((l) => (
              <section key={l} class={`lang-block lang-${l}`} lang={LANG_TAG[l]}>
                <h1 class="notice-title">{shown?.[l]}</h1>
              </section>
            ))}
          </div>
        </div>
        {link && <LinkQr url={link} />}
      </div>
    </article>
  );
}
