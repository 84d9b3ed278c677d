import type { Role } from "@gatecast/playlists";
import { routes } from "@gatecast/playlists/api";
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { DialogHost, Loading, Toasts } from "./components/ui.tsx";
import { type Key, lang, setLang, t } from "./i18n.ts";
import { call } from "./lib/api.ts";
import { connectEvents, disconnectEvents, liveState } from "./lib/events.ts";
import { adoptGatesZone } from "./lib/format.ts";
import { Link, location, match, navigate } from "./lib/router.tsx";
import { can, logout, user } from "./lib/session.ts";
import { alarmCount } from "./lib/title.ts";
import { AlertsPage } from "./pages/Alerts.tsx";
import { AuditPage } from "./pages/Audit.tsx";
import { FleetPage } from "./pages/Fleet.tsx";
import { HoursPage } from "./pages/Hours.tsx";
import { IncidentsPage } from "./pages/Incidents.tsx";
import { ItemEditorPage } from "./pages/ItemEditor.tsx";
import { LibraryPage } from "./pages/Library.tsx";
import { LoginPage } from "./pages/Login.tsx";
import { MaintenancePage } from "./pages/Maintenance.tsx";
import { PairingPage } from "./pages/Pairing.tsx";
import { PeriodicReportPage } from "./pages/PeriodicReport.tsx";
import { PlaylistsPage } from "./pages/Playlists.tsx";
import { ReleasesPage } from "./pages/Releases.tsx";
import { ReportsPage } from "./pages/Reports.tsx";
import { SchedulesPage } from "./pages/Schedules.tsx";
import { TokensPage } from "./pages/Tokens.tsx";
import { AccountPage, UsersPage } from "./pages/Users.tsx";

interface NavEntry {
  href: string;
  label: Key;
  role: Role;
  /** Paths that highlight this entry. */
  prefix: string;
  icon: string;
}

const NAV: NavEntry[] = [
  { href: "/", label: "nav.fleet", role: "viewer", prefix: "/", icon: "◉" },
  { href: "/incidents", label: "nav.incidents", role: "viewer", prefix: "/incidents", icon: "⚠" },
  { href: "/hours", label: "nav.hours", role: "viewer", prefix: "/hours", icon: "◐" },
  { href: "/library", label: "nav.library", role: "viewer", prefix: "/library", icon: "▤" },
  { href: "/playlists", label: "nav.playlists", role: "viewer", prefix: "/playlists", icon: "≡" },
  { href: "/schedules", label: "nav.schedules", role: "viewer", prefix: "/schedules", icon: "▦" },
  { href: "/releases", label: "nav.releases", role: "viewer", prefix: "/releases", icon: "⇪" },
  { href: "/alerts", label: "nav.alerts", role: "viewer", prefix: "/alerts", icon: "!" },
  { href: "/reports", label: "nav.reports", role: "viewer", prefix: "/reports", icon: "▮" },
  { href: "/periodic", label: "nav.periodic", role: "viewer", prefix: "/periodic", icon: "▤" },
  { href: "/pairing", label: "nav.pairing", role: "admin", prefix: "/pairing", icon: "⌁" },
  { href: "/audit", label: "nav.audit", role: "approver", prefix: "/audit", icon: "☰" },
  { href: "/tokens", label: "nav.tokens", role: "viewer", prefix: "/tokens", icon: "◆" },
  { href: "/maintenance", label: "nav.maintenance", role: "admin", prefix: "/maintenance", icon: "⚙" },
  { href: "/users", label: "nav.users", role: "admin", prefix: "/users", icon: "☺" },
];

const ROUTES: [string, (p: Record<string, string>) => JSX.Element][] = [
  ["/", () => <FleetPage />],
  ["/incidents", () => <IncidentsPage />],
  ["/hours", () => <HoursPage />],
  ["/library", () => <LibraryPage />],
  ["/library/new/:kind", (p) => <ItemEditorPage key={`new-${p.kind}`} kind={p.kind ?? ""} />],
  ["/library/items/:id", (p) => <ItemEditorPage key={`edit-${p.id}`} id={p.id ?? ""} />],
  ["/playlists", () => <PlaylistsPage />],
  ["/playlists/:id", (p) => <PlaylistsPage id={p.id} />],
  ["/schedules", () => <SchedulesPage />],
  ["/schedules/:id", (p) => <SchedulesPage id={p.id} />],
  ["/releases", () => <ReleasesPage />],
  ["/alerts", () => <AlertsPage />],
  ["/reports", () => <ReportsPage />],
  ["/periodic", () => <PeriodicReportPage />],
  ["/pairing", () => <PairingPage />],
  ["/audit", () => <AuditPage />],
  ["/tokens", () => <TokensPage />],
  ["/maintenance", () => <MaintenancePage />],
  ["/users", () => <UsersPage />],
  ["/account", () => <AccountPage />],
];

function Page({ path }: { path: string }) {
  for (const [pattern, render] of ROUTES) {
    const params = match(pattern, path);
    if (params) return render(params);
  }
  return (
    <div class="page">
      <h1 id="page-title" tabIndex={-1}>
        {t("error.pageMissing")}
      </h1>
      <p>
        <Link href="/">{t("error.goHome")}</Link>
      </p>
    </div>
  );
}

function LiveIndicator() {
  const s = liveState.value;
  const label = s === "live" ? t("shell.live") : s === "down" ? t("shell.liveDown") : t("shell.liveConnecting");
  return (
    <span class={`live live-${s}`} role="status" data-testid="live-state">
      <span class="live-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

function Shell() {
  const u = user.value;
  const path = location.value.path;
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    connectEvents();
    // dates and times in the gates' own zone (gate.timezone), once the gates are known
    call(routes.content.gates.list).then(adoptGatesZone, () => undefined);
    return () => disconnectEvents();
  }, []);

  // After navigating, put keyboard and screen-reader focus on the new page's heading.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h = mainRef.current?.querySelector<HTMLElement>("h1");
    if (h) {
      h.tabIndex = -1;
      h.focus({ preventScroll: true });
    }
  }, [path]);

  useEffect(() => {
    const entry = NAV.find((n) => (n.prefix === "/" ? path === "/" : path.startsWith(n.prefix)));
    const alarms = alarmCount.value;
    document.title = `${alarms ? `(${alarms}) ⚠ ` : ""}${entry ? t(entry.label) : t("app.name")} — gatecast`;
  }, [path, lang.value, alarmCount.value]);

  if (!u) return null;
  const active = (n: NavEntry) => (n.prefix === "/" ? path === "/" : path.startsWith(n.prefix));
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t("shell.skip")}
      </a>
      <aside class="sidebar">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">
            ▣
          </span>
          <div>
            <div class="brand-name">{t("app.name")}</div>
            <div class="brand-tag">{t("app.tagline")}</div>
          </div>
        </div>
        <LiveIndicator />
        <nav aria-label={t("nav.main")}>
          <ul>
            {NAV.filter((n) => can(n.role)).map((n) => (
              <li key={n.href}>
                <Link
                  href={n.href}
                  class={active(n) ? "nav-link active" : "nav-link"}
                  aria-current={active(n) ? "page" : undefined}
                >
                  <span class="nav-icon" aria-hidden="true">
                    {n.icon}
                  </span>
                  {t(n.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="sidebar-foot">
          <div class="who" data-testid="who">
            <div class="who-name">{u.displayName ?? u.username}</div>
            <div class="who-role">
              {u.username} · {t(`role.${u.role}`)}
            </div>
          </div>
          <Link href="/account" class="small account-link">
            {t("nav.account")}
          </Link>
          <fieldset class="lang-switch" aria-label={t("shell.language")}>
            <button type="button" aria-pressed={lang.value === "vi"} onClick={() => setLang("vi")} lang="vi">
              {t("shell.langVi")}
            </button>
            <button type="button" aria-pressed={lang.value === "en"} onClick={() => setLang("en")} lang="en">
              {t("shell.langEn")}
            </button>
          </fieldset>
          <button
            type="button"
            class="btn btn-block"
            onClick={() => {
              void logout().then(() => navigate("/", { replace: true }));
            }}
          >
            {t("shell.logout")}
          </button>
        </div>
      </aside>
      <div class="main-col">
        <main id="main" ref={mainRef} tabIndex={-1}>
          <Page path={path} />
        </main>
      </div>
    </div>
  );
}

export function App() {
  const u = user.value;
  return (
    <>
      {u === undefined ? (
        <div class="boot">
          <Loading />
        </div>
      ) : u === null ? (
        <LoginPage />
      ) : (
        <Shell />
      )}
      <Toasts />
      <DialogHost />
    </>
  );
}
