import type { Category } from "./schema/content.ts";

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
