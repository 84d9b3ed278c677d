import { z } from "zod";
import { refinement } from "../issues.ts";
import { Instant, Localized, LocalTime } from "./common.ts";

/*
 * The state of a gate's crossings, as the agencies that run them state it: per crossing (passenger
 * lane, goods lane, a marker route) open, closed, restricted or suspended, with its hours in gate-local
 * time, the window it is in force (instants), a reason and the issuing agency. A `gate-status` item
 * carries the rows; each row drops off the board by itself when its window ends, offline too.
 */

export const CrossingState = z.enum(["open", "restricted", "suspended", "closed"]);
export type CrossingState = z.infer<typeof CrossingState>;

export const GateStatusRow = z
  .strictObject({
    /** The crossing, e.g. "Làn hành khách" / "旅客通道". */
    crossing: Localized,
    state: CrossingState,
    /** Opening hours in gate-local time (e.g. 07:00–20:00); absent: not stated (closed or all day). */
    hours: z.strictObject({ from: LocalTime, to: LocalTime }).optional(),
    /** In force from this instant… */
    from: Instant,
    /** …until this one: the row leaves the board then. */
    to: Instant,
    reason: Localized.optional(),
    /** Who issued the row, e.g. "Chi cục Hải quan cửa khẩu Hữu Nghị". */
    agency: Localized,
    /** When the agency issued it: the board's "cập nhật lúc / 更新于". */
    issuedAt: Instant,
  })
  .refine((r) => Date.parse(r.to) > Date.parse(r.from), {
    error: "must be after from",
    path: ["to"],
    params: refinement("range-order", { after: "from" }),
  });
export type GateStatusRow = z.infer<typeof GateStatusRow>;

/** Rows at most per item: a gate has a handful of crossings, each with a few announced changes. */
export const MAX_STATUS_ROWS = 200;

/** The rows in force at `at` (ms), in their order. */
export const rowsInForce = (rows: readonly GateStatusRow[], at: number): GateStatusRow[] =>
  rows.filter((r) => Date.parse(r.from) <= at && at < Date.parse(r.to));

/** When the board next changes after `at` (a row starts or ends), or null. */
export function nextStatusChange(rows: readonly GateStatusRow[], at: number): number | null {
  let next: number | null = null;
  for (const r of rows)
    for (const t of [Date.parse(r.from), Date.parse(r.to)]) if (t > at && (next === null || t < next)) next = t;
  return next;
}

/** Each state's words, vi / zh / en, and the colour the board gives it (always with the words). */
export const CROSSING_STATE_LABEL: Record<
  CrossingState,
  { vi: string; zh: string; en: string; tone: "ok" | "warn" | "bad" }
> = {
  open: { vi: "Mở cửa", zh: "开放", en: "Open", tone: "ok" },
  restricted: { vi: "Hạn chế", zh: "限制通行", en: "Restricted", tone: "warn" },
  suspended: { vi: "Tạm dừng", zh: "暂停通关", en: "Suspended", tone: "bad" },
  closed: { vi: "Đóng cửa", zh: "关闭", en: "Closed", tone: "bad" },
};
