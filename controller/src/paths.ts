import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The repository's root folder (where `kiosk/dist` and `console/dist` are built), found by walking up
 * from this module: the same answer from the TypeScript sources and from the compiled `dist/gatecast.mjs`.
 */
export function repoRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: unknown }).name === "gatecast")
      return dir;
    if (dirname(dir) === dir) throw new Error(`no gatecast package.json above ${from}`);
  }
}
