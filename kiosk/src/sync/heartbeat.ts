import type {
  ClockReport,
  DisplayState,
  HeartbeatPayload,
  Paging,
  PanelPower,
  ScreenError,
  Viewport,
} from "@gatecast/playlists";

export type ErrorKind = ScreenError["kind"];

const MAX_ERRORS = 50;
const MAX_MESSAGE = 500;

/**
 * Errors since the last heartbeat that was sent. At most 50 are kept; past that the oldest give way and
 * the next report says how many were dropped.
 */
export class ErrorLog {
  private errors: ScreenError[] = [];
  private dropped = 0;
  private summary: { entry: ScreenError; count: number } | null = null;

  constructor(private readonly now: () => number) {}

  push(kind: ErrorKind, message: string): void {
    const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
    this.errors.push({ at: new Date(this.now()).toISOString(), kind, message: text });
    if (this.errors.length > MAX_ERRORS - 1) {
      this.errors.shift();
      this.dropped++;
    }
  }

  /** The errors to report; they stay until `commit` says the heartbeat carrying them was sent. */
  peek(): ScreenError[] {
    if (this.dropped === 0) {
      this.summary = null;
      return [...this.errors];
    }
    const entry: ScreenError = {
      at: this.errors[0]?.at ?? new Date(this.now()).toISOString(),
      kind: "uncaught",
      message: `${this.dropped} earlier error(s) dropped: more than ${MAX_ERRORS} between heartbeats`,
    };
    this.summary = { entry, count: this.dropped };
    return [entry, ...this.errors];
  }

  /** Forgets the errors of a `peek` whose heartbeat was sent; errors pushed since stay. */
  commit(reported: readonly ScreenError[]): void {
    this.errors = this.errors.filter((e) => !reported.includes(e));
    if (this.summary && reported.includes(this.summary.entry))
      this.dropped = Math.max(0, this.dropped - this.summary.count);
    this.summary = null;
  }

  get size(): number {
    return this.errors.length;
  }
}

export interface HeartbeatInput {
  now: number;
  appVersion: string;
  uptimeMs: number;
  manifestVersion: number | null;
  pendingVersion: number | null;
  nowPlaying: { playlist: string | null; item: string | null; since: number } | null;
  lastFrameAt: number | null;
  media: { ready: number; total: number };
  storage: { usageBytes: number; quotaBytes: number; persisted: boolean } | null;
  usedJsHeapBytes: number | null;
  errors: ScreenError[];
  everyMs?: number;
  display?: DisplayState;
  panelPower?: PanelPower | null;
  clock?: ClockReport;
  viewport?: Viewport;
  paging?: Paging | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const nonNeg = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);

/** The `heartbeat` payload, shaped exactly as `HeartbeatPayload` wants it. */
export function buildHeartbeat(input: HeartbeatInput): HeartbeatPayload {
  return {
    at: iso(input.now),
    appVersion: input.appVersion.slice(0, 64),
    uptimeS: Math.round(nonNeg(input.uptimeMs) / 100) / 10,
    manifestVersion: input.manifestVersion,
    pendingVersion: input.pendingVersion,
    nowPlaying: input.nowPlaying
      ? { playlist: input.nowPlaying.playlist, item: input.nowPlaying.item, since: iso(input.nowPlaying.since) }
      : null,
    lastFrameAt: input.lastFrameAt === null ? null : iso(input.lastFrameAt),
    media: { ready: Math.floor(nonNeg(input.media.ready)), total: Math.floor(nonNeg(input.media.total)) },
    storage: input.storage
      ? {
          usageBytes: nonNeg(input.storage.usageBytes),
          quotaBytes: nonNeg(input.storage.quotaBytes),
          persisted: input.storage.persisted,
        }
      : null,
    memory: input.usedJsHeapBytes === null ? null : { usedJsHeapBytes: nonNeg(input.usedJsHeapBytes) },
    errors: input.errors.slice(-MAX_ERRORS),
    ...(input.everyMs ? { everyS: Math.min(3_600, Math.max(0.001, input.everyMs / 1000)) } : {}),
    ...(input.display ? { display: input.display } : {}),
    ...(input.panelPower !== undefined ? { panelPower: input.panelPower } : {}),
    ...(input.clock ? { clock: input.clock } : {}),
    ...(input.viewport && input.viewport.width > 0 && input.viewport.height > 0
      ? { viewport: { width: Math.round(input.viewport.width), height: Math.round(input.viewport.height) } }
      : {}),
    ...(input.paging !== undefined ? { paging: input.paging } : {}),
  };
}
