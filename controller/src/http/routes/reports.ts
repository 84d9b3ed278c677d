import { routes } from "@gatecast/playlists/api";
import type { Context } from "../../context.ts";
import { playsCsv, playsReport, uptimeReport } from "../../usecases/reports.ts";
import type { Api } from "../api.ts";

export function registerReportRoutes(api: Api, ctx: Context): void {
  api.handle(routes.reports.plays, ({ query, c }) => {
    const report = playsReport(ctx, query);
    if (query.format !== "csv") return report;
    const { csv, filename } = playsCsv(report);
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
    });
  });
  api.handle(routes.reports.uptime, ({ query }) => uptimeReport(ctx, query));
}
