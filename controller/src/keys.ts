import { createPrivateKey, sign } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type ByteSigner,
  generateKeyPair,
  importSigningKey,
  type Jwks,
  jwksOf,
  PrivateJwk,
  type SigningKey,
} from "@gatecast/playlists";

export interface KeyRing {
  current: SigningKey;
  jwks: Jwks;
  /** Node's own Ed25519: synchronous and several times faster than a WebCrypto round trip per manifest. */
  signBytes: ByteSigner;
}

export const SIGNING_KEY_FILE = "signing-key.json";

/**
 * The files kept with the signing key in DATA_DIR: `backup` archives each that exists, and `restore`
 * accepts these names beside the store and the media, and nothing else. A file that must travel with
 * the key (e.g. a counter that keeps manifest versions going up across restores) is added here.
 */
export const SIGNING_FILES: readonly string[] = [SIGNING_KEY_FILE];

/** The controller's Ed25519 key, made on first start and kept in the data folder readable by its owner only. */
export async function loadOrCreateKeyRing(dataDir: string): Promise<KeyRing> {
  const file = join(dataDir, SIGNING_KEY_FILE);
  let jwk: PrivateJwk;
  try {
    const parsed = PrivateJwk.safeParse(JSON.parse(await readFile(file, "utf8")));
    if (!parsed.success)
      throw new Error(`${file} is not an Ed25519 private key (JWK): ${parsed.error.issues[0]?.message}`);
    jwk = parsed.data;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    jwk = await generateKeyPair();
    await writeFile(file, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: "wx" });
  }
  return keyRingOf(jwk);
}

/** The signing key in DATA_DIR for a command that only reads (the site export): never made here. */
export async function loadKeyRing(dataDir: string): Promise<KeyRing> {
  const file = join(dataDir, SIGNING_KEY_FILE);
  const parsed = PrivateJwk.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success)
    throw new Error(`${file} is not an Ed25519 private key (JWK): ${parsed.error.issues[0]?.message}`);
  return keyRingOf(parsed.data);
}

async function keyRingOf(jwk: PrivateJwk): Promise<KeyRing> {
  const current = await importSigningKey(jwk);
  const nodeKey = createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x, d: jwk.d }, format: "jwk" });
  return { current, jwks: jwksOf(current), signBytes: (data) => sign(null, data, nodeKey) };
}
