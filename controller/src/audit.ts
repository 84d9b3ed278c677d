import type { Context } from "./context.ts";
import type { User } from "./store/users.ts";

/** Every write goes through here: who (null: the system), when, what, before and after. */
export function audit(
  ctx: Pick<Context, "store" | "clock">,
  user: User | null,
  action: string,
  objectKind: string,
  objectId: string | number | null,
  before: unknown,
  after: unknown,
): void {
  ctx.store.audit.record({
    at: ctx.clock.now(),
    actor: user?.username ?? "system",
    action,
    objectKind,
    objectId: objectId === null ? null : String(objectId),
    before: before ?? null,
    after: after ?? null,
  });
}
