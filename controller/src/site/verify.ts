import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { type Jwks, SITE_UNLISTED, SignedEnvelope, SiteRelease, verifyEnvelope } from "@gatecast/playlists";
import { sitePaths } from "./paths.ts";

export interface SiteProblem {
  path: string;
  problem: "missing" | "altered" | "unlisted";
}

export type SiteVerifyResult =
  | { ok: true; release: SiteRelease; keyId: string }
  | { ok: false; reason: "no-release" | "malformed" | "unknown-key" | "bad-signature"; detail?: string }
  | { ok: false; reason: "files"; release: SiteRelease; problems: SiteProblem[] };

/** Every file below `dir`, as site paths (forward slashes), sorted. */
export async function siteFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
}

/**
 * Checks a gate site as a traveller's copy would be checked: `release.json` signed by one of `jwks`, and
 * every file of the folder listed in it with the same sha256 (none missing, none added).
 */
export async function verifySite(dir: string, jwks: Jwks): Promise<SiteVerifyResult> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, sitePaths.release), "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? { ok: false, reason: "no-release" }
      : { ok: false, reason: "malformed", detail: code ?? "release.json is not JSON" };
  }
  const envelope = SignedEnvelope.safeParse(raw);
  if (!envelope.success) return { ok: false, reason: "malformed", detail: envelope.error.issues[0]?.message };
  const signed = await verifyEnvelope(envelope.data, jwks);
  if (!signed.ok) return { ok: false, reason: signed.reason === "malformed" ? "malformed" : signed.reason };
  const release = SiteRelease.safeParse(signed.payload);
  if (!release.success) {
    const i = release.error.issues[0];
    return { ok: false, reason: "malformed", detail: i ? `${i.path.join(".")}: ${i.message}` : undefined };
  }
  const listed = new Map(release.data.pages.map((p) => [p.path, p.sha256]));
  const present = (await siteFiles(dir)).filter((f) => !SITE_UNLISTED.includes(f));
  const problems: SiteProblem[] = [];
  for (const path of present) {
    const want = listed.get(path);
    if (!want) {
      problems.push({ path, problem: "unlisted" });
      continue;
    }
    listed.delete(path);
    const got = createHash("sha256")
      .update(await readFile(join(dir, path)))
      .digest("hex");
    if (got !== want) problems.push({ path, problem: "altered" });
  }
  for (const path of listed.keys()) problems.push({ path, problem: "missing" });
  if (problems.length > 0) return { ok: false, reason: "files", release: release.data, problems };
  return { ok: true, release: release.data, keyId: envelope.data.keyId };
}
