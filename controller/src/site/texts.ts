import type { Language } from "@gatecast/playlists";

/** The `lang` attribute of each content language: Chinese is written in simplified characters. */
export const HTML_LANG: Record<Language, string> = { vi: "vi", zh: "zh-Hans", en: "en" };

/** The name of each language in itself, for the language switch. */
export const LANGUAGE_NAME: Record<Language, string> = { vi: "Tiếng Việt", zh: "中文", en: "English" };

export const SITE_LANGUAGES: readonly Language[] = ["vi", "zh", "en"];

type Texts = Record<Language, string>;

/** The site's own words (everything else on a page is the release's approved text). */
export const T = {
  siteTitle: {
    vi: "Thông tin đối ngoại tại cửa khẩu Lạng Sơn",
    zh: "谅山口岸对外信息",
    en: "Border-gate information, Lạng Sơn",
  },
  gates: { vi: "Các cửa khẩu", zh: "口岸", en: "Border gates" },
  urgent: { vi: "Thông báo khẩn đang có hiệu lực", zh: "现行紧急通知", en: "Urgent notices in force" },
  noUrgent: {
    vi: "Hiện không có thông báo khẩn.",
    zh: "目前没有紧急通知。",
    en: "There are no urgent notices now.",
  },
  urgentAsOf: { vi: "Cập nhật lúc", zh: "更新时间", en: "As of" },
  status: { vi: "Tình trạng cửa khẩu", zh: "口岸通行状况", en: "Gate status" },
  rules: { vi: "Pháp luật biên giới và thủ tục", zh: "边境法规与通关手续", en: "Border law and procedures" },
  tourism: { vi: "Du lịch Lạng Sơn", zh: "谅山旅游", en: "Tourism in Lạng Sơn" },
  investment: { vi: "Đầu tư – Thương mại", zh: "投资贸易", en: "Investment and trade" },
  other: { vi: "Thông tin khác", zh: "其他信息", en: "Other information" },
  source: { vi: "Nguồn", zh: "来源", en: "Source" },
  release: { vi: "Bản phát hành số", zh: "发布版本", en: "Release" },
  releasedAt: { vi: "ngày", zh: "日期", en: "of" },
  verify: {
    vi: "Chữ ký số của bản phát hành",
    zh: "本版本的数字签名",
    en: "Signature of this release",
  },
  shownAt: { vi: "Hiển thị tại", zh: "展示地点", en: "Shown at" },
  home: { vi: "Trang chủ", zh: "首页", en: "Home" },
  language: { vi: "Ngôn ngữ", zh: "语言", en: "Language" },
  video: {
    vi: "Video được chiếu trên màn hình tại cửa khẩu.",
    zh: "该视频在口岸屏幕上播放。",
    en: "This video plays on the screens at the gate.",
  },
  webPage: { vi: "Mở trang", zh: "打开网页", en: "Open the page" },
  moreInfo: { vi: "Thông tin thêm", zh: "更多信息", en: "More information" },
  until: { vi: "đến", zh: "至", en: "until" },
  severity: {
    critical: { vi: "Khẩn cấp", zh: "紧急", en: "Critical" },
    warning: { vi: "Cảnh báo", zh: "警告", en: "Warning" },
    info: { vi: "Thông tin", zh: "信息", en: "Information" },
  },
} satisfies Record<string, Texts | Record<string, Texts>>;
