import { pbkdf2Sync, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

/** Operator passwords: scrypt, `scrypt$N$salt$hash` (base64url). */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 16_384, r: 8, p: 1 });
  return `scrypt$16384$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, n, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const got = scryptSync(password, Buffer.from(salt, "base64url"), expected.length, { N: Number(n), r: 8, p: 1 });
  return timingSafeEqual(got, expected);
}

/**
 * Screen (MQTT) passwords use Mosquitto's own `$7$` format (PBKDF2-SHA512), so `gatecast broker-config`
 * can hand the same hashes to an external Mosquitto. The passwords are 192-bit random strings, so a
 * modest iteration count costs an attacker nothing they could use and keeps reconnect storms cheap.
 */
const MQTT_ITERATIONS = 1000;

export function hashMqttPassword(password: string): string {
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(password, salt, MQTT_ITERATIONS, 64, "sha512");
  return `$7$${MQTT_ITERATIONS}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

export function verifyMqttPassword(password: string, stored: string): boolean {
  const [, scheme, iterations, salt, hash] = stored.split("$");
  if (scheme !== "7" || !iterations || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const got = pbkdf2Sync(password, Buffer.from(salt, "base64"), Number(iterations), expected.length, "sha512");
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** A random secret for people or machines to copy: base64url, `bytes` of entropy. */
export function randomSecret(bytes = 24): string {
  return randomBytes(bytes).toString("base64url");
}
