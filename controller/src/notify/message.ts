import type { IncidentRule } from "@gatecast/playlists";
import type { IncidentRow, NotifyEvent } from "../store/incidents.ts";

/** What each rule is called, in Vietnamese first, for people reading mail at the provincial office. */
export const RULE_TEXT: Record<IncidentRule, { vi: string; en: string }> = {
  "screen-offline": { vi: "Màn hình mất kết nối", en: "Screen offline" },
  "screen-frozen": { vi: "Màn hình bị treo", en: "Screen frozen" },
  "storage-low": { vi: "Bộ nhớ màn hình sắp đầy", en: "Screen storage low" },
  "trust-error": { vi: "Màn hình từ chối nội dung (lỗi xác thực)", en: "Screen rejected content (trust error)" },
  "clock-skewed": { vi: "Đồng hồ màn hình bị lệch", en: "Screen clock skewed" },
  "notice-unacked": { vi: "Thông báo khẩn chưa hiển thị trên mọi màn hình", en: "Urgent notice not shown everywhere" },
  "broker-lost": { vi: "Máy chủ mất kết nối MQTT broker", en: "Controller lost its MQTT broker" },
};

const EVENT_TEXT: Record<NotifyEvent | "test", { vi: string; en: string }> = {
  opened: { vi: "Sự cố mới", en: "New incident" },
  reminder: { vi: "Nhắc lại: sự cố vẫn chưa được khắc phục", en: "Reminder: still open" },
  resolved: { vi: "Đã khắc phục", en: "Resolved" },
  test: { vi: "Thư thử nghiệm", en: "Test message" },
};

export interface MessageContext {
  /** Names for people: the screen's or gate's name, in Vietnamese. */
  subjectName: string;
  gateName: string | null;
  timeZone: string;
  /** Link to the incident in the console, when PUBLIC_URL is known. */
  url: string | null;
  now: number;
}

export interface Message {
  subject: string;
  text: string;
  vi: string;
  en: string;
}

const minutes = (ms: number) => {
  const m = Math.max(0, Math.round(ms / 60_000));
  return m < 120
    ? { vi: `${m} phút`, en: `${m} min` }
    : { vi: `${Math.round(m / 60)} giờ`, en: `${Math.round(m / 60)} h` };
};

function localTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat("vi-VN", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hourCycle: "h23",
  }).format(ms);
}

/** Subject and body of a notification: Vietnamese, with one English line for the technicians who need it. */
export function incidentMessage(event: NotifyEvent, incident: IncidentRow, m: MessageContext): Message {
  const rule = RULE_TEXT[incident.rule];
  const e = EVENT_TEXT[event];
  const where = m.gateName && m.subjectName !== m.gateName ? `${m.subjectName} — ${m.gateName}` : m.subjectName;
  const since = localTime(incident.since, m.timeZone);
  const lasted = minutes((incident.resolvedAt ?? m.now) - incident.since);
  const vi =
    event === "resolved"
      ? `${rule.vi}: ${where}. Đã khắc phục lúc ${localTime(incident.resolvedAt ?? m.now, m.timeZone)} (kéo dài ${lasted.vi}, từ ${since}).`
      : `${rule.vi}: ${where}, từ ${since} (đã ${lasted.vi}). ${incident.summary}.`;
  const en =
    event === "resolved"
      ? `${e.en} — ${rule.en}: ${where}, lasted ${lasted.en} (since ${since}, gate time).`
      : `${e.en} — ${rule.en}: ${where}, since ${since} gate time (${lasted.en}). ${incident.summary}.`;
  const subject = `[gatecast] ${e.vi}: ${rule.vi} — ${where} / ${rule.en}`;
  const lines = [
    vi,
    "",
    incident.ackedBy ? `Đã nhận xử lý: ${incident.ackedBy}.` : "",
    m.url ? `Xem trên bảng điều khiển: ${m.url}` : "",
    "",
    `English: ${en}`,
    "",
    `— gatecast, sự cố #${incident.id}`,
  ].filter((l, i, all) => l !== "" || (all[i - 1] ?? "") !== "");
  return { subject, text: lines.join("\n"), vi, en };
}

export function testMessage(channelName: string, now: number, timeZone: string): Message {
  const at = localTime(now, timeZone);
  const vi = `Thư thử nghiệm từ gatecast qua kênh "${channelName}" lúc ${at}. Nếu bạn nhận được thư này, thông báo sự cố sẽ đến được bạn.`;
  const en = `Test message from gatecast through "${channelName}" at ${at}: incident notifications will reach you.`;
  return {
    subject: `[gatecast] ${EVENT_TEXT.test.vi} / ${EVENT_TEXT.test.en}`,
    text: `${vi}\n\nEnglish: ${en}\n`,
    vi,
    en,
  };
}
