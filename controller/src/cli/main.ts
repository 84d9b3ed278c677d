import { ConfigError } from "../config.ts";
import { CliError } from "./cliError.ts";
import { alertCommand } from "./commands/alert.ts";
import { backupCommand, restoreCommand } from "./commands/backup.ts";
import { brokerConfig } from "./commands/brokerConfig.ts";
import { checkReadabilityCommand } from "./commands/checkReadability.ts";
import { importCommand } from "./commands/import.ts";
import { importStatusCommand } from "./commands/importStatus.ts";
import { keygen, sign, verify } from "./commands/keys.ts";
import { leafletCommand } from "./commands/leaflet.ts";
import { mediaGcCommand } from "./commands/mediaGc.ts";
import { resolveCommand } from "./commands/resolve.ts";
import { simCommand } from "./commands/sim.ts";
import { siteCommand, verifySiteCommand } from "./commands/site.ts";
import { start } from "./commands/start.ts";
import { validate } from "./commands/validate.ts";
import { consoleIo, type Io } from "./io.ts";

type Command = (argv: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  start: { run: start, help: "run the controller (HTTP, MQTT, store) on its embedded defaults: start [--new-store]" },
  import: { run: importCommand, help: "load a content folder into the draft: import [DIR]" },
  "import-status": {
    run: importStatusCommand,
    help: "an agency's gate-status file (CSV or JSON) into a gate-status item of the draft: import-status FILE --item ID",
  },
  "broker-config": { run: brokerConfig, help: "write Mosquitto password + ACL files: broker-config OUTDIR [--gate G]" },
  backup: {
    run: backupCommand,
    help: "archive store, media and signing key (0600): backup FILE [--recipient AGE_KEY]…",
  },
  restore: {
    run: restoreCommand,
    help: "restore an archive into DATA_DIR: restore FILE [--force] [--identity KEYFILE] [--max-gb N]",
  },
  "media-gc": {
    run: mediaGcCommand,
    help: "remove media nothing uses any more: media-gc [--dry-run] [--keep-releases N] [--min-age-hours H]",
  },
  site: {
    run: siteCommand,
    help: "write the static bilingual gate site of a release: site OUTDIR [--release N] [--base-url URL]",
  },
  "verify-site": {
    run: verifySiteCommand,
    help: "check a gate site against its signed release.json: verify-site DIR --key KEYS",
  },
  leaflet: {
    run: leafletCommand,
    help: "a print-ready bilingual PDF of items: leaflet --item ID [--item ID]… --out FILE.pdf [--size A4|A5]",
  },
  report: {
    // loaded when asked for: the docx and xlsx writers are large, and every other command starts without them
    run: async (argv, io) => (await import("./commands/report.ts")).reportCommand(argv, io),
    help: "the periodic report (read-only beside a controller): report --from D --to D [--gate G] --out FILE.docx|.xlsx|.csv",
  },
  validate: { run: validate, help: "check a content folder: validate [DIR]" },
  "check-readability": {
    run: checkReadabilityCommand,
    help: "render every item on every screen and check it can be read from the viewing distance: check-readability [DIR] [--json]",
  },
  resolve: { run: resolveCommand, help: "what a screen shows at an instant: resolve --screen ID --at ISO8601 [DIR]" },
  keygen: { run: keygen, help: "make an Ed25519 signing key: keygen [--out FILE]" },
  sign: { run: sign, help: "sign a JSON payload: sign --key KEYFILE [PAYLOAD.json|-]" },
  verify: { run: verify, help: "check a signed envelope: verify FILE --key KEYFILE|JWKS" },
  alert: {
    run: alertCommand,
    help: "send a CAP 1.2 message to the running controller: alert import FILE.xml --controller URL --token T [--dry-run]",
  },
  sim: {
    run: simCommand,
    help: "simulate screens against a controller (load test): sim --screens N [--gate G] [--token T | --user U --password P]",
  },
};

function help(io: Io): void {
  io.out("gatecast — signed bilingual signage for the border gates\n\nCommands:");
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  for (const [name, c] of Object.entries(COMMANDS)) io.out(`  ${name.padEnd(width)}  ${c.help}`);
}

export async function main(argv: string[], io: Io = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    help(io);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`gatecast: unknown command "${name}" (try gatecast help)`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`gatecast ${name}: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof ConfigError) {
      io.err(`gatecast ${name}: bad setting:\n${e.message}`);
      return 1;
    }
    throw e;
  }
}
