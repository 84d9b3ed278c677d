import type { IncomingMessage } from "node:http";
import { createServer, type Server } from "node:net";
import type { Duplex } from "node:stream";
import { Aedes, type AedesPublishPacket, type AuthenticateError, type Client } from "aedes";
import { createWebSocketStream, WebSocketServer } from "ws";
import { verifyMqttPassword } from "../auth/passwords.ts";
import { type MessageHandler, type Publish, payloadBuffer, type Subscribe } from "../context.ts";
import type { Logger } from "../log.ts";
import { heldBack, LogSampler } from "../logSampler.ts";
import type { Store } from "../store/index.ts";
import { mayPublish, maySubscribe, mayUseClientId, type Principal, screenIdOfUsername } from "./acl.ts";
import { retainedIndexedPersistence } from "./retainedIndex.ts";

/** Nothing a screen sends is this big; larger messages are refused before anyone reads them. */
export const MAX_SCREEN_PAYLOAD_BYTES = 256 * 1024;

const authError = (code: 2 | 4 | 5, message: string): AuthenticateError =>
  Object.assign(new Error(message), { returnCode: code }) as AuthenticateError;

/**
 * The embedded Aedes broker: MQTT over TCP on MQTT_PORT and over WebSocket at `/mqtt` on the HTTP port.
 * Every client authenticates; screens get exactly the topics the ACL gives them.
 */
export class Broker {
  private aedes!: Aedes;
  private tcp!: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private readonly principals = new WeakMap<Client, Principal>();
  private readonly screenClients = new Map<string, Set<Client>>();
  private readonly revoked = new WeakSet<Client>();
  port = 0;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  async start(host: string, port: number): Promise<void> {
    this.aedes = await Aedes.createBroker({
      persistence: retainedIndexedPersistence(),
      heartbeatInterval: 60_000,
      connectTimeout: 30_000,
      authenticate: (client, username, password, done) => {
        const principal = this.authenticate(username, password);
        if (principal && !mayUseClientId(principal.screenId, client.id)) {
          // screen A must not take over screen B's session by connecting with B's client id
          this.warn(
            `login:${principal.screenId}`,
            { clientId: client.id, username },
            "mqtt login refused: client id is not screen.<id>.…",
          );
          return done(authError(2, "client id must be screen.<screen id>.<anything>"), false);
        }
        if (!principal) {
          this.warn(
            `login:${screenIdOfUsername(username ?? "") ?? "other"}`,
            { clientId: client.id, username },
            "mqtt login refused",
          );
          return done(authError(4, "bad username or password"), false);
        }
        this.principals.set(client, principal);
        const set = this.screenClients.get(principal.screenId) ?? new Set();
        set.add(client);
        this.screenClients.set(principal.screenId, set);
        done(null, true);
      },
      authorizePublish: (client, packet, done) => {
        if (!client) return done(null); // the broker's own will/retained messages
        // a revoked login's last will too: a deleted screen must not leave a fresh retained status behind
        if (this.revoked.has(client)) return done(new Error("credentials revoked"));
        const p = this.principals.get(client);
        if (p && packet.payload.length > MAX_SCREEN_PAYLOAD_BYTES) {
          this.warn(
            p.screenId,
            { clientId: client.id, topic: packet.topic, bytes: packet.payload.length },
            "mqtt publish too large",
          );
          return done(new Error("payload too large"));
        }
        if (p && mayPublish(p, packet.topic, packet.retain)) return done(null);
        this.warn(p?.screenId ?? client.id, { clientId: client.id, topic: packet.topic }, "mqtt publish refused");
        done(new Error("not authorized"));
      },
      authorizeSubscribe: (client, sub, done) => {
        const p = this.principals.get(client);
        if (p && maySubscribe(p, sub.topic)) return done(null, sub);
        this.warn(p?.screenId ?? client.id, { clientId: client.id, topic: sub.topic }, "mqtt subscribe refused");
        done(new Error("not authorized"));
      },
    });
    this.aedes.on("clientDisconnect", (client) => {
      const p = this.principals.get(client);
      if (p) this.screenClients.get(p.screenId)?.delete(client);
    });
    this.aedes.on("clientError", (client, err) =>
      this.log.debug({ clientId: client.id, err: err.message }, "mqtt client error"),
    );
    this.aedes.on("connectionError", (_client, err) => this.log.debug({ err: err.message }, "mqtt connection error"));

    this.tcp = createServer((socket) => this.aedes.handle(socket));
    await new Promise<void>((resolve, reject) => {
      this.tcp.once("error", reject);
      this.tcp.listen(port, host, () => resolve());
    });
    const address = this.tcp.address();
    this.port = typeof address === "object" && address ? address.port : port;
  }

  /** Refusals are logged sampled per screen: one misbehaving kiosk reconnecting in a loop writes a line a minute. */
  private readonly refusals = new LogSampler();

  private warn(key: string, fields: Record<string, unknown>, message: string): void {
    const held = this.refusals.take(key, Date.now());
    if (held !== null) this.log.warn({ ...fields, ...heldBack(held) }, message);
  }

  private authenticate(username: string | undefined, password: Buffer | undefined): Principal | null {
    if (!username || !password) return null;
    const secret = password.toString("utf8");
    const screenId = screenIdOfUsername(username);
    if (!screenId) return null;
    const creds = this.store.fleet.credentialsByUsername(username);
    if (!creds || creds.screenId !== screenId || !verifyMqttPassword(secret, creds.passwordHash)) return null;
    // credentials alone are not enough: the screen must still be in the inventory
    const screen = this.store.draft.get("screens", screenId);
    return screen ? { screenId, gateId: screen.gate } : null;
  }

  /**
   * Publishes as the broker itself: no MQTT encoding, no loopback socket, no client session. The
   * controller's messages to 1000 screens are a burst; this is the cheapest way into the broker.
   */
  publish: Publish = (topic, payload, opts) =>
    new Promise((resolve, reject) => {
      this.aedes.publish(
        {
          cmd: "publish",
          topic,
          payload: payloadBuffer(payload),
          qos: opts.qos,
          retain: opts.retain ?? false,
          dup: false,
        },
        (err) => (err ? reject(err) : resolve()),
      );
    });

  /**
   * Subscribes inside the broker: screens' messages reach the controller's handler without being
   * encoded again, sent over a loopback socket and parsed back.
   */
  subscribe: Subscribe = async (patterns, handler) => {
    const each = (fn: (topic: string, cb: () => void) => void) =>
      Promise.all(patterns.map((p) => new Promise<void>((resolve) => fn(p, resolve))));
    let deliver = this.delivering.get(handler);
    if (!deliver) {
      const d = (packet: AedesPublishPacket, done: () => void) => {
        handler(packet.topic, packet.payload as Buffer, packet.retain);
        done();
      };
      deliver = d;
      this.delivering.set(handler, d);
      await each((p, cb) => this.aedes.subscribe(p, d, cb));
    }
    const d = deliver;
    return async () => {
      this.delivering.delete(handler);
      await each((p, cb) => this.aedes.unsubscribe(p, d, cb));
    };
  };
  private readonly delivering = new Map<MessageHandler, (packet: AedesPublishPacket, done: () => void) => void>();

  /** `/mqtt` WebSocket upgrades from the HTTP server. */
  handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    if (new URL(req.url ?? "/", "http://x").pathname !== "/mqtt") return false;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.aedes.handle(createWebSocketStream(ws), req);
    });
    return true;
  };

  /**
   * Drops a screen's connections, e.g. after its credentials were replaced or it was deleted (`revoke`:
   * nothing more from them, last will included) or its gate changed (it reconnects with new rights).
   */
  disconnectScreen(screenId: string, opts: { revoke?: boolean } = {}): void {
    for (const client of this.screenClients.get(screenId) ?? []) {
      if (opts.revoke) this.revoked.add(client);
      client.close();
    }
    this.screenClients.delete(screenId);
  }

  connectedScreens(): number {
    let n = 0;
    for (const set of this.screenClients.values()) if (set.size > 0) n++;
    return n;
  }

  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    const tcpClosed = new Promise<void>((resolve) => this.tcp.close(() => resolve()));
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await tcpClosed;
  }
}
