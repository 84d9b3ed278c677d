import { createHash } from "node:crypto";
import {
  type Alert,
  buildManifest,
  type Canonicalizer,
  type Content,
  canonicalJson,
  compileScreenProgram,
  createArrayInterner,
  createCanonicalizer,
  GATE_ALERT_SUBSCRIPTION,
  type GateAlertsPayload,
  type Item,
  MANIFEST_BATCH_FEATURE,
  type ManifestPayload,
  type MediaInfo,
  type MediaRef,
  nextVersion,
  parseTopic,
  signBatch,
  signToJson,
  topics,
} from "@gatecast/playlists";
import type { Context, Feature } from "../context.ts";
import { withSiteLinks } from "../site/paths.ts";
import type { ScreenManifestRow } from "../store/manifests.ts";

const hashOf = (value: unknown, canon: Canonicalizer = canonicalJson) =>
  createHash("sha256").update(canon(value)).digest("hex");
const sha256 = (data: Uint8Array) => new Uint8Array(createHash("sha256").update(data).digest());

interface PendingRun {
  only: Set<string> | null;
  alertsOnly: boolean;
  run: Promise<{ published: string[] }>;
}

/** Alerts for a gate's retained topic: those that name neither screens nor tags. */
export function isGateWide(alert: Alert, gateId: string): boolean {
  const t = alert.targets;
  return !t.screens && !t.tags && (!t.gates || t.gates.includes(gateId));
}

/**
 * Turns the newest release, the live screens and the live alerts into one signed manifest per screen,
 * published retained only when what the screen gets has changed. The version is saved before the
 * publish, so a crash can only leave a version the store knows, never two contents under one version.
 */
export class Publisher implements Feature {
  readonly name = "publisher";
  private queue: Promise<unknown> = Promise.resolve();
  private readonly unsubscribe: (() => void)[] = [];
  private expiryTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: Context) {}

  async start(): Promise<void> {
    this.pruneHistory();
    await this.republishRetained();
    const again = () => void this.publishAll();
    this.unsubscribe.push(
      this.ctx.bus.on("release", again),
      // a screen's own changes touch only its own manifest
      this.ctx.bus.on("screens-changed", (e) => void this.request(e.screenIds)),
      this.ctx.bus.on("alerts-changed", () => void this.request(null, true)),
      this.ctx.bus.on("mqtt-session-lost", () => {
        this.republishRetained().catch((err: unknown) => this.ctx.log.error({ err }, "republish failed"));
      }),
      // a screen holds a version this store does not know (restored from a backup): sign above it
      this.ctx.bus.on("manifest-behind", (e) => {
        if ((this.floors.get(e.screenId) ?? 0) >= e.heldVersion) return;
        this.floors.set(e.screenId, e.heldVersion);
        void this.request([e.screenId]);
      }),
    );
    await this.publishAll();
    this.unwatch = await this.ctx.subscribe([GATE_ALERT_SUBSCRIPTION], (topic, payload) =>
      this.onGateTopic(topic, payload),
    );
    // manifests expire after MANIFEST_TTL_DAYS; re-sign well before that, and put back gate alerts a
    // broker lost or was told to forget
    this.refreshTimer = setInterval(() => {
      this.pruneHistory();
      void this.republishGateAlerts().then(again);
    }, 3_600_000);
    this.refreshTimer.unref();
  }

  private unwatch: (() => Promise<void>) | null = null;

  /** The manifest history's retention (proof-of-play is checked against it). */
  private pruneHistory(): void {
    try {
      const removed = this.ctx.store.published.pruneHistory(this.ctx.clock.now(), this.ctx.config.manifestTtlMs);
      if (removed > 0) this.ctx.log.info({ removed }, "old manifest versions pruned from the history");
    } catch (err) {
      this.ctx.log.error({ err }, "manifest history not pruned");
    }
  }

  /**
   * Anyone who may write a gate's alert topic (the controller's login, a gate edge's bridge) can replace
   * or delete its retained message. Kiosks ignore what is not signed and newer, but a screen connecting
   * later would get nothing: put the signed alerts back at once.
   */
  private onGateTopic(topic: string, payload: Buffer): void {
    const t = parseTopic(topic);
    if (t?.scope !== "gate") return;
    const row = this.ctx.store.published.gate(t.gateId);
    if (!row?.envelope || payload.toString("utf8") === row.envelope) return;
    this.ctx.log.warn(
      { gate: t.gateId, bytes: payload.length },
      "gate alert topic overwritten: signed alerts put back",
    );
    void this.ctx
      .publish(topic, row.envelope, { qos: 1, retain: true })
      .catch((err: unknown) => this.ctx.log.warn({ err, gate: t.gateId }, "gate alerts not put back"));
  }

  async stop(): Promise<void> {
    await this.unwatch?.().catch(() => undefined);
    for (const u of this.unsubscribe) u();
    clearTimeout(this.expiryTimer);
    clearInterval(this.refreshTimer);
    await this.queue;
  }

  /** The broker may have lost its retained messages (embedded, restarted): put back what was last signed. */
  async republishRetained(): Promise<void> {
    await Promise.all(
      this.ctx.store.published
        .screens()
        .map((row) => this.ctx.publish(topics.manifest(row.screenId), row.envelope, { qos: 1, retain: true })),
    );
    await this.republishGateAlerts();
  }

  /** The signed alerts of every gate, as last sent (kiosks ignore a re-delivery). */
  private async republishGateAlerts(): Promise<void> {
    for (const row of this.ctx.store.published.gates()) {
      if (row.envelope) await this.ctx.publish(topics.alert(row.gateId), row.envelope, { qos: 1, retain: true });
    }
  }

  /** Every screen's manifest, republished where it changed. */
  publishAll(): Promise<{ published: string[] }> {
    return this.request(null);
  }

  /**
   * Serialised, so two runs never interleave their version numbers, and coalesced: requests that
   * arrive while a run waits to start share that run (1000 screens added one by one is a few runs,
   * each compiling only the screens named since the last, unless something asked for all).
   * `alertsOnly`: only alerts changed, so manifests need compiling only if screen- or tag-targeted
   * alerts did (gate-wide ones travel on the gate's topic).
   */
  private request(screenIds: readonly string[] | null, alertsOnly = false): Promise<{ published: string[] }> {
    const w = this.waiting;
    if (w) {
      if (screenIds === null) w.only = null;
      else for (const id of screenIds) w.only?.add(id);
      w.alertsOnly &&= alertsOnly;
      return w.run;
    }
    const next: PendingRun = {
      only: screenIds === null ? null : new Set(screenIds),
      alertsOnly,
      run: this.queue.then(() => {
        this.waiting = null;
        return this.doPublish(next.only, next.alertsOnly);
      }),
    };
    this.waiting = next;
    this.queue = next.run.catch((err: unknown) => this.ctx.log.error({ err }, "publish failed"));
    return next.run;
  }

  private waiting: PendingRun | null = null;
  /** The last run that published manifests: when it began, when the broker had acknowledged them all. */
  lastRun: { startedAt: number; ackedAt: number; count: number } | null = null;
  /** Versions screens reported holding above what the store issued: the next one goes above. */
  private readonly floors = new Map<string, number>();
  /** Hash of the alerts that went into every manifest at the last full run. */
  private manifestAlerts: string | null = null;

  /** What the publisher compiles from: the newest release with today's screens and live alerts. */
  liveContent(now: number, only: ReadonlySet<string> | null = null): { content: Content; releaseId: number } | null {
    const release = this.ctx.store.releases.latest();
    if (!release) return null;
    const screens = only
      ? [...only].flatMap((id) => this.ctx.store.draft.get("screens", id) ?? [])
      : this.ctx.store.draft.list("screens");
    return { content: { ...release.content, screens, alerts: this.ctx.store.alerts.live(now) }, releaseId: release.id };
  }

  /** One run: every screen, or only those in `only` (and the gates' alerts, which cost one hash each). */
  private async doPublish(only: ReadonlySet<string> | null, alertsOnly: boolean): Promise<{ published: string[] }> {
    const started = performance.now();
    const now = this.ctx.clock.now();
    const live = this.liveContent(now, only);
    if (!live) return { published: [] };
    const { content, releaseId } = live;
    const gateIds = content.gates.map((g) => g.id);
    const ttlMs = this.ctx.config.manifestTtlMs;

    // An urgent notice must not wait for 1000 manifests: gate alerts go first (they are small and signed apart).
    await this.publishGateAlerts(gateIds, content.alerts, now);
    const manifestAlerts = hashOf(content.alerts.filter((a) => a.targets.screens || a.targets.tags));
    if (alertsOnly && only === null && manifestAlerts === this.manifestAlerts) {
      this.scheduleExpiry(content.alerts, now);
      return { published: [] };
    }

    // Screens share most of their manifest's objects: lists with the same elements become one list and
    // each shared object is canonicalised once per run, so a manifest costs little more than its signature.
    const canon = createCanonicalizer();
    const intern = createArrayInterner();
    const mediaRefs = new Map<MediaInfo, MediaRef>();
    const items = withSiteLinks(content.items, this.ctx.config.siteUrl);
    const contentFor = new Map(
      gateIds.map((g) => [g, { ...content, items, alerts: intern(content.alerts.filter((a) => !isGateWide(a, g))) }]),
    );
    // a few screens changed (one added, one moved): their own rows, not the whole fleet's
    const previous =
      only && only.size <= 64
        ? new Map([...only].flatMap((id) => [...this.ctx.store.published.screenMetas(id)]))
        : this.ctx.store.published.screenMetas();
    type Signed = Omit<ScreenManifestRow, "envelope"> & { envelope: string | Uint8Array };
    const sends: Promise<Signed>[] = [];
    const published: Signed[] = [];
    /** A manifest compiled and not yet signed: its payload's canonical text, and how it is to be signed. */
    type Pending = Omit<ScreenManifestRow, "envelope"> & {
      items: string;
      expiresAt: number;
      payload: ManifestPayload;
      batch: boolean;
    };
    let chunk: Pending[] = [];
    // kiosks that said they verify batch-signed manifests get one signature per chunk; others their own
    const batchScreens = this.ctx.store.fleet.screensWithFeature(MANIFEST_BATCH_FEATURE);
    const issuedAt = new Date(now).toISOString();
    const expiresAt = new Date(now + ttlMs).toISOString();
    // each screen's items, as the history keeps them: one text per shared (interned) list
    const itemLists = new WeakMap<readonly Item[], string>();
    const itemsOf = (items: readonly Item[]) => {
      let text = itemLists.get(items);
      if (text === undefined) {
        text = JSON.stringify(items.map((i) => i.id).sort());
        itemLists.set(items, text);
      }
      return text;
    };

    // Every version is on disk before it leaves (a crash never leaves a version meaning two contents);
    // chunks let the first screens download while the controller signs for the last ones.
    const flush = async () => {
      const pending = chunk;
      chunk = [];
      if (pending.length === 0) return;
      const rows = await this.sign(pending, canon, issuedAt, expiresAt);
      this.ctx.store.published.reserve(rows);
      for (const row of rows) {
        published.push(row);
        sends.push(
          this.ctx.publish(topics.manifest(row.screenId), row.envelope, { qos: 1, retain: true }).then(() => {
            this.ctx.bus.emit("manifest-published", { screenId: row.screenId, version: row.version, at: now });
            return row;
          }),
        );
      }
      await new Promise((resolve) => setImmediate(resolve));
    };

    let compiled = 0;
    for (const screen of content.screens) {
      // let acks, heartbeats and the broker's own writes through while 5000 screens compile
      if (++compiled % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
      const screenContent = contentFor.get(screen.gate);
      if (!screenContent) {
        this.ctx.log.warn(
          { screenId: screen.id, gate: screen.gate },
          "screen's gate is not in the release: no manifest",
        );
        continue;
      }
      const body = compileScreenProgram(screenContent, screen, intern);
      const bodyHash = hashOf(body, canon);
      const prev = previous.get(screen.id);
      const floor = this.floors.get(screen.id);
      const behind = floor !== undefined && floor >= (prev?.version ?? 0);
      const stale = prev && (!prev.signed || now - prev.publishedAt > ttlMs / 2 || behind);
      if (prev && prev.bodyHash === bodyHash && !stale) continue;

      const version = nextVersion(prev?.version, now, floor);
      this.floors.delete(screen.id);
      const payload = buildManifest(
        body,
        {
          version,
          release: prev && prev.bodyHash === bodyHash ? prev.releaseId : releaseId,
          issuedAt: now,
          ttlMs,
          mediaUrl: (sha) => `${this.ctx.config.mediaBaseUrl ?? "/media"}/${sha}`,
        },
        mediaRefs,
      );
      chunk.push({
        screenId: screen.id,
        version,
        bodyHash,
        releaseId: payload.release,
        publishedAt: now,
        items: itemsOf(body.items),
        expiresAt: now + ttlMs,
        payload,
        batch: batchScreens.has(screen.id),
      });
      if (chunk.length >= this.ctx.config.publishChunk) await flush();
    }
    await flush();
    // The signed texts, kept to put back retained messages a restarted broker lost. One that did not
    // go out stays unsigned in the store, so the next run signs it again.
    const sent = await Promise.allSettled(sends);
    const ackedAt = this.ctx.clock.now();
    // tens of megabytes at 10,000 screens: saved in slices, letting acks and heartbeats through between
    const saved = sent.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    for (let i = 0; i < saved.length; i += 250) {
      this.ctx.store.published.saveEnvelopes(saved.slice(i, i + 250));
      if (i + 250 < saved.length) await new Promise((resolve) => setImmediate(resolve));
    }
    const failed = sent.filter((r) => r.status === "rejected");
    if (failed.length) this.ctx.log.warn({ count: failed.length, err: failed[0]?.reason }, "manifests not sent");
    if (published.length) {
      const ms = Math.round(performance.now() - started);
      this.lastRun = { startedAt: now, ackedAt, count: published.length };
      this.ctx.log.info({ count: published.length, release: releaseId, ms }, "manifests published");
    }
    if (only === null) this.manifestAlerts = manifestAlerts;
    this.scheduleExpiry(content.alerts, now);
    return { published: published.map((r) => r.screenId) };
  }

  /**
   * Signs a chunk: the manifests of kiosks that verify batches under one signature over a Merkle root
   * (each envelope carries its inclusion proof), the others one signature each.
   */
  private async sign<T extends { payload: ManifestPayload; batch: boolean }>(
    pending: readonly T[],
    canon: Canonicalizer,
    issuedAt: string,
    expiresAt: string,
  ): Promise<(Omit<T, "payload" | "batch"> & { envelope: string | Uint8Array })[]> {
    const { keyId } = this.ctx.keys.current;
    const signer = this.ctx.keys.signBytes;
    const batched = pending.filter((p) => p.batch);
    const envelopes = new Map<T, string | Uint8Array>();
    if (batched.length > 0) {
      const bytes = await signBatch(
        batched.map((p) => canon(p.payload)),
        { keyId, signer, hash: sha256, issuedAt, expiresAt },
      );
      for (const [i, p] of batched.entries()) envelopes.set(p, bytes[i] as Uint8Array);
    }
    for (const p of pending) if (!p.batch) envelopes.set(p, await signToJson(p.payload, keyId, signer, canon));
    return pending.map(({ payload: _p, batch: _b, ...row }, i) => ({
      ...row,
      envelope: envelopes.get(pending[i] as T) as string | Uint8Array,
    }));
  }

  private async publishGateAlerts(gateIds: string[], alerts: Alert[], now: number): Promise<void> {
    for (const gateId of gateIds) {
      const mine = alerts.filter((a) => isGateWide(a, gateId));
      const bodyHash = hashOf(mine);
      const prev = this.ctx.store.published.gate(gateId);
      // (a row without an envelope is a clearing from before clearings were signed: sign it now)
      if (prev ? prev.bodyHash === bodyHash && prev.envelope !== null : mine.length === 0) continue;
      const seq = nextVersion(prev?.seq, now);
      // clearing is a signed empty list with a higher seq: kiosks ignore an empty (unsigned) message
      const payload: GateAlertsPayload = { gate: gateId, seq, issuedAt: new Date(now).toISOString(), alerts: mine };
      const envelope = await signToJson(payload, this.ctx.keys.current.keyId, this.ctx.keys.signBytes);
      this.ctx.store.published.saveGate({ gateId, seq, bodyHash, envelope });
      await this.ctx.publish(topics.alert(gateId), envelope, { qos: 1, retain: true });
    }
  }

  /** Republish when the next live alert expires, so it leaves retained topics and manifests. */
  private scheduleExpiry(alerts: Alert[], now: number): void {
    clearTimeout(this.expiryTimer);
    const next = Math.min(...alerts.map((a) => Date.parse(a.expiresAt)).filter((t) => t > now));
    if (!Number.isFinite(next)) return;
    this.expiryTimer = setTimeout(
      () => {
        this.ctx.bus.emit("alerts-changed", { alertId: null });
      },
      Math.min(next - now + 50, 2_147_000_000),
    );
    this.expiryTimer.unref();
  }
}
