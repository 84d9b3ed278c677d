import { main } from "./main.ts";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`gatecast: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 70;
  },
);
