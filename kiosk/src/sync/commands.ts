import { type AckPayload, type CommandName, CommandPayload, parsePayload } from "@gatecast/playlists";

/** What each remote command does; a handler resolves when the command has done its part. */
export type CommandHandlers = Record<CommandName, (cmd: CommandPayload) => Promise<void>>;

export interface CommandRunnerOptions {
  handlers: CommandHandlers;
  /** Publishes the `cmd-done` acknowledgement. */
  ack: (ack: Extract<AckPayload, { type: "cmd-done" }>) => void;
  now: () => number;
  onInvalid?: (message: string) => void;
}

const REMEMBERED = 200;

/**
 * Runs commands from the `cmd` topic, each once (QoS 1 may deliver twice), and acknowledges each with
 * `cmd-done`, `ok: false` and the error when the handler failed.
 */
export class CommandRunner {
  private readonly seen: string[] = [];

  constructor(private readonly opts: CommandRunnerOptions) {}

  /** Handles a raw MQTT payload. Resolves when the command ran and was acknowledged. */
  async handle(bytes: Uint8Array): Promise<void> {
    const parsed = parsePayload(CommandPayload, bytes);
    if (!parsed.ok) {
      this.opts.onInvalid?.(`invalid command: ${parsed.error}`);
      return;
    }
    await this.run(parsed.value);
  }

  async run(cmd: CommandPayload): Promise<void> {
    if (this.seen.includes(cmd.id)) return;
    this.seen.push(cmd.id);
    if (this.seen.length > REMEMBERED) this.seen.shift();
    let error: string | undefined;
    try {
      await this.opts.handlers[cmd.cmd](cmd);
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)).slice(0, 500) || "failed";
    }
    this.opts.ack({
      type: "cmd-done",
      id: cmd.id,
      ok: error === undefined,
      ...(error === undefined ? {} : { error }),
      at: new Date(this.opts.now()).toISOString(),
    });
  }
}
