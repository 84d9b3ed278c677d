import { routes } from "@gatecast/playlists/api";
import type { Context } from "../../context.ts";
import { createTarget, listTargets, removeTarget } from "../../usecases/periodicReport.ts";
import { reportFile } from "../../usecases/reportFiles.ts";
import { playsCsv, playsReport, uptimeReport } from "../../usecases/reports.ts";
import { type Api, Reply } from "../api.ts";
import { caller } from "../request.ts";

/** RFC 6266: an ASCII fallback and the UTF-8 name. */
const disposition = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function registerReportRoutes(api: Api, ctx: Context): void {
  api.handle(routes.reports.plays, ({ query, c }) => {
    const report = playsReport(ctx, query);
    if (query.format !== "csv") return report;
    const { csv, filename } = playsCsv(report);
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": disposition(filename),
    });
  });
  api.handle(routes.reports.periodic, async ({ query, c }) => {
    const file = await reportFile(ctx, query);
    return c.body(new Uint8Array(file.body), 200, {
      "Content-Type": file.contentType,
      "Content-Disposition": disposition(file.filename),
    });
  });
  api.handle(routes.reports.uptime, ({ query }) => uptimeReport(ctx, query));
  api.handle(routes.targets.list, () => listTargets(ctx.store));
  api.handle(routes.targets.create, ({ body, user }) => new Reply(201, createTarget(ctx, caller(user), body)));
  api.handle(routes.targets.remove, ({ params, user }) => {
    removeTarget(ctx, caller(user), params.id);
  });
}
