import { BACKOFF, nextDelay } from "./backoff.ts";

/** The few things the kiosk needs from an MQTT client (mqtt.js in the browser and in the simulator). */
export interface MqttTransport {
  on(handlers: TransportHandlers): void;
  publish(topic: string, payload: string, opts: { qos: 0 | 1; retain: boolean }): Promise<void>;
  subscribe(topics: readonly string[]): Promise<void>;
  unsubscribe(topics: readonly string[]): Promise<void>;
  /** Connects again with the same options (after a close). */
  reconnect(): void;
  end(): Promise<void>;
}

/** A transport's error; `reasonCode` when the broker refused the connection (its CONNACK code). */
export type TransportError = Error & { reasonCode?: number };

export interface TransportHandlers {
  connect(): void;
  close(): void;
  error(e: TransportError): void;
  message(topic: string, payload: Uint8Array): void;
}

export interface TransportOptions {
  url: string;
  username: string;
  password: string;
  clientId: string;
  will: { topic: string; payload: string; qos: 1; retain: true };
}

export type TransportFactory = (opts: TransportOptions) => MqttTransport;

export interface ConnectionOptions extends TransportOptions {
  factory: TransportFactory;
  random: () => number;
  onConnect: () => void;
  onClose: () => void;
  onMessage: (topic: string, payload: Uint8Array) => void;
  onError?: (message: string) => void;
  /** The broker refused the connection with this CONNACK return (or reason) code. */
  onRefused?: (reasonCode: number) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * One MQTT session with the kiosk's own reconnect policy: the client never reconnects by itself
 * (mqtt.js `reconnectPeriod: 0`); after each close this waits `nextDelay(attempt)` (1 s doubling to
 * 60 s, ±30 %) and reconnects. A successful connection resets the attempt count. The first retry after
 * losing an established connection is drawn from 0–2 s instead: a broker restart drops the whole fleet at
 * once, and 1 s ± 30 % would bring it back within 0.6 s.
 */
export class Connection {
  private transport: MqttTransport | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private stopped = false;
  private isConnected = false;
  /** When the next reconnect is due (ms since epoch), null when none is scheduled. */
  nextRetryAt: number | null = null;

  constructor(private readonly opts: ConnectionOptions) {}

  get connected(): boolean {
    return this.isConnected;
  }

  get attempts(): number {
    return this.attempt;
  }

  start(): void {
    if (this.transport || this.stopped) return;
    const { url, username, password, clientId, will } = this.opts;
    let transport: MqttTransport;
    try {
      transport = this.opts.factory({ url, username, password, clientId, will });
    } catch (e) {
      // e.g. a malformed broker URL: keep playing, report, and try again later
      this.opts.onError?.(e instanceof Error ? e.message : String(e));
      this.schedule();
      return;
    }
    this.transport = transport;
    transport.on({
      connect: () => {
        this.attempt = 0;
        this.isConnected = true;
        this.nextRetryAt = null;
        this.opts.onConnect();
      },
      close: () => {
        const was = this.isConnected;
        this.isConnected = false;
        if (was) this.opts.onClose();
        this.schedule(was);
      },
      error: (e) => {
        this.opts.onError?.(e.message);
        if (typeof e.reasonCode === "number") this.opts.onRefused?.(e.reasonCode);
      },
      message: (topic, payload) => this.opts.onMessage(topic, payload),
    });
  }

  private schedule(dropped = false): void {
    if (this.stopped || this.timer !== null) return;
    const delay =
      dropped && this.attempt === 0
        ? Math.round(2 * BACKOFF.baseMs * Math.min(1, Math.max(0, this.opts.random() || 0)))
        : nextDelay(this.attempt, this.opts.random());
    this.attempt++;
    this.nextRetryAt = Date.now() + delay;
    const set = this.opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.timer = set(() => {
      this.timer = null;
      this.nextRetryAt = null;
      if (this.stopped || this.isConnected) return;
      if (this.transport) this.transport.reconnect();
      else this.start();
    }, delay);
  }

  /** Reconnects now instead of waiting (e.g. the browser says the network is back). */
  retryNow(): void {
    if (this.stopped || this.isConnected || this.timer === null) return;
    (this.opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(this.timer);
    this.timer = null;
    this.nextRetryAt = null;
    if (this.transport) this.transport.reconnect();
    else this.start();
  }

  publish(topic: string, payload: string, opts: { qos: 0 | 1; retain?: boolean }): Promise<void> {
    if (!this.transport || !this.isConnected) return Promise.reject(new Error("not connected"));
    return this.transport.publish(topic, payload, { qos: opts.qos, retain: opts.retain ?? false });
  }

  subscribe(topics: readonly string[]): Promise<void> {
    if (!this.transport || !this.isConnected || topics.length === 0) return Promise.resolve();
    return this.transport.subscribe(topics);
  }

  unsubscribe(topics: readonly string[]): Promise<void> {
    if (!this.transport || !this.isConnected || topics.length === 0) return Promise.resolve();
    return this.transport.unsubscribe(topics);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null)
      (this.opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(this.timer);
    this.timer = null;
    this.isConnected = false;
    await this.transport?.end();
  }
}
