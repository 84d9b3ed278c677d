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
  let screen = ctx.store.draft.get("screens", claim.screenId);
  if (!screen) {
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
    screen = {
      id: claim.screenId,
      gate: claim.gate,
      name: claim.name,
      tags: claim.tags ?? [],
      orientation: claim.orientation ?? "landscape",
    };
    ctx.store.draft.put("screens", screen, ctx.clock.now());
    audit(ctx, user, "create", "screen", screen.id, null, screen);
  }
  if (!ctx.pairings.claim(code, screen.id))
    throw new AppError("not-found", `pairing code ${code} (wrong or expired) not found`, {
      params: { kind: "pairing-code", id: code },
      issues: [issue("code", "no-pairing", "wrong, expired or already used")],
    });
  audit(ctx, user, "pair", "screen", screen.id, null, { code });
  ctx.bus.emit("screens-changed", { screenIds: [screen.id] });
  return screen;
}
