import type { Severity } from "@gatecast/playlists";

export const SEVERITY_LABEL: Record<Severity, { vi: string; zh: string; en: string }> = {
  critical: { vi: "KHẨN CẤP", zh: "紧急通知", en: "URGENT" },
  warning: { vi: "Cảnh báo", zh: "警告", en: "Warning" },
  info: { vi: "Thông báo", zh: "通知", en: "Notice" },
};

/** Clock labels: the gate's own zone (Vietnam for every gate so far) and Beijing time. */
export function zoneLabel(timeZone: string): { vi: string; zh: string } {
  if (timeZone === "Asia/Ho_Chi_Minh" || timeZone === "Asia/Saigon") return { vi: "Giờ Việt Nam", zh: "越南时间" };
  if (timeZone === "Asia/Shanghai") return { vi: "Giờ Bắc Kinh", zh: "北京时间" };
  return { vi: "Giờ địa phương", zh: "当地时间" };
}

export const BEIJING = { zone: "Asia/Shanghai", vi: "Giờ Bắc Kinh", zh: "北京时间" } as const;

const formatters = new Map<string, Intl.DateTimeFormat>();
/** "HH:MM" in a time zone. */
export function hhmm(ms: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  return f.format(ms);
}
