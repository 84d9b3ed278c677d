import { instantOfLocal } from "@gatecast/playlists";

/** Every date and time the console shows is gate-local (both gates are on Vietnam time). */
export const GATE_TZ = "Asia/Ho_Chi_Minh";

const partsFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: GATE_TZ,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function parts(at: number | string | Date): Parts | null {
  const ms = typeof at === "number" ? at : new Date(at).getTime();
  if (!Number.isFinite(ms)) return null;
  const out: Record<string, string> = {};
  for (const p of partsFormat.formatToParts(ms)) if (p.type !== "literal") out[p.type] = p.value;
  return {
    year: out.year ?? "",
    month: out.month ?? "",
    day: out.day ?? "",
    hour: out.hour ?? "",
    minute: out.minute ?? "",
    second: out.second ?? "",
  };
}

/** dd/MM/yyyy HH:mm in gate-local time. */
export function formatDateTime(at: number | string | null | undefined): string {
  if (at === null || at === undefined) return "—";
  const p = parts(at);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : "—";
}

/** dd/MM/yyyy HH:mm:ss in gate-local time. */
export function formatDateTimeSeconds(at: number | string | null | undefined): string {
  if (at === null || at === undefined) return "—";
  const p = parts(at);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}` : "—";
}

/** "YYYY-MM-DD" (a LocalDate) → "dd/MM/yyyy". */
export function formatLocalDate(date: string | undefined | null): string {
  if (!date) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}

/** "d/M/yyyy" typed by a person → "YYYY-MM-DD", or null when it is not a real date. */
export function parseLocalDate(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return null;
  const d = Number(m[1]);
  const mo = Number(m[2]);
  const y = Number(m[3]);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** "7:5" or "0705" → "07:05", or null. */
export function parseLocalTime(text: string): string | null {
  const m = /^\s*(\d{1,2})[:.h]?(\d{2})\s*$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  if (h > 23 || mi > 59) return null;
  return `${String(h).padStart(2, "0")}:${String(mi).padStart(2, "0")}`;
}

/** Today's gate-local date, "YYYY-MM-DD". */
export function localToday(now: number = Date.now()): string {
  const p = parts(now);
  return p ? `${p.year}-${p.month}-${p.day}` : new Date(now).toISOString().slice(0, 10);
}

/** Gate-local "HH:MM" now. */
export function localNowTime(now: number = Date.now()): string {
  const p = parts(now);
  return p ? `${p.hour}:${p.minute}` : "00:00";
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Monday of the week `date` falls in. */
export function mondayOf(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((dow + 6) % 7));
}

/** The instant of gate-local midnight starting `date`. */
export function startOfLocalDay(date: string): number {
  return instantOfLocal(date, "00:00", GATE_TZ);
}

/** An ISO instant with the gate's offset, e.g. 2026-11-23T08:00:00+07:00. */
export function isoLocal(ms: number): string {
  const p = parts(ms);
  if (!p) return new Date(ms).toISOString();
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}+07:00`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : v.toFixed(1).replace(".", ",")} ${units[u]}`;
}

/** 95 → "1:35", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(sec).padStart(2, "0")}`;
}

export function formatPercent(ratio: number): string {
  return `${(Math.round(ratio * 1000) / 10).toString().replace(".", ",")} %`;
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat("vi-VN").format(n);
}
