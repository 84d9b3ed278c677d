import { DisplayHookStatus, type PanelPower } from "@gatecast/playlists";

/** The hook named by `?displayHook=…`, only on the loopback interface; null when there is none. */
export function displayHookUrl(search: string): string | null {
  const raw = new URLSearchParams(search).get("displayHook");
  if (!raw) return null;
  try {
    const u = new URL(raw);
    const loopback = u.hostname === "127.0.0.1" || u.hostname === "localhost" || u.hostname === "[::1]";
    if (!loopback || (u.protocol !== "http:" && u.protocol !== "https:")) return null;
    return `${u.origin}/display`;
  } catch {
    return null;
  }
}

export interface DisplayHookDeps {
  /** `…/display` on the hook. */
  url: string;
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  now: () => number;
  onError: (message: string) => void;
  timeoutMs?: number;
  /** How long to wait before asking again when the panel does not do what was asked. */
  reassertMs?: number;
}

/**
 * Asks the launcher's display hook to put the panel to sleep or wake it, and reads its power back for
 * the heartbeat. Failures are reported once per kind and never get in the way of playing.
 */
export class DisplayHook {
  private wanted: "on" | "off" | null = null;
  private status: PanelPower | null = null;
  private askedAt = Number.NEGATIVE_INFINITY;
  private lastError: string | null = null;

  constructor(private readonly deps: DisplayHookDeps) {}

  /** The panel as last read (null until the hook answered once). */
  get panel(): PanelPower | null {
    return this.status;
  }

  async want(state: "on" | "off"): Promise<void> {
    this.wanted = state;
    this.askedAt = this.deps.now();
    await this.call({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ state }),
    });
  }

  /** Reads the panel's power; asks again when it is not what was wanted (someone pressed the remote). */
  async refresh(): Promise<PanelPower | null> {
    await this.call({ method: "GET" });
    const s = this.status;
    const wrong =
      s &&
      this.wanted &&
      ((this.wanted === "off" && s.power === "on") || (this.wanted === "on" && s.power === "standby"));
    if (wrong && this.wanted && this.deps.now() - this.askedAt >= (this.deps.reassertMs ?? 5 * 60_000)) {
      await this.want(this.wanted);
    }
    return this.status;
  }

  private async call(init: RequestInit): Promise<void> {
    try {
      const res = await this.deps.fetch(this.deps.url, {
        ...init,
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? 5_000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const parsed = DisplayHookStatus.safeParse(await res.json());
      if (!parsed.success) throw new Error(`unexpected answer: ${parsed.error.issues[0]?.message ?? "?"}`);
      const { power, via, error } = parsed.data;
      this.status = { power, via, ...(error ? { error: error.slice(0, 300) } : {}) };
      if (error) this.report(`display hook: ${error}`);
      else this.lastError = null;
    } catch (e) {
      const message = `display hook ${init.method ?? "GET"} failed: ${e instanceof Error ? e.message : String(e)}`;
      this.status = { power: "unknown", via: this.status?.via ?? "none", error: message.slice(0, 300) };
      this.report(message);
    }
  }

  private report(message: string): void {
    if (message === this.lastError) return;
    this.lastError = message;
    this.deps.onError(message);
  }
}
