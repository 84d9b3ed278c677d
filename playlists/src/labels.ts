import type { Source } from "./schema/agency.ts";
import type { Language } from "./schema/common.ts";
import type { Category } from "./schema/content.ts";
import { localParts } from "./time.ts";

/**
 * The name of each category: the kiosk's chip shows `vi` and `zh` to travellers, the console `vi` or
 * `en` to operators. One wording everywhere.
 */
export const CATEGORY_LABEL: Record<Category, { vi: string; zh: string; en: string }> = {
  "border-law": { vi: "Pháp luật biên giới", zh: "边境法规", en: "Border law" },
  procedure: { vi: "Thủ tục xuất nhập cảnh", zh: "出入境手续", en: "Procedure" },
  promotion: { vi: "Giới thiệu", zh: "推介", en: "Promotion" },
  tourism: { vi: "Du lịch Lạng Sơn", zh: "谅山旅游", en: "Tourism" },
  investment: { vi: "Đầu tư – Thương mại", zh: "投资贸易", en: "Investment" },
  alert: { vi: "Thông báo khẩn", zh: "紧急通知", en: "Alert" },
};

/** "Nguồn" / "来源" / "Source": the word before an item's source, in each content language. */
export const SOURCE_LABEL: Record<Language, string> = { vi: "Nguồn", zh: "来源", en: "Source" };

/** A gate-local date "YYYY-MM-DD" as each language writes it: 01/03/2026, 2026年3月1日, 1 Mar 2026. */
export function localDateText(date: string, lang: Language): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  if (lang === "zh") return `${y}年${m}月${d}日`;
  if (lang === "en") return `${d} ${MONTHS_EN[m - 1] ?? m} ${y}`;
  return `${String(d).padStart(2, "0")}/${String(m).padStart(2, "0")}/${y}`;
}
const MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * An item's source as one line in one language: "Nguồn: Cục Hải quan tỉnh Lạng Sơn · Công văn 123/HQLS ·
 * 01/03/2026". The agency falls back to its Vietnamese name; a document number is written as issued.
 * The kiosk, the gate site and the leaflets print the same words.
 */
export function sourceText(source: Source, lang: Language): string {
  const sep = lang === "zh" ? "：" : ": ";
  const parts = [source.agency[lang] ?? source.agency.vi];
  if (source.document) parts.push(source.document);
  if (source.date) parts.push(localDateText(source.date, lang));
  return `${SOURCE_LABEL[lang]}${sep}${parts.join(" · ")}`;
}

/** "HH:MM" of an instant in a time zone (the gate's: never a fixed offset). */
export function localTimeText(ms: number, timeZone: string): string {
  const { msOfDay } = localParts(ms, timeZone);
  const minutes = Math.floor(msOfDay / 60_000);
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** "cập nhật lúc 08:15 01/12/2026", "更新于 2026年12月1日 08:15", "updated 08:15, 1 Dec 2026": in the gate's time zone. */
export function updatedText(ms: number, timeZone: string, lang: Language): string {
  const time = localTimeText(ms, timeZone);
  const date = localDateText(localParts(ms, timeZone).date, lang);
  if (lang === "zh") return `更新于 ${date} ${time}`;
  if (lang === "en") return `Updated ${time}, ${date}`;
  return `Cập nhật lúc ${time} ${date}`;
}

/** The gate-status board's fixed words (the kiosk, the gate site and the leaflets print the same). */
export const GATE_STATUS_TEXT = {
  title: { vi: "Tình trạng cửa khẩu", zh: "口岸通行状态", en: "Border crossing status" },
  none: { vi: "Hiện chưa có thông báo", zh: "暂无通行状态信息", en: "No status in force" },
  crossing: { vi: "Lối qua", zh: "通道", en: "Crossing" },
  state: { vi: "Tình trạng", zh: "状态", en: "State" },
  hours: { vi: "Giờ làm việc", zh: "通关时间", en: "Hours" },
  reason: { vi: "Lý do · Cơ quan", zh: "原因 · 发布机关", en: "Reason · Agency" },
} as const satisfies Record<string, { vi: string; zh: string; en: string }>;
