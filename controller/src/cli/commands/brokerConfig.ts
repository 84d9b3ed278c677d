import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { randomSecret } from "../../auth/passwords.ts";
import { CONTROLLER_USERNAME } from "../../broker/acl.ts";
import { mosquittoFiles, screenAccessFrom } from "../../broker/mosquittoConfig.ts";
import { loadConfig, parseSettings } from "../../config.ts";
import { parseCommandArgs } from "../args.ts";
import { CliError, UsageError } from "../cliError.ts";
import type { Io } from "../io.ts";
import { withReadOnlyStore } from "../readOnlyStore.ts";

/**
 * Writes Mosquitto's password and ACL files for every paired screen, from the store in DATA_DIR.
 * Central broker (default): the controller (MQTT_PASSWORD, else the one in OUTDIR/controller.env, made
 * once and never overwritten) and a bridge
 * login per gate (its password kept in bridge-GATE.secret, made once). `--gate G`: the files for gate
 * G's edge broker, with only its screens.
 */
export async function brokerConfig(argv: string[], io: Io): Promise<number> {
  const usage =
    "gatecast broker-config OUTDIR [--gate GATE]   (reads DATA_DIR; controller password from MQTT_PASSWORD)";
  const { positionals, values } = parseCommandArgs(argv, { gate: { type: "string" } }, usage);
  const out = positionals[0];
  if (!out) throw new UsageError(`OUTDIR is required\nusage: ${usage}`);
  const config = loadConfig();
  return withReadOnlyStore(config.dataDir, async (store) => {
    const screens = screenAccessFrom(store);
    const gates = store.draft.list("gates").map((g) => g.id);
    await mkdir(out, { recursive: true, mode: 0o700 });
    let files: { passwd: string; acl: string };
    let what: string;
    if (values.gate) {
      if (!gates.includes(values.gate))
        throw new UsageError(`unknown gate "${values.gate}" (known: ${gates.join(", ")})`);
      const mine = screens.filter((s) => s.gateId === values.gate);
      files = mosquittoFiles(mine, null);
      what = `the ${values.gate} edge broker (${mine.length} screens)`;
    } else {
      const controllerPassword = await controllerPasswordFor(out, parseSettings().MQTT_PASSWORD, io);
      const bridges = await Promise.all(
        gates.map(async (gateId) => ({ gateId, password: await bridgeSecret(out, gateId) })),
      );
      files = mosquittoFiles(screens, controllerPassword, bridges);
      what = `the central broker (${screens.length} screens, ${bridges.length} gate bridges)`;
    }
    await writeFile(join(out, "passwd"), files.passwd, { mode: 0o600 });
    await writeFile(join(out, "acl"), files.acl, { mode: 0o644 });
    io.out(
      `wrote ${resolve(out, "passwd")} and ${resolve(out, "acl")} for ${what}; reload Mosquitto (SIGHUP) to apply`,
    );
    return 0;
  });
}

/** The bridge password of a gate: made once, then reused so edges keep working across reruns. */
async function bridgeSecret(out: string, gateId: string): Promise<string> {
  const file = join(out, `bridge-${gateId}.secret`);
  const existing = await readFile(file, "utf8").then(
    (t) => t.trim(),
    () => "",
  );
  if (existing) return existing;
  const secret = randomSecret(24);
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * The controller's broker password: MQTT_PASSWORD when set (with or without MQTT_URL: broker-config
 * often runs before the controller is pointed at the broker), else the one kept in
 * OUTDIR/controller.env, else a new one written there. An existing controller.env is never rewritten:
 * the controller that reads it would lose its broker.
 */
async function controllerPasswordFor(out: string, fromEnv: string | undefined, io: Io): Promise<string> {
  const file = join(out, "controller.env");
  const kept = await readFile(file, "utf8").then(
    (text) => /^MQTT_PASSWORD=(.*)$/m.exec(text)?.[1]?.trim() ?? "",
    (e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return null;
      throw new CliError(`cannot read ${file}: ${e.code ?? e.message}`);
    },
  );
  if (fromEnv) {
    if (kept && kept !== fromEnv)
      io.err(`note: ${file} holds another password than MQTT_PASSWORD; the broker now expects MQTT_PASSWORD`);
    return fromEnv;
  }
  if (kept === "") throw new CliError(`${file} has no MQTT_PASSWORD line: add one, or set MQTT_PASSWORD`);
  if (kept) return kept;
  const made = randomSecret(32);
  await writeFile(file, `MQTT_USERNAME=${CONTROLLER_USERNAME}\nMQTT_PASSWORD=${made}\n`, { mode: 0o600, flag: "wx" });
  io.err(`no MQTT_PASSWORD set: made one for the controller in ${file} (add it to the controller's settings)`);
  return made;
}
