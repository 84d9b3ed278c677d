import { generateKeyPair, importSigningKey, SignedEnvelope, signPayload, verifyEnvelope } from "@gatecast/playlists";
import { z } from "zod";
import { parseCommandArgs } from "../args.ts";
import { CliError, UsageError } from "../cliError.ts";
import type { Io } from "../io.ts";
import { parseAs, readJson, readPrivateKey, readVerificationKeys, writeSecret } from "../keyFiles.ts";

export async function keygen(argv: string[], io: Io): Promise<number> {
  const usage = "gatecast keygen [--out FILE] [--force]";
  const { values } = parseCommandArgs(argv, { out: { type: "string" }, force: { type: "boolean" } }, usage);
  const out = values.out ?? "signing-key.json";
  const { kid, d, ...pub } = await generateKeyPair();
  await writeSecret(out, `${JSON.stringify({ ...pub, d, kid }, null, 2)}\n`, values.force ?? false);
  io.err(`private key written to ${out} (mode 0600); keep it out of git. Public key set:`);
  io.out(JSON.stringify({ keys: [{ ...pub, kid, alg: "EdDSA", use: "sig" }] }, null, 2));
  return 0;
}

export async function sign(argv: string[], io: Io): Promise<number> {
  const usage = "gatecast sign --key KEYFILE [PAYLOAD.json | -]";
  const { values, positionals } = parseCommandArgs(argv, { key: { type: "string" } }, usage);
  if (!values.key) throw new UsageError(`--key is required\nusage: ${usage}`);
  const key = await importSigningKey(await readPrivateKey(values.key));
  const source = positionals[0] ?? "-";
  const payload = parseAs(z.record(z.string(), z.unknown()), await readJson(source, "payload"), `payload ${source}`);
  io.out(JSON.stringify(await signPayload(payload, key)));
  return 0;
}

export async function verify(argv: string[], io: Io): Promise<number> {
  const usage = "gatecast verify FILE --key KEYFILE|JWKS";
  const { values, positionals } = parseCommandArgs(argv, { key: { type: "string" } }, usage);
  const file = positionals[0];
  if (!file || !values.key) throw new UsageError(`FILE and --key are required\nusage: ${usage}`);
  const envelope = parseAs(SignedEnvelope, await readJson(file, "envelope"), `envelope ${file}`);
  const result = await verifyEnvelope(envelope, await readVerificationKeys(values.key));
  if (!result.ok) throw new CliError(`invalid: ${file}: ${result.reason} (key id ${envelope.keyId})`);
  io.out(`valid: ${file} signed by key ${envelope.keyId}`);
  return 0;
}
