import { randomSecret } from "./auth/passwords.ts";
import type { Context } from "./context.ts";
import { importContent } from "./usecases/content.ts";
import { makeRelease } from "./usecases/releases.ts";

/** Where the first admin's password came from: GATECAST_ADMIN_PASSWORD, or made up and shown once. */
export type AdminCreated = "environment" | "generated";

/**
 * First start: the admin account (password from GATECAST_ADMIN_PASSWORD, or a random one shown once)
 * and, when the store has no release yet, the content folder imported and released as release 1, by
 * the same use cases an operator's import and release go through.
 */
export async function bootstrap(
  ctx: Pick<Context, "config" | "store" | "log" | "clock" | "bus">,
): Promise<{ adminCreated: AdminCreated | null; generatedAdminPassword: string | null }> {
  const { config, store, log, clock } = ctx;
  const now = clock.now();
  let generatedAdminPassword: string | null = null;
  let adminCreated: AdminCreated | null = null;
  if (store.users.count() === 0) {
    const password = config.adminPassword ?? randomSecret(15);
    if (!config.adminPassword) generatedAdminPassword = password;
    adminCreated = config.adminPassword ? "environment" : "generated";
    store.users.create({ username: "admin", password, role: "admin", displayName: "Quản trị viên" }, now);
    store.audit.record({
      at: now,
      actor: "system",
      action: "create",
      objectKind: "user",
      objectId: "admin",
      before: null,
      after: { username: "admin", role: "admin" },
    });
    log.info({ user: "admin" }, "admin account created");
  }
  if (!store.releases.latest()) {
    const counts = await importContent(store, config.contentDir, now);
    const release = makeRelease(ctx, null, `Nhập nội dung ban đầu từ ${config.contentDir} / initial import`);
    log.info({ release: release.id, ...counts, from: config.contentDir }, "content imported and released");
  }
  return { adminCreated, generatedAdminPassword };
}
