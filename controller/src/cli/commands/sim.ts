import { parseCommandArgs } from "../args.ts";
import { CliError, UsageError } from "../cliError.ts";
import type { Io } from "../io.ts";

const USAGE =
  "gatecast sim --screens N [--gate G] [--broker URL] [--controller URL] [--token T | --user U --password P]\n" +
  "                 [--every SECONDS] [--duration SECONDS] [--verbose]";

const positiveInt = (text: string | undefined, name: string, fallback?: number): number => {
  if (text === undefined && fallback !== undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a whole number above 0\nusage: ${USAGE}`);
  return n;
};

/**
 * `gatecast sim`: N virtual screens in this process, each running the kiosk's own sync code (verified
 * manifests, hash-checked media, proof-of-play with acks, heartbeats, jittered reconnects) and a player on
 * the schedule. Screens `sim-<gate>-<n>` are created through the API when missing and get new MQTT
 * credentials. A live summary every few seconds; Ctrl-C stops cleanly with a final summary. Point it at a
 * real installation to load-test it.
 */
export async function simCommand(argv: string[], io: Io, opts: { signal?: AbortSignal } = {}): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      screens: { type: "string" },
      gate: { type: "string" },
      broker: { type: "string" },
      controller: { type: "string" },
      token: { type: "string" },
      user: { type: "string" },
      password: { type: "string" },
      every: { type: "string" },
      duration: { type: "string" },
      verbose: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (values.screens === undefined) throw new UsageError(`--screens is required\nusage: ${USAGE}`);
  const count = positiveInt(values.screens, "screens");
  const everyS = positiveInt(values.every, "every", 5);
  const durationS = values.duration === undefined ? null : positiveInt(values.duration, "duration");
  const controllerUrl = (values.controller ?? process.env.GATECAST_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, "");
  if (!/^https?:\/\//.test(controllerUrl)) throw new UsageError(`--controller must be an http(s) URL\nusage: ${USAGE}`);
  if (values.broker !== undefined && !/^(mqtts?|wss?):\/\//.test(values.broker))
    throw new UsageError(`--broker must be an mqtt://, mqtts://, ws:// or wss:// URL\nusage: ${USAGE}`);
  const token = values.token ?? process.env.GATECAST_TOKEN;
  const password = values.password ?? process.env.GATECAST_PASSWORD;
  if (!token && !password)
    throw new UsageError(
      `give --token (or GATECAST_TOKEN), or --user and --password (or GATECAST_PASSWORD)\nusage: ${USAGE}`,
    );

  // loaded here, not at start-up: the rest of the CLI never needs mqtt.js or the kiosk's sync code
  const { ApiError, ControllerApi, formatStats, provisionScreens, startFleet } = await import("@gatecast/sim");

  let api: Awaited<ReturnType<typeof ControllerApi.connect>>;
  try {
    api = await ControllerApi.connect(
      controllerUrl,
      token ? { token } : { user: values.user ?? "admin", password: password ?? "" },
    );
  } catch (e) {
    if (e instanceof ApiError || e instanceof TypeError) throw new CliError(`${controllerUrl}: ${e.message}`);
    throw e;
  }
  const known = (await api.gates()).map((g) => g.id);
  if (values.gate && !known.includes(values.gate))
    throw new UsageError(`unknown gate "${values.gate}" (known: ${known.join(", ") || "none"})`);
  const gates = values.gate ? [values.gate] : known;
  if (gates.length === 0) throw new CliError("the controller has no gate to put screens in");

  io.out(`gatecast sim: ${count} screen(s) in ${gates.join(", ")} against ${controllerUrl}`);
  let lastShown = 0;
  const credentials = await provisionScreens(api, {
    count,
    gates,
    onProgress: (done, total) => {
      if (done === total || Date.now() - lastShown > 2_000) {
        lastShown = Date.now();
        io.out(`  credentials issued: ${done}/${total}`);
      }
    },
  }).catch((e: unknown) => {
    throw new CliError(`creating screens: ${e instanceof Error ? e.message : String(e)}`);
  });
  const first = credentials[0];
  const brokerUrl =
    values.broker ?? first?.mqtt.url ?? (first ? new URL(first.mqtt.wsUrl, controllerUrl).href : "(none)");
  io.out(`  broker: ${brokerUrl}${values.broker ? "" : " (from the credentials)"}`);
  if (new URL(brokerUrl).hostname !== new URL(controllerUrl).hostname || values.broker) {
    io.out(
      "  note: new MQTT credentials were issued; an external broker (Mosquitto) must learn them: run\n" +
        "        `gatecast broker-config OUTDIR` on the controller and reload Mosquitto (SIGHUP)",
    );
  }

  const started = Date.now();
  const fleet = startFleet({
    controllerUrl,
    credentials,
    ...(values.broker ? { brokerUrl: values.broker } : {}),
    ...(values.verbose ? { log: (id: string, m: string) => io.err(`${id}: ${m}`) } : {}),
  });
  const timer = setInterval(() => io.out(formatStats(fleet.stats(), Date.now() - started)), everyS * 1000);

  await new Promise<void>((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      opts.signal?.removeEventListener("abort", done);
      clearTimeout(until);
      resolve();
    };
    const until = durationS === null ? undefined : setTimeout(done, durationS * 1000);
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
    opts.signal?.addEventListener("abort", done, { once: true });
  });
  clearInterval(timer);
  const s = fleet.stats();
  io.out("stopping…");
  await fleet.stop();
  const elapsedS = (Date.now() - started) / 1000;
  io.out(formatStats(s, Date.now() - started));
  io.out(
    [
      `final: ${s.screens} screens for ${elapsedS.toFixed(0)} s`,
      `  connected at the end ${s.connected}, in sync ${s.inSync}, media ready ${s.mediaReady}`,
      `  plays recorded ${s.playsRecorded} (${(s.playsRecorded / Math.max(1, elapsedS)).toFixed(1)}/s), sent ${s.playsSent}, acknowledged ${s.playsAcked}, still buffered ${s.playsBuffered}`,
      `  alerts acknowledged ${s.alertsAcked}, reconnections ${s.reconnects}, errors ${s.errors}`,
      ...(s.lastError ? [`  last error: ${s.lastError}`] : []),
    ].join("\n"),
  );
  if (s.lastError && /not authori[sz]ed|bad user ?name or password/i.test(s.lastError))
    io.out("  the broker refused the screens' credentials: see the note above about broker-config");
  return 0;
}
