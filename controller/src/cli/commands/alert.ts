import { readFile, stat } from "node:fs/promises";
import { ApiErrorBody, CAP_MAX_BYTES, CapImportResult, routes } from "@gatecast/playlists/api";
import { parseCommandArgs } from "../args.ts";
import { CliError, UsageError } from "../cliError.ts";
import type { Io } from "../io.ts";

const USAGE = "gatecast alert import FILE.xml [--controller URL] [--token T] [--dry-run]";

/**
 * `gatecast alert import FILE.xml`: sends an OASIS CAP 1.2 message to the running controller, which alone
 * checks, signs and publishes it (the same path as the console's). Prints what was done, or what would
 * have been for a Test or Exercise message or with --dry-run; a refusal prints its code and exits 1.
 */
export async function alertCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      controller: { type: "string" },
      token: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
    USAGE,
  );
  const [sub, file, ...extra] = positionals;
  if (sub !== "import" || !file || extra.length > 0) throw new UsageError(`usage: ${USAGE}`);
  const controller = (values.controller ?? process.env.GATECAST_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, "");
  if (!/^https?:\/\//.test(controller)) throw new UsageError(`--controller must be an http(s) URL\nusage: ${USAGE}`);
  const token = values.token ?? process.env.GATECAST_TOKEN;
  if (!token)
    throw new UsageError(`give --token (or GATECAST_TOKEN): an approver's or an agency's API token\nusage: ${USAGE}`);

  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
  if (size > CAP_MAX_BYTES)
    throw new CliError(`${file}: a CAP message is at most ${CAP_MAX_BYTES} bytes (this is ${size})`);
  const xml = await readFile(file);

  const url = `${controller}${routes.cap.import.path}${values["dry-run"] ? "?dryRun=1" : ""}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/cap+xml" },
      body: xml,
    });
  } catch (e) {
    throw new CliError(`${controller}: ${(e as Error).message}`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${controller}: HTTP ${res.status}, not a gatecast answer`);
  }
  if (!res.ok) {
    const err = ApiErrorBody.safeParse(json);
    if (!err.success) throw new CliError(`${controller}: HTTP ${res.status}`);
    const fields = (err.data.issues ?? []).map((i) => `\n  ${i.path || "(document)"}: ${i.message}`).join("");
    throw new CliError(`refused (${err.data.code}): ${err.data.message}${fields}`);
  }
  const r = CapImportResult.parse(json);
  const verb = { send: "send", update: "update", cancel: "cancel" }[r.action];
  io.out(
    r.dryRun
      ? `dry run (status ${r.status}): would ${verb} alert ${r.alert.id}; nothing reached the screens`
      : `${verb === "send" ? "sent" : verb === "update" ? "updated" : "cancelled"} alert ${r.alert.id}`,
  );
  io.out(`  gates: ${r.gates.join(", ") || "—"}; screens: ${r.targetedScreens.length}; severity: ${r.alert.severity}`);
  io.out(`  ${r.alert.startsAt} → ${r.alert.expiresAt}`);
  io.out(`  vi: ${r.alert.message.vi}`);
  io.out(`  zh: ${r.alert.message.zh}`);
  if (r.alert.message.en) io.out(`  en: ${r.alert.message.en}`);
  return 0;
}
