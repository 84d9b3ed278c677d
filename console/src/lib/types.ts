/**
 * Shapes of the controller's answers that are not domain objects. Domain objects (items, playlists,
 * schedules, gates, screens, alerts, manifests) are the types inferred from @gatecast/playlists.
 */
import type { Alert, Content, ContentDiff, HeartbeatPayload, Screen, ScreenError } from "@gatecast/playlists";

export type Role = "viewer" | "editor" | "approver" | "admin";

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  displayName: string | null;
}

export interface SessionInfo {
  user: SessionUser;
  csrfToken: string | null;
}

export interface ScreenView extends Screen {
  paired: boolean;
  online: boolean;
  since: number | null;
  lastSeenAt: number | null;
  lastHeartbeatAt: number | null;
  nowPlaying: HeartbeatPayload["nowPlaying"];
  lastFrameAt: string | null;
  manifest: {
    published: number | null;
    publishedAt: number | null;
    applied: number | null;
    pending: number | null;
    inSync: boolean;
  };
  media: HeartbeatPayload["media"] | null;
  storage: HeartbeatPayload["storage"];
  memory: HeartbeatPayload["memory"];
  uptimeS: number | null;
  appVersion: string | null;
  errors: ScreenError[];
  screenshotAt: number | null;
}

export interface MediaEntry {
  sha256: string;
  bytes: number;
  mime: string;
  name: string | null;
  createdAt: number;
}

export interface DraftIssue {
  path: string;
  message: string;
  kind: string;
  id: string | null;
}

export interface Draft {
  content: Content;
  issues: DraftIssue[];
}

export interface DraftDiff {
  against: number | null;
  changes: ContentDiff;
}

export interface ReleaseDiff {
  id: number;
  against: number | null;
  changes: ContentDiff;
}

export interface ReleaseSummary {
  id: number;
  createdAt: number;
  createdBy: string;
  note: string;
  rollbackOf: number | null;
}

export interface ReleaseFull extends ReleaseSummary {
  content: Content;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  objectKind: string;
  objectId: string | null;
  before: unknown;
  after: unknown;
}

export interface AlertView {
  alert: Alert;
  createdAt: number;
  createdBy: string | null;
  cancelledAt: number | null;
  cancelledBy: string | null;
  live: boolean;
  targetedScreens: string[];
  acks: { screenId: string; at: number }[];
  ackCount: number;
}

export type GroupBy = "item" | "screen" | "gate" | "day";

export interface PlaysRow {
  key: string;
  label: string;
  plays: number;
  seconds: number;
}

export interface PlaysReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  timezone: string;
  rows: PlaysRow[];
}

export interface UptimeRow {
  screenId: string;
  gate: string;
  name: string;
  uptime: number;
}

export interface UptimeReport {
  from: string;
  to: string;
  rows: UptimeRow[];
}

export interface ScreenCredentials {
  screenId: string;
  mqtt: { url: string; wsUrl: string; username: string; password: string };
}
