import { routes } from "@gatecast/playlists/api";
import { t } from "../i18n.ts";
import { call } from "../lib/api.ts";
import { formatBytes, formatPercent } from "../lib/format.ts";
import { useResource } from "../lib/hooks.ts";

/** Below this share free, the disk is shown as a warning: a full disk stops logins and releases. */
const LOW_FREE = 0.1;

/** Free and total space of the controller's data disk (the store and the media). */
export function DiskSpace() {
  const disk = useResource(() => call(routes.maintenance.disk), []);
  const d = disk.data;
  if (!d || d.totalBytes === 0) return null;
  const free = d.freeBytes / d.totalBytes;
  return (
    <p class={`notice small ${free < LOW_FREE ? "notice-warn" : "notice-info"}`} data-testid="disk-space" role="status">
      {t("disk.space", {
        free: formatBytes(d.freeBytes),
        total: formatBytes(d.totalBytes),
        percent: formatPercent(free),
      })}
      {free < LOW_FREE ? ` ${t("disk.low")}` : ""}
    </p>
  );
}
