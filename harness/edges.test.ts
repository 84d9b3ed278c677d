import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

/** Every TypeScript file under `dir` (no node_modules, no build output). */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/node_modules|dist/.test(e.parentPath))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** What a file imports: each specifier, relative ones resolved to a path from the repository root. */
function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1] as string);
  return specs.map((s) => (s.startsWith(".") ? relative(ROOT, resolve(ROOT, dirname(file), s)) : s));
}

const offending = (dir: string, bad: (spec: string) => boolean) =>
  sources(dir).flatMap((f) =>
    imports(f)
      .filter(bad)
      .map((spec) => `${f} imports ${spec}`),
  );

/**
 * The package edges (issue 12): the benchmarks and the tests share their helpers through `harness/`
 * and never import each other; the simulator reaches the kiosk only through `@gatecast/kiosk/sync`.
 */
describe("package edges", () => {
  it("bench/ does not import test/, and test/ does not import bench/", () => {
    expect(offending("bench", (s) => s.startsWith("test/"))).toEqual([]);
    expect(offending("test", (s) => s.startsWith("bench/"))).toEqual([]);
    expect(offending("harness", (s) => s.startsWith("bench/") || s.startsWith("test/"))).toEqual([]);
  });

  it("sim/ and bench/ use the kiosk's sync code through its export, not its files", () => {
    const intoKiosk = (s: string) =>
      s.startsWith("kiosk/") || (s.startsWith("@gatecast/kiosk") && s !== "@gatecast/kiosk/sync");
    expect(offending("sim", intoKiosk)).toEqual([]);
    expect(offending("bench", intoKiosk)).toEqual([]);
  });

  it("the simulator is imported as a package, not by its files", () => {
    const intoSim = (s: string) => s.startsWith("sim/");
    for (const dir of ["bench", "test", "harness", "controller/src"]) expect(offending(dir, intoSim)).toEqual([]);
  });
});
