import { CATEGORY_LABEL, type Category } from "@gatecast/playlists";

export function CategoryChip({ category }: { category: Category }) {
  const label = CATEGORY_LABEL[category];
  return (
    <div class="chip">
      <span lang="vi">{label.vi}</span>
      <span class="chip-sep" aria-hidden="true" />
      <span lang="zh-Hans">{label.zh}</span>
    </div>
  );
}
