import { Instant } from "@gatecast/playlists";
import { z } from "zod";
import type { Context } from "../../context.ts";
import type { Api } from "../api.ts";
import { HttpError } from "../errors.ts";

const Range = z
  .object({
    from: Instant,
    to: Instant,
    groupBy: z.enum(["item", "screen", "gate", "day"]).default("item"),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { error: "must be after from", path: ["to"] });

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

export function registerReportRoutes(api: Api, ctx: Context): void {
  api.route(
    {
      method: "get",
      path: "/api/v1/reports/plays",
      summary: "Proof-of-play counts and time on screen, grouped; CSV for Excel",
      tag: "reports",
      role: "viewer",
      query: Range,
    },
    (c, { query }) => {
      const from = Date.parse(query.from);
      const to = Date.parse(query.to);
      if (to - from > 400 * 86_400_000)
        throw new HttpError(400, "invalid query", [{ path: "to", message: "range is longer than 400 days" }]);
      const screens = new Map(ctx.store.draft.list("screens").map((s) => [s.id, s]));
      const items = new Map(ctx.store.draft.list("items").map((i) => [i.id, i]));
      const offset = 7 * 3_600_000;
      const groups = new Map<string, { key: string; label: string; plays: number; seconds: number }>();
      for (const p of ctx.store.fleet.plays({ from, to })) {
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
      if (query.format === "csv") {
        const csv = toCsv(
          [query.groupBy, "tên / 名称", "lượt phát / 播放次数", "giây / 秒"],
          rows.map((r) => [r.key, r.label, r.plays, Math.round(r.seconds)]),
        );
        return c.body(csv, 200, {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="gatecast-plays-${query.groupBy}-${query.from.slice(0, 10)}-${query.to.slice(0, 10)}.csv"`,
        });
      }
      return c.json({ from: query.from, to: query.to, groupBy: query.groupBy, timezone: "Asia/Ho_Chi_Minh", rows });
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/reports/uptime",
      summary: "Share of the range each screen was online",
      tag: "reports",
      role: "viewer",
      query: z.object({ from: Instant, to: Instant }),
    },
    (c, { query }) => {
      const from = Date.parse(query.from);
      const to = Math.min(Date.parse(query.to), ctx.clock.now());
      const rows = ctx.store.draft.list("screens").map((s) => {
        let online = 0;
        const events = ctx.store.fleet.history(s.id, from, to);
        events.forEach((e, i) => {
          if (!e.online) return;
          const start = Math.max(e.at, from);
          const end = Math.min(events[i + 1]?.at ?? to, to);
          if (end > start) online += end - start;
        });
        return { screenId: s.id, gate: s.gate, name: s.name, uptime: to > from ? online / (to - from) : 0 };
      });
      return c.json({ from: query.from, to: new Date(to).toISOString(), rows });
    },
  );
}
