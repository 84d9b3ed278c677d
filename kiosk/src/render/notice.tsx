import type { Language, NoticeItem } from "@gatecast/playlists";
import { useComputed } from "@preact/signals";
import { useRef } from "preact/hooks";
import { now, type Slot } from "../app/state.ts";
import { CategoryChip } from "./chip.tsx";
import { readableFloor, usePages } from "./paging.ts";
import { LinkQr } from "./qr.tsx";
import { LANG_TAG, languagesOf } from "./text.ts";
import { screenCap, useFit } from "./use-fit.ts";

/**
 * A bilingual notice. `stacked`: the languages one above the other; `side-by-side`: Vietnamese and
 * Chinese in two columns (stacked on a portrait screen), English across the bottom; `alternate`:
 * Vietnamese (with English) for the first half of the item's time, Chinese for the second.
 * One font size for the whole notice, the largest that fits but never below the screen's readable
 * size: a notice too long for that is shown in pages, each an equal share of its (half-)turn.
 */
export function Notice({ item, slot, onReady }: { item: NoticeItem; slot: Slot; onReady: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const all = languagesOf(item.title, item.body);
  const alternates = item.layout === "alternate" && all.includes("zh") && all.length > 1;
  const secondHalf = useComputed(() => alternates && now.value >= slot.startsAt + (slot.endsAt - slot.startsAt) / 2);
  const langs: Language[] = alternates ? (secondHalf.value ? ["zh"] : all.filter((l) => l !== "zh")) : all;
  const layout = item.layout === "side-by-side" && langs.includes("zh") ? "side-by-side" : "stacked";

  const mid = slot.startsAt + (slot.endsAt - slot.startsAt) / 2;
  const [from, to] = alternates
    ? secondHalf.value
      ? [mid, slot.endsAt]
      : [slot.startsAt, mid]
    : [slot.startsAt, slot.endsAt];
  const { pages, page, onPages } = usePages(item.id, from, to);

  useFit(box, content, [item, langs.join()], {
    max: () => screenCap(0.075),
    onFitted: onReady,
    floor: readableFloor,
    onPages,
  });

  return (
    <article
      class={`notice cat-${item.category} layout-${layout}`}
      style={{ "--page": String(page) }}
      data-pages={pages}
      data-page={page}
    >
      <CategoryChip category={item.category} />
      <div class="notice-main">
        <div class="fit-box" ref={box}>
          <div class="fit-content notice-content" ref={content}>
            {langs.map((l) => (
              <section key={l} class={`lang-block lang-${l}`} lang={LANG_TAG[l]}>
                {item.title[l] && <h1 class="notice-title">{item.title[l]}</h1>}
                {item.body[l] && <p class="notice-body">{item.body[l]}</p>}
              </section>
            ))}
          </div>
        </div>
        {item.link && <LinkQr url={item.link} />}
      </div>
      {pages > 1 && (
        <div class="pager" aria-hidden="true">
          {Array.from({ length: pages }, (_, i) => (
            <span key={i} class={i === page ? "pager-dot on" : "pager-dot"} />
          ))}
        </div>
      )}
    </article>
  );
}
