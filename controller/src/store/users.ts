import { createHash, randomBytes } from "node:crypto";
import { ContributorScope, Role } from "@gatecast/playlists";
import { TokenBinding } from "@gatecast/playlists/api";
import { hashPassword, verifyPassword } from "../auth/passwords.ts";
import { type Db, prepare } from "./db.ts";

export interface User {
  id: number;
  username: string;
  role: Role;
  displayName: string | null;
  createdAt: number;
  disabled: boolean;
  /** A contributor's scope (agency, categories, gates); null for every other role. */
  scope: ContributorScope | null;
}

interface UserRow {
  id: number;
  username: string;
  role: string;
  display_name: string | null;
  created_at: number;
  disabled: number;
  password_hash: string;
  scope: string | null;
}

function scopeOf(text: string | null): ContributorScope | null {
  if (!text) return null;
  const r = ContributorScope.safeParse(JSON.parse(text));
  return r.success ? r.data : null;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  role: Role.parse(r.role),
  displayName: r.display_name,
  createdAt: r.created_at,
  disabled: r.disabled === 1,
  scope: scopeOf(r.scope),
});

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export const SESSION_TTL_MS = 12 * 3_600_000;

export class UserStore {
  constructor(private readonly db: Db) {}

  count(): number {
    return (prepare(this.db, "SELECT COUNT(*) AS n FROM users").get() as { n: number }).n;
  }

  create(
    u: {
      username: string;
      password: string;
      role: Role;
      displayName?: string | null | undefined;
      scope?: ContributorScope | null | undefined;
    },
    now: number,
  ): User {
    const info = prepare(
      this.db,
      "INSERT INTO users (username, password_hash, role, display_name, created_at, scope) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(
      u.username,
      hashPassword(u.password),
      u.role,
      u.displayName ?? null,
      now,
      u.scope ? JSON.stringify(u.scope) : null,
    );
    return this.get(Number(info.lastInsertRowid)) as User;
  }

  get(id: number): User | undefined {
    const r = prepare(this.db, "SELECT * FROM users WHERE id = ?").get(id) as UserRow | undefined;
    return r ? toUser(r) : undefined;
  }

  byUsername(username: string): User | undefined {
    const r = prepare(this.db, "SELECT * FROM users WHERE username = ?").get(username) as UserRow | undefined;
    return r ? toUser(r) : undefined;
  }

  list(): User[] {
    return (prepare(this.db, "SELECT * FROM users ORDER BY username").all() as UserRow[]).map(toUser);
  }

  /** Changes an account; a new password or disabling ends its sessions, and a new password revokes its API tokens. */
  update(
    id: number,
    now: number,
    patch: {
      role?: Role | undefined;
      displayName?: string | null | undefined;
      disabled?: boolean | undefined;
      password?: string | undefined;
      scope?: ContributorScope | null | undefined;
    },
  ): void {
    const u = prepare(this.db, "SELECT * FROM users WHERE id = ?").get(id) as UserRow | undefined;
    if (!u) return;
    prepare(this.db, "UPDATE users SET role = ?, display_name = ?, disabled = ?, password_hash = ? WHERE id = ?").run(
      patch.role ?? u.role,
      patch.displayName === undefined ? u.display_name : patch.displayName,
      patch.disabled === undefined ? u.disabled : patch.disabled ? 1 : 0,
      patch.password ? hashPassword(patch.password) : u.password_hash,
      id,
    );
    if (patch.scope !== undefined)
      prepare(this.db, "UPDATE users SET scope = ? WHERE id = ?").run(
        patch.scope ? JSON.stringify(patch.scope) : null,
        id,
      );
    if (patch.disabled || patch.password) prepare(this.db, "DELETE FROM sessions WHERE user_id = ?").run(id);
    // a token made by whoever knew the old password must not outlive it
    if (patch.password)
      prepare(this.db, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL").run(now, id);
  }

  delete(id: number): boolean {
    return prepare(this.db, "DELETE FROM users WHERE id = ?").run(id).changes > 0;
  }

  /** The user when the password is right and the account enabled. Always does the hashing work. */
  checkPassword(username: string, password: string): User | undefined {
    const r = prepare(this.db, "SELECT * FROM users WHERE username = ?").get(username) as UserRow | undefined;
    const ok = verifyPassword(password, r?.password_hash ?? DUMMY_HASH);
    return r && ok && r.disabled === 0 ? toUser(r) : undefined;
  }

  createSession(userId: number, now: number): { token: string; csrfToken: string; expiresAt: number } {
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(24).toString("base64url");
    const expiresAt = now + SESSION_TTL_MS;
    prepare(
      this.db,
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    ).run(sha256(token), userId, csrfToken, now, expiresAt);
    prepare(this.db, "DELETE FROM sessions WHERE expires_at < ?").run(now);
    return { token, csrfToken, expiresAt };
  }

  session(token: string, now: number): { user: User; csrfToken: string } | undefined {
    const r = prepare(
      this.db,
      "SELECT u.*, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
    ).get(sha256(token), now) as (UserRow & { csrf_token: string }) | undefined;
    return r ? { user: toUser(r), csrfToken: r.csrf_token } : undefined;
  }

  deleteSession(token: string): void {
    prepare(this.db, "DELETE FROM sessions WHERE token_hash = ?").run(sha256(token));
  }

  createApiToken(
    userId: number,
    name: string,
    now: number,
    expiresAt: number,
    binding: TokenBinding | null = null,
  ): { id: number; token: string; expiresAt: number } {
    const token = `gct_${randomBytes(30).toString("base64url")}`;
    const info = prepare(
      this.db,
      "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at, binding) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(userId, name, sha256(token), now, expiresAt, binding ? JSON.stringify(binding) : null);
    return { id: Number(info.lastInsertRowid), token, expiresAt };
  }

  /** The agency and gates a token is bound to (null: an ordinary token acting as its user). */
  apiTokenBinding(token: string): TokenBinding | null {
    const r = prepare(this.db, "SELECT binding FROM api_tokens WHERE token_hash = ?").get(sha256(token)) as
      | { binding: string | null }
      | undefined;
    return r?.binding ? TokenBinding.parse(JSON.parse(r.binding)) : null;
  }

  /** The token's user when it is neither revoked nor expired and the account enabled; notes the use. */
  apiTokenUser(token: string, now: number): User | undefined {
    const r = this.liveToken(token, now);
    if (!r) return undefined;
    prepare(this.db, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?").run(now, r.token_id);
    return toUser(r);
  }

  /** Whether a token still works (for streams that re-check), without counting it as a use. */
  apiTokenValid(token: string, now: number): boolean {
    return this.liveToken(token, now) !== undefined;
  }

  private liveToken(token: string, now: number): (UserRow & { token_id: number }) | undefined {
    return prepare(
      this.db,
      "SELECT u.*, t.id AS token_id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.disabled = 0",
    ).get(sha256(token), now) as (UserRow & { token_id: number }) | undefined;
  }

  listApiTokens(userId?: number): {
    id: number;
    userId: number;
    name: string;
    createdAt: number;
    expiresAt: number | null;
    lastUsedAt: number | null;
    revokedAt: number | null;
    binding: TokenBinding | null;
  }[] {
    const rows = (
      userId === undefined
        ? prepare(this.db, "SELECT * FROM api_tokens ORDER BY id").all()
        : prepare(this.db, "SELECT * FROM api_tokens WHERE user_id = ? ORDER BY id").all(userId)
    ) as {
      id: number;
      user_id: number;
      name: string;
      created_at: number;
      expires_at: number | null;
      last_used_at: number | null;
      revoked_at: number | null;
      binding: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      name: r.name,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
      binding: r.binding ? TokenBinding.parse(JSON.parse(r.binding)) : null,
    }));
  }

  revokeApiToken(id: number, now: number): boolean {
    return (
      prepare(this.db, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(now, id)
        .changes > 0
    );
  }
}

/** Compared against when the user does not exist, so timing does not reveal which usernames do. */
const DUMMY_HASH = hashPassword(randomBytes(16).toString("hex"));
