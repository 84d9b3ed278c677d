import { DEFAULT_TIMEZONE, instantOfLocal, zoneOffsetMs } from "@gatecast/playlists";
import { signal } from "@preact/signals";
import { tCount } from "../i18n.ts";

/**
 * The gates' time zone, as the content says (`gate.timezone`): every date and time the console shows
 * or reads is gate-local in it. Set from the gates once they are loaded; pages about one gate pass its
 * zone explicitly. Times go through the domain's helpers, never a fixed offset.
 */
export const gateZone = signal<string>(DEFAULT_TIMEZONE);

/** Picks the zone the console shows times in from the gates (the first gate's; gates share one). */
export function adoptGatesZone(gates: readonly { timezone?: string | undefined }[] | undefined): void {
  const zone = gates?.find((g) => g.timezone)?.timezone;
  if (zone && zone !== gateZone.value) gateZone.value = zone;
}

interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function parts(at: number | string | Date, zone: string = gateZone.value): Parts | null {
  const ms = typeof at === "number" ? at : new Date(at).getTime();
  if (!Number.isFinite(ms)) return null;
  const local = new Date(ms + zoneOffsetMs(ms, zone));
  return {
    year: pad(local.getUTCFullYear(), 4),
    month: pad(local.getUTCMonth() + 1),
    day: pad(local.getUTCDate()),
    hour: pad(local.getUTCHours()),
    minute: pad(local.getUTCMinutes()),
    second: pad(local.getUTCSeconds()),
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
export function startOfLocalDay(date: string, zone: string = gateZone.value): number {
  return instantOfLocal(date, "00:00", zone);
}

/** An ISO instant with the gate's offset at that instant, e.g. 2026-11-23T08:00:00+07:00. */
export function isoLocal(ms: number, zone: string = gateZone.value): string {
  const p = parts(ms, zone);
  if (!p) return new Date(ms).toISOString();
  const off = Math.round(zoneOffsetMs(ms, zone) / 60_000);
  const sign = off < 0 ? "-" : "+";
  const offset = `${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
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

/** A length of time in words: 90 → "1 giờ 30 phút" / "1 hour 30 minutes"; 0 → "0 phút". */
export function formatSpan(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  const parts = [h ? tCount("unit.hours", h) : "", m || !h ? tCount("unit.minutes", m) : ""];
  return parts.filter(Boolean).join(" ");
}

/** A length of time played, in words (not like a clock time): 934 → "15 phút 34 giây". */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return tCount("unit.seconds", s);
  const rest = s % 60;
  return s >= 3600 || rest === 0
    ? formatSpan(Math.round(s / 60))
    : `${formatSpan(Math.floor(s / 60))} ${tCount("unit.seconds", rest)}`;
}
