import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { randomSecret } from "../../auth/passwords.ts";
import { mosquittoFiles, screenAccessFrom } from "../../broker/mosquittoConfig.ts";
import { loadConfig } from "../../config.ts";
import { Store } from "../../store/index.ts";
import { parseCommandArgs } from "../args.ts";
import { UsageError } from "../cliError.ts";
import type { Io } from "../io.ts";

/** Writes Mosquitto's password and ACL files for every paired screen, from the store in DATA_DIR. */
export async function brokerConfig(argv: string[], io: Io): Promise<number> {
  const usage = "gatecast broker-config OUTDIR   (reads DATA_DIR; controller password from MQTT_PASSWORD)";
  const { positionals } = parseCommandArgs(argv, {}, usage);
  const out = positionals[0];
  if (!out) throw new UsageError(`OUTDIR is required\nusage: ${usage}`);
  const config = loadConfig();
  const store = await Store.open(config.dataDir);
  try {
    const screens = screenAccessFrom(store);
    let controllerPassword = config.mqtt?.password;
    await mkdir(out, { recursive: true, mode: 0o700 });
    if (!controllerPassword) {
      controllerPassword = randomSecret(32);
      await writeFile(
        join(out, "controller.env"),
        `MQTT_USERNAME=gatecast-controller\nMQTT_PASSWORD=${controllerPassword}\n`,
        { mode: 0o600 },
      );
      io.err(`no MQTT_PASSWORD set: made one for the controller in ${join(out, "controller.env")}`);
    }
    const files = mosquittoFiles(screens, controllerPassword);
    await writeFile(join(out, "passwd"), files.passwd, { mode: 0o600 });
    await writeFile(join(out, "acl"), files.acl, { mode: 0o644 });
    io.out(
      `wrote ${resolve(out, "passwd")} and ${resolve(out, "acl")} for ${screens.length} screens; reload Mosquitto (SIGHUP) to apply`,
    );
    return 0;
  } finally {
    store.close();
  }
}
