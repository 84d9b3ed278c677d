import { dayDate, dayNumber, localParts } from "@gatecast/playlists";
import type { PlaysQuery, PlaysReport, UptimeReport } from "@gatecast/playlists/api";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { invalid, issue } from "../errors.ts";
import { gateZones } from "../features/playRollup.ts";
import { uptimeOf } from "../features/uptime.ts";
import { toCsv } from "../report/csv.ts";
import type { GroupColumn } from "../store/plays.ts";
import { ReleaseLabels } from "./periodicReport.ts";

/*
 * Reports over what screens played and how long they were online. Pure reads of the store.
 */

type Ctx = Pick<Context, "store" | "clock">;
const MAX_DAYS = 400;

/**
 * Proof-of-play counts and time on screen, grouped, most played first, from the daily aggregates. Days
 * and months are each gate's own (its `timezone`): a gate's day is in the range when it begins in
 * [from, to). Items are named as they were on screen (the release they played under), gates and screens
 * by their names.
 */
export function playsReport(ctx: Ctx, query: z.output<typeof PlaysQuery>): PlaysReport {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  if (to - from > MAX_DAYS * 86_400_000)
    throw invalid(
      [issue("to", "range-too-long", `range is longer than ${MAX_DAYS} days`, { maxDays: MAX_DAYS })],
      "invalid query",
    );
  const zoneOf = gateZones(ctx.store);
  const labels = new ReleaseLabels(ctx.store);
  const screens = new Map(ctx.store.draft.list("screens").map((s) => [s.id, s]));
  const gateName = (id: string) => ctx.store.draft.get("gates", id)?.name.vi ?? id;
  // the local days a gate's range covers: [day of from, day of to − 1 ms], in its zone
  const daysOf = (gate: string) => [
    dayNumber(localParts(from, zoneOf(gate)).date),
    dayNumber(localParts(to - 1, zoneOf(gate)).date),
  ];
  const by: GroupColumn[] = [
    "gate",
    "day",
    ...(query.groupBy === "item" ? (["item", "release"] as const) : []),
    ...(query.groupBy === "screen" ? (["screen"] as const) : []),
  ];
  const rows = ctx.store.plays.grouped(
    dayNumber(query.from.slice(0, 10)) - 1,
    dayNumber(query.to.slice(0, 10)) + 1,
    by,
    zoneOf,
  );
  const groups = new Map<string, { key: string; label: string; plays: number; seconds: number; release: number }>();
  const zones = new Set<string>();
  for (const r of rows) {
    const gate = r.gate ?? "?";
    const [a = 0, b = 0] = daysOf(gate);
    if ((r.day ?? 0) < a || (r.day ?? 0) > b) continue;
    zones.add(zoneOf(gate));
    const day = dayDate(r.day ?? 0);
    const key =
      query.groupBy === "item"
        ? (r.item ?? "?")
        : query.groupBy === "screen"
          ? (r.screen ?? "?")
          : query.groupBy === "gate"
            ? gate
            : query.groupBy === "month"
              ? day.slice(0, 7)
              : day;
    const g = groups.get(key) ?? { key, label: key, plays: 0, seconds: 0, release: 0 };
    g.plays += r.plays;
    g.seconds += r.ms / 1000;
    g.release = Math.max(g.release, r.release ?? 0);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    if (query.groupBy === "item") g.label = labels.label(g.key, g.release).title;
    else if (query.groupBy === "screen") g.label = screens.get(g.key)?.name ?? g.key;
    else if (query.groupBy === "gate") g.label = gateName(g.key);
  }
  const out = [...groups.values()]
    .map(({ release: _, ...g }) => g)
    .sort((a, b) =>
      query.groupBy === "day" || query.groupBy === "month"
        ? a.key.localeCompare(b.key)
        : b.plays - a.plays || a.key.localeCompare(b.key),
    );
  return {
    from: query.from,
    to: query.to,
    groupBy: query.groupBy,
    timezone: [...zones].sort().join(", ") || zoneOf(""),
    rows: out,
  };
}

const GROUP_HEADER: Record<PlaysReport["groupBy"], [string, string]> = {
  item: ["Mã nội dung", "Tên nội dung"],
  screen: ["Mã màn hình", "Tên màn hình"],
  gate: ["Mã cửa khẩu", "Tên cửa khẩu"],
  day: ["Ngày", "Ngày"],
  month: ["Tháng", "Tháng"],
};

/** The plays report as a spreadsheet, and the name to save it under. */
export function playsCsv(report: PlaysReport): { csv: string; filename: string } {
  const dated = report.groupBy === "day" || report.groupBy === "month";
  const [keyH, labelH] = GROUP_HEADER[report.groupBy];
  return {
    csv: toCsv(
      dated ? [keyH, "Số lượt phát", "Thời lượng (giây)"] : [keyH, labelH, "Số lượt phát", "Thời lượng (giây)"],
      report.rows.map((r) =>
        dated
          ? [r.key.split("-").reverse().join("/"), r.plays, Math.round(r.seconds)]
          : [r.key, r.label, r.plays, Math.round(r.seconds)],
      ),
    ),
    filename: `gatecast-plays-${report.groupBy}-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.csv`,
  };
}

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
