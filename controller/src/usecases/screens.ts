import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type CommandName,
  type CommandPayload,
  panelOf,
  type Screen,
  type ScreenCredentials,
  topics,
} from "@gatecast/playlists";
import { MAX_SCREENSHOT_BYTES, type ScreenView } from "@gatecast/playlists/api";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { AppError, invalid, issue, notFound } from "../errors.ts";
import type { ScreenJudgement } from "../features/fleetHealth.ts";
import type { User } from "../store/users.ts";

/*
 * The screen inventory and what operators do to a screen: add, change, remove, new credentials,
 * remote commands, and the screenshot it sends back.
 */

export function getScreen(ctx: Pick<Context, "store">, id: string): Screen {
  const s = ctx.store.draft.get("screens", id);
  if (!s) throw notFound("screen", id);
  return s;
}

/** Inventory, live state, how far behind the screen is, and what is true of it (`FleetHealth`). */
export function screenView(
  ctx: Pick<Context, "store" | "health">,
  screen: Screen,
  judged: ScreenJudgement | undefined = ctx.health.one(screen.id),
): ScreenView {
  const state = ctx.store.fleet.state(screen.id);
  const published = ctx.store.published.meta(screen.id);
  const hb = state?.heartbeat ?? null;
  const applied = state?.appliedVersion ?? null;
  const appliedRelease =
    applied === null
      ? null
      : published?.version === applied
        ? published.releaseId
        : (ctx.store.published.history(screen.id).find((h) => h.version === applied)?.releaseId ?? null);
  return {
    ...screen,
    panel: panelOf(screen),
    paired: ctx.store.fleet.credentials(screen.id) !== undefined,
    online: state?.online ?? false,
    since: state?.since ?? null,
    lastSeenAt: state?.lastSeenAt ?? null,
    lastHeartbeatAt: hb ? Date.parse(hb.at) : null,
    nowPlaying: hb?.nowPlaying ?? null,
    lastFrameAt: hb?.lastFrameAt ?? null,
    manifest: {
      published: published?.version ?? null,
      publishedAt: published?.publishedAt ?? null,
      release: published?.releaseId ?? null,
      applied,
      appliedRelease,
      pending: hb?.pendingVersion ?? null,
      inSync: published !== undefined && applied === published.version,
    },
    media: hb?.media ?? null,
    storage: hb?.storage ?? null,
    memory: hb?.memory ?? null,
    uptimeS: hb?.uptimeS ?? null,
    appVersion: state?.appVersion ?? null,
    errors: state?.errors ?? [],
    screenshotAt: state?.screenshotAt ?? null,
    presence: judged?.health.presence ?? "never-seen",
    connected: judged?.health.connected ?? false,
    presenceSince: judged?.health.presenceSince ?? null,
    problems: judged?.health.problems ?? [],
    hoursNow: {
      scheduled: judged?.onHours != null,
      on: judged?.hours.on ?? true,
      since: judged?.hours.since ?? null,
      until: judged?.hours.until ?? null,
    },
    display: hb?.display ?? null,
    panelPower: hb?.panelPower ?? null,
    viewport: hb?.viewport ?? null,
    paging: hb?.paging ?? null,
    clock: { offsetMs: state?.clockOffsetMs ?? null, kiosk: hb?.clock ?? null },
  };
}

export function listScreens(ctx: Pick<Context, "store" | "health">): ScreenView[] {
  const judged = new Map(ctx.health.all().map((j) => [j.screen.id, j]));
  return ctx.store.draft.list("screens").map((s) => screenView(ctx, s, judged.get(s.id)));
}

/**
 * Adds or changes a screen; takes effect at once (screens are live inventory, not released). A new
 * gate, or the screen's removal, ends its broker connections: its rights changed.
 */
export function saveScreen(ctx: Context, user: User, screen: Screen, opts: { create: boolean }): { created: boolean } {
  if (!ctx.store.draft.get("gates", screen.gate))
    throw invalid(
      [issue("gate", "unknown-ref", `unknown gate "${screen.gate}"`, { kind: "gate", id: screen.gate })],
      "invalid body",
    );
  const before = ctx.store.draft.get("screens", screen.id) ?? null;
  if (opts.create && before)
    throw new AppError("exists", `screen ${screen.id} already exists`, { params: { kind: "screen", id: screen.id } });
  ctx.store.draft.put("screens", screen, ctx.clock.now());
  audit(ctx, user, before ? "update" : "create", "screen", screen.id, before, screen);
  if (before && before.gate !== screen.gate) ctx.bus.emit("screen-access-changed", { screenId: screen.id });
  ctx.bus.emit("screens-changed", { screenIds: [screen.id] });
  return { created: before === null };
}

/**
 * Deletes a screen and everything that let it act as that screen: in one transaction its entry, MQTT
 * credentials (the screenshot upload's too), live state and signed manifest go, its retained manifest
 * and status are queued for clearing (`features/retainedClears.ts` sends them), and the audit entry is
 * written. Then its connections are dropped and its last screenshot removed. A screen re-created under
 * the same id inherits nothing but its version counter (its manifests keep going up).
 */
export async function removeScreen(ctx: Context, user: User, id: string): Promise<void> {
  const before = getScreen(ctx, id);
  ctx.store.transaction(() => {
    ctx.store.removeScreen(id, ctx.clock.now());
    audit(ctx, user, "delete", "screen", id, before, null);
  });
  ctx.bus.emit("screen-access-changed", { screenId: id, revoked: true });
  await rm(screenshotFile(ctx, id), { force: true });
  ctx.bus.emit("screens-changed", { screenIds: [id] });
}

/** New MQTT credentials for a screen (the old ones stop working), as the screen needs them at `origin`. */
export function renewCredentials(ctx: Context, user: User, id: string, origin: string): ScreenCredentials {
  getScreen(ctx, id);
  const issued = ctx.pairings.issueCredentials(id);
  audit(ctx, user, "issue-credentials", "screen", id, null, { username: issued.username });
  return ctx.pairings.credentialsFor(issued, origin);
}

/** A remote action on one screen; the screen acks it with `cmd-done` (a server-sent event). */
export async function sendCommand(ctx: Context, user: User, id: string, cmd: CommandName): Promise<CommandPayload> {
  getScreen(ctx, id);
  // nothing would receive it: say so rather than queue it for a device that does not exist
  if (ctx.store.fleet.credentials(id) === undefined)
    throw new AppError("not-paired", `screen ${id} is not paired`, { params: { kind: "screen", id } });
  const payload: CommandPayload = { id: randomUUID(), cmd, issuedAt: new Date(ctx.clock.now()).toISOString() };
  await ctx.publish(topics.cmd(id), JSON.stringify(payload), { qos: 1 });
  audit(ctx, user, `command:${cmd}`, "screen", id, null, payload);
  return payload;
}

const screenshotFile = (ctx: Pick<Context, "config">, id: string) =>
  join(ctx.config.dataDir, "screenshots", `${id}.jpg`);

/** Keeps a screen's own capture (checked to be a JPEG of at most 2 MB), replacing the last one. */
export async function storeScreenshot(ctx: Context, id: string, type: string, body: Uint8Array): Promise<void> {
  if (!type.startsWith("image/jpeg")) throw new AppError("unsupported-type", "expected image/jpeg");
  if (body.length > MAX_SCREENSHOT_BYTES)
    throw new AppError("too-large", "screenshot too large", { params: { maxBytes: MAX_SCREENSHOT_BYTES } });
  if (body[0] !== 0xff || body[1] !== 0xd8) throw new AppError("unsupported-type", "not a JPEG");
  const file = screenshotFile(ctx, id);
  await mkdir(join(ctx.config.dataDir, "screenshots"), { recursive: true });
  await writeFile(`${file}.tmp`, body);
  await rename(`${file}.tmp`, file);
  ctx.store.fleet.markScreenshot(id, ctx.clock.now());
  ctx.bus.emit("screen-state", { screenId: id });
}

export async function readScreenshot(ctx: Pick<Context, "config">, id: string): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = await readFile(screenshotFile(ctx, id)).catch(() => null);
  if (!bytes) throw notFound("screenshot", id);
  return new Uint8Array(bytes);
}
