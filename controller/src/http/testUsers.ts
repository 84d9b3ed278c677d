import type { Role } from "@gatecast/playlists";
import { ADMIN_PASSWORD, ApiClient } from "../testing/harness.ts";

/** Test helpers shared by the route tests: logged-in clients for each role. */
export const passwordOf = (username: string): string => `${username}-secret-password`;

export async function loginAs(url: string, username = "admin", password = ADMIN_PASSWORD): Promise<ApiClient> {
  const client = new ApiClient(url);
  const res = await client.login(username, password);
  if (!res.ok) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  return client;
}

/** Creates an account through the users API and logs it in. */
export async function userWithRole(
  admin: ApiClient,
  role: Role,
  username: string = role,
): Promise<{ client: ApiClient; id: number }> {
  const r = await admin.json<{ id: number }>("POST", "/api/v1/users", {
    username,
    password: passwordOf(username),
    role,
  });
  if (r.status !== 201) throw new Error(`creating ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { client: await loginAs(admin.baseUrl, username, passwordOf(username)), id: r.body.id };
}

/** The error body every route answers with. */
export type { ApiErrorBody as ErrorBody } from "@gatecast/playlists/api";
