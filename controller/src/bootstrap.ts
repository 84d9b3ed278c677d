import { formatIssue, loadContentDir } from "@gatecast/playlists/load";
import { randomSecret } from "./auth/passwords.ts";
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./log.ts";
import type { Store } from "./store/index.ts";

export class ContentError extends Error {}

/** Loads a content folder into the draft (and its media into the store); problems refuse the whole import. */
export async function importContent(store: Store, dir: string, now: number): Promise<{ items: number; media: number }> {
  const { content, issues, mediaFiles } = await loadContentDir(dir);
  if (issues.length > 0) throw new ContentError(`${dir}:\n${issues.map(formatIssue).join("\n")}`);
  for (const info of content.media) {
    const file = mediaFiles.get(info.sha256);
    if (file) await store.media.importFile(file, info, now);
  }
  store.transaction(() => {
    store.draft.replace(content, now);
    for (const alert of content.alerts) store.alerts.put(alert, "import", now);
  });
  return { items: content.items.length, media: content.media.length };
}

/**
 * First start: the admin account (password from GATECAST_ADMIN_PASSWORD, or a random one shown once)
 * and, when the store has no release yet, the content folder imported and released as release 1.
 */
export async function bootstrap(deps: { config: Config; store: Store; log: Logger; clock: Clock }): Promise<{
  generatedAdminPassword: string | null;
}> {
  const { config, store, log, clock } = deps;
  const now = clock.now();
  let generatedAdminPassword: string | null = null;
  if (store.users.count() === 0) {
    const password = config.adminPassword ?? randomSecret(15);
    if (!config.adminPassword) generatedAdminPassword = password;
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
    const content = store.draftContent();
    const release = store.releases.create(
      content,
      "system",
      `Nhập nội dung ban đầu từ ${config.contentDir} / initial import`,
      now,
    );
    store.audit.record({
      at: now,
      actor: "system",
      action: "release",
      objectKind: "release",
      objectId: String(release.id),
      before: null,
      after: { note: release.note },
    });
    log.info({ release: release.id, ...counts, from: config.contentDir }, "content imported and released");
  }
  return { generatedAdminPassword };
}
