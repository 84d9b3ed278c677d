import type { Shortfall } from "@gatecast/playlists";
import { lang, t } from "../i18n.ts";

const mm = (n: number) =>
  (Math.round(n * 10) / 10).toLocaleString(lang.value === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 1 });

/** One shortfall in the operator's words: "chữ cao 14 mm — cần ít nhất 22 mm ở 5 m". */
export function shortfallText(s: Shortfall): string {
  switch (s.kind) {
    case "text-size":
      return t(s.severity === "blocking" ? "readability.size" : "readability.sizePreferred", {
        mm: mm(s.measured),
        need: mm(s.required),
        m: mm(s.viewingDistanceM),
      });
    case "contrast":
      return t("readability.contrast", { ratio: s.measured.toFixed(1), need: s.required.toFixed(1) });
    case "reading-time":
      return s.pages > 1
        ? t("readability.timePaged", { pages: s.pages, shown: mm(s.measured), need: mm(s.required) })
        : t("readability.time", { shown: mm(s.measured), need: mm(s.required) });
    default:
      return t("readability.unchecked", { detail: s.detail ?? "" });
  }
}

export const LANG_NAME: Record<string, string> = { vi: "Tiếng Việt", zh: "中文", en: "English" };
