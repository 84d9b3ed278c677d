// Compiles the controller and its command line into one ES module, `dist/gatecast.mjs`, for
// production (`npm start`, the systemd units): no TypeScript transform at run time. Packages from
// node_modules stay external (native better-sqlite3 among them); the workspace packages are bundled.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const here = new URL(".", import.meta.url).pathname;

const result = await build({
  write: false,
  entryPoints: [`${here}src/cli/run.ts`],
  outfile: `${here}dist/gatecast.mjs`,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
  plugins: [
    {
      name: "external-packages",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith("@gatecast/") ? undefined : { external: true }));
      },
    },
  ],
  // CommonJS packages bundled by reference still call require()
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});

// Written beside and renamed: test processes build concurrently and a reader never sees half a file.
mkdirSync(`${here}dist`, { recursive: true });
for (const file of result.outputFiles) {
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}
