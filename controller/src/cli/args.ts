import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./cliError.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** `util.parseArgs` with its errors turned into one-line usage errors. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]}\nusage: ${usage}`);
  }
}
