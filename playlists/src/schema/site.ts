import { z } from "zod";
import { Instant, Sha256 } from "./common.ts";

/** A file's path inside a gate site: relative, forward slashes, no `..`, no hidden files. */
export const SitePath = z.stringFormat(
  "site-path",
  (s) => s.length <= 300 && /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(s),
  { error: "expected a relative path inside the site (letters, digits, . _ -, no ..)" },
);

/**
 * What a gate site's `release.json` signs (DESIGN.md, "Gate site"): the release it was built from, when,
 * and the sha256 of every other file of the site. Signed like a manifest: `{payload, keyId, signature}`,
 * Ed25519 over the payload's RFC 8785 canonical JSON, with the controller's key (`keys.json` beside it).
 */
export const SiteRelease = z.strictObject({
  format: z.literal("gatecast-site"),
  release: z.int().nonnegative(),
  issuedAt: Instant,
  pages: z.array(z.strictObject({ path: SitePath, sha256: Sha256 })).max(100_000),
});
export type SiteRelease = z.infer<typeof SiteRelease>;

/** The files of a site that `release.json` does not list: itself and the public keys that check it. */
export const SITE_UNLISTED: readonly string[] = ["release.json", "keys.json"];
