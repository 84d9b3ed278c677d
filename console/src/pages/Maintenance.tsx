import { type MediaGcReport, routes } from "@gatecast/playlists/api";
import { useState } from "preact/hooks";
import { DiskSpace } from "../components/DiskSpace.tsx";
import { confirm, EmptyState, ErrorBox, PageHeader, toast } from "../components/ui.tsx";
import { t } from "../i18n.ts";
import { call } from "../lib/api.ts";
import { formatBytes } from "../lib/format.ts";
import { errorText } from "../lib/messages.ts";
import { can } from "../lib/session.ts";

/** Admin upkeep: disk space, and media garbage collection (a dry run first, then removal on confirm). */
export function MaintenancePage() {
  const [report, setReport] = useState<MediaGcReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (!can("admin"))
    return (
      <div class="page">
        <PageHeader title={t("maintenance.title")} />
        <p class="notice notice-info">{t("maintenance.adminOnly")}</p>
      </div>
    );

  const run = async (dryRun: boolean) => {
    setBusy(true);
    try {
      const r = await call(routes.maintenance.mediaGc, { body: { dryRun } });
      setReport(r);
      setError(null);
      if (!dryRun) toast(t("gc.removed", { n: r.removed.length, size: formatBytes(r.bytes) }));
    } catch (err) {
      setError(err);
      toast(errorText(err), "error");
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!report) return;
    const ok = await confirm({
      title: t("gc.confirm", { n: report.removed.length, size: formatBytes(report.bytes) }),
      danger: true,
    });
    if (ok) await run(false);
  };

  return (
    <div class="page page-wide">
      <PageHeader title={t("maintenance.title")} />
      <h2 class="section-title">{t("disk.title")}</h2>
      <DiskSpace />
      <h2 class="section-title">{t("gc.title")}</h2>
      <p class="muted small">{t("gc.about")}</p>
      <button type="button" class="btn" disabled={busy} onClick={() => void run(true)} data-testid="gc-dry-run">
        {t("gc.dryRun")}
      </button>
      <ErrorBox error={error} />
      {report ? (
        <section data-testid="gc-report">
          <p role="status">
            {t(report.dryRun ? "gc.wouldRemove" : "gc.removedSummary", {
              n: report.removed.length,
              size: formatBytes(report.bytes),
              kept: report.kept,
              releases: report.keepReleases,
              hours: report.minAgeHours,
            })}
          </p>
          {report.removed.length === 0 ? (
            <EmptyState>{t("gc.nothing")}</EmptyState>
          ) : (
            <div class="table-wrap">
              <table class="table" data-testid="gc-files">
                <thead>
                  <tr>
                    <th>{t("gc.file")}</th>
                    <th>{t("gc.hash")}</th>
                    <th>{t("gc.size")}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.removed.map((f) => (
                    <tr key={f.sha256}>
                      <td>{f.known ? (f.name ?? "—") : t("gc.unrecorded")}</td>
                      <td>
                        <code>{f.sha256.slice(0, 12)}</code>
                      </td>
                      <td>{formatBytes(f.bytes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {report.dryRun && report.removed.length > 0 ? (
            <button
              type="button"
              class="btn btn-danger"
              disabled={busy}
              onClick={() => void remove()}
              data-testid="gc-remove"
            >
              {t("gc.remove", { n: report.removed.length, size: formatBytes(report.bytes) })}
            </button>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
