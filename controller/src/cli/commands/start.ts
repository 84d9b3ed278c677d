import { type Controller, startController } from "../../app.ts";
import { ConfigError, loadConfig } from "../../config.ts";
import { BrokerUnavailableError } from "../../mqttClient.ts";
import { StoreCorruptError } from "../../store/integrity.ts";
import { DataDirLockedError } from "../../store/lock.ts";
import { NewStoreBesideKeyError } from "../../store/take.ts";
import { ContentError } from "../../usecases/content.ts";
import { parseCommandArgs } from "../args.ts";
import { CliError } from "../cliError.ts";
import type { Io } from "../io.ts";

/**
 * `gatecast start`: the controller on its embedded defaults; SIGTERM/SIGINT stop it cleanly within 10 s.
 * `--new-store`: begin an empty store even beside an existing signing key (after a lost store, when no
 * backup is to be had).
 */
export async function start(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    { "new-store": { type: "boolean" } },
    "gatecast start [--new-store]   (settings from the environment: see README)",
  );
  let controller: Controller;
  try {
    const config = loadConfig();
    controller = await startController(config, { allowNewStore: values["new-store"] ?? false });
  } catch (e) {
    if (e instanceof DataDirLockedError || e instanceof NewStoreBesideKeyError || e instanceof StoreCorruptError)
      throw new CliError(e.message);
    if (e instanceof ConfigError) throw new CliError(`bad setting:\n${e.message}`);
    if (e instanceof ContentError) throw new CliError(`content has problems, nothing started:\n${e.message}`);
    if (e instanceof BrokerUnavailableError)
      throw new CliError(`${e.message}: check MQTT_URL, MQTT_USERNAME, MQTT_PASSWORD`);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new CliError(`a port is already in use (${(e as Error).message}): set PORT or MQTT_PORT`);
    throw e;
  }
  const { baseUrl, generatedAdminPassword, adminCreated, mqttPort } = controller;
  io.out("");
  io.out(`gatecast controller is running`);
  io.out(`  Console / Bảng điều khiển: ${baseUrl}/console/`);
  io.out(`  Kiosk / Màn hình:          ${baseUrl}/kiosk/   (open it on a screen, then pair it from the console)`);
  io.out(
    `  MQTT: ${mqttPort ? `mqtt://${new URL(baseUrl).hostname}:${mqttPort} and ${baseUrl.replace(/^http/, "ws")}/mqtt` : "external broker (MQTT_URL)"}`,
  );
  // the password is printed only when it was made here: one from the environment is never echoed
  if (adminCreated === "generated" && generatedAdminPassword) {
    io.out(`  First start: user "admin", password ${generatedAdminPassword}`);
    io.out("  (shown once; set GATECAST_ADMIN_PASSWORD on first start to choose it)");
  } else if (adminCreated === "environment") {
    io.out(`  First start: user "admin", password from GATECAST_ADMIN_PASSWORD`);
  }
  io.out("");

  // Ends on SIGTERM/SIGINT (exit 0) or when the controller cannot go on (exit 1: restart me).
  const failure = await new Promise<Error | null>((resolve) => {
    let stopping = false;
    const stop = (signal: string, err: Error | null) => {
      if (stopping) return;
      stopping = true;
      controller.ctx.log.info({ signal }, "stopping");
      const force = setTimeout(() => {
        controller.ctx.log.error("shutdown took longer than 10 s; exiting");
        process.exit(1);
      }, 10_000);
      force.unref();
      controller.stop().then(
        () => resolve(err),
        () => resolve(err),
      );
    };
    process.once("SIGTERM", () => stop("SIGTERM", null));
    process.once("SIGINT", () => stop("SIGINT", null));
    void controller.failed.then((err) => stop("fatal", err));
  });
  if (failure) throw new CliError(failure.message);
  return 0;
}
