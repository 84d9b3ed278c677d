import { readFile, writeFile } from "node:fs/promises";
import { Jwks, PrivateJwk, PublicJwk } from "@gatecast/playlists";
import type { z } from "zod";
import { CliError } from "./cliError.ts";

export async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = path === "-" ? await readStdin() : await readFile(path, "utf8");
  } catch (e) {
    throw new CliError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${what} ${path} is not JSON`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function parseAs<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new CliError(`${what}: ${first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "invalid"}`);
  }
  return r.data;
}

export async function readPrivateKey(path: string): Promise<PrivateJwk> {
  return parseAs(PrivateJwk, await readJson(path, "key file"), `key file ${path}`);
}

/** A JWKS, a single public JWK, or a private key file (its public half is used). */
export async function readVerificationKeys(path: string): Promise<Jwks> {
  const json = await readJson(path, "key file");
  const asSet = Jwks.safeParse(json);
  if (asSet.success) return asSet.data;
  return { keys: [parseAs(PublicJwk, json, `key file ${path}`)] };
}

/** Writes a secret readable by its owner only; never overwrites by accident. */
export async function writeSecret(path: string, text: string, force: boolean): Promise<void> {
  try {
    await writeFile(path, text, { mode: 0o600, flag: force ? "w" : "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST")
      throw new CliError(`${path} exists: pass --force to replace it`);
    throw new CliError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
