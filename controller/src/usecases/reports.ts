import type { PlaysQuery, PlaysReport, UptimeReport } from "@gatecast/playlists/api";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { invalid, issue } from "../errors.ts";
import { uptimeOf } from "../features/uptime.ts";

/*
 * Reports over what screens played and how long they were online. Pure reads of the store.
 */

type Ctx = Pick<Context, "store" | "clock">;
const MAX_DAYS = 400;

/** RFC 4180 field. */
const csvField = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** UTF-8 with a BOM and CRLF: what Excel opens with Vietnamese and Chinese intact. */
export function toCsv(header: string[], rows: (string | number)[][]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}

/** Gate-local day (UTC+7 for both gates; the report names its zone). */
const dayOf = (ms: number, offsetMs: number) => new Date(ms + offsetMs).toISOString().slice(0, 10);

/** Proof-of-play counts and time on screen, grouped, most played first. */
export function playsReport(ctx: Ctx, query: z.output<typeof PlaysQuery>): PlaysReport {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  if (to - from > MAX_DAYS * 86_400_000)
    throw invalid(
      [issue("to", "range-too-long", `range is longer than ${MAX_DAYS} days`, { maxDays: MAX_DAYS })],
      "invalid query",
    );
  const screens = new Map(ctx.store.draft.list("screens").map((s) => [s.id, s]));
  const items = new Map(ctx.store.draft.list("items").map((i) => [i.id, i]));
  const offset = 7 * 3_600_000;
  const groups = new Map<string, { key: string; label: string; plays: number; seconds: number }>();
  for (const p of ctx.store.plays.raw(from, to).map((r) => ({ ...r, screenId: r.screen }))) {
    const key =
      query.groupBy === "item"
        ? p.item
        : query.groupBy === "screen"
          ? p.screenId
          : query.groupBy === "gate"
            ? (screens.get(p.screenId)?.gate ?? "?")
            : dayOf(p.startedAt, offset);
    const item = items.get(p.item);
    const label =
      query.groupBy === "item" && item?.kind === "notice"
        ? item.title.vi
        : query.groupBy === "screen"
          ? (screens.get(key)?.name ?? key)
          : key;
    const g = groups.get(key) ?? { key, label, plays: 0, seconds: 0 };
    g.plays += 1;
    g.seconds += p.durationMs / 1000;
    groups.set(key, g);
  }
  const rows = [...groups.values()].sort((a, b) => b.plays - a.plays || a.key.localeCompare(b.key));
  return { from: query.from, to: query.to, groupBy: query.groupBy, timezone: "Asia/Ho_Chi_Minh", rows };
}

/** The plays report as a spreadsheet, and the name to save it under. */
export function playsCsv(report: PlaysReport): { csv: string; filename: string } {
  return {
    csv: toCsv(
      [report.groupBy, "tên / 名称", "lượt phát / 播放次数", "giây / 秒"],
      report.rows.map((r) => [r.key, r.label, r.plays, Math.round(r.seconds)]),
    ),
    filename: `gatecast-plays-${report.groupBy}-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.csv`,
  };
}

/** The share of the range each screen was online (up to now). */
/**
 * Per screen, the share of the hours it should have been showing (its on-hours, as now set) that it
 * was online: a night dark by schedule is no gap. Screens without on-hours should always show.
 */
export function uptimeReport(
  ctx: Pick<Context, "store" | "clock" | "health">,
  query: { from: string; to: string },
): UptimeReport {
  const from = Date.parse(query.from);
  const to = Math.min(Date.parse(query.to), ctx.clock.now());
  const rows = ctx.health.all().map((j) => {
    const u = uptimeOf(ctx.store, j.screen.id, j.onHours, j.timeZone, from, to);
    return {
      screenId: j.screen.id,
      gate: j.screen.gate,
      name: j.screen.name,
      uptime: u.shouldOnMs > 0 ? u.onlineOnMs / u.shouldOnMs : 0,
      shouldOnS: Math.round(u.shouldOnMs / 1000),
      onlineS: Math.round(u.onlineOnMs / 1000),
    };
  });
  return { from: query.from, to: new Date(to).toISOString(), rows };
}
