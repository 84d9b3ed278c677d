import type { Screen } from "@gatecast/playlists";
import type { PairingClaim } from "@gatecast/playlists/api";
import type { z } from "zod";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { AppError, invalid, issue } from "../errors.ts";
import type { User } from "../store/users.ts";

/**
 * An admin claims the code a screen shows for a screen id, creating the screen when gate and name
 * are given; the screen's next poll gets its credentials.
 */
export function claimPairing(ctx: Context, user: User, code: string, claim: z.output<typeof PairingClaim>): Screen {
  // the code first: a wrong or expired one must not leave a screen behind
  if (!ctx.pairings.isOpen(code)) throw noPairing(code);
  const screen = ctx.store.transaction(() => {
    const existing = ctx.store.draft.get("screens", claim.screenId);
    const s = existing ?? createScreen(ctx, user, claim);
    if (!ctx.pairings.claim(code, s.id)) throw noPairing(code);
    audit(ctx, user, "pair", "screen", s.id, null, { code });
    return s;
  });
  ctx.bus.emit("screens-changed", { screenIds: [screen.id] });
  return screen;
}

function createScreen(ctx: Context, user: User, claim: z.output<typeof PairingClaim>): Screen {
  if (!claim.gate || !claim.name)
    throw new AppError("not-found", `screen ${claim.screenId} not found: give gate and name to create it`, {
      params: { kind: "screen", id: claim.screenId },
      issues: [issue("gate", "required-to-create", "required to create a new screen")],
    });
  if (!ctx.store.draft.get("gates", claim.gate))
    throw invalid(
      [issue("gate", "unknown-ref", `unknown gate "${claim.gate}"`, { kind: "gate", id: claim.gate })],
      "invalid body",
    );
  const screen: Screen = {
    id: claim.screenId,
    gate: claim.gate,
    name: claim.name,
    tags: claim.tags ?? [],
    orientation: claim.orientation ?? "landscape",
  };
  ctx.store.draft.put("screens", screen, ctx.clock.now());
  audit(ctx, user, "create", "screen", screen.id, null, screen);
  return screen;
}

const noPairing = (code: string) =>
  new AppError("not-found", `pairing code ${code} (wrong or expired) not found`, {
    params: { kind: "pairing-code", id: code },
    issues: [issue("code", "no-pairing", "wrong, expired or already used")],
  });
