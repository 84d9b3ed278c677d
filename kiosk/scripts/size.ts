/**
 * Bundle size budget of the kiosk build (kiosk/dist): the JavaScript a cold start loads before first
 * paint (the entry and what index.html preloads, not the lazy mqtt.js chunk) and the service worker,
 * gzip-compressed. `npm run size -w kiosk` prints the figures and fails over budget; src/size.test.ts
 * checks the same after a build.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const BUDGET = { initialJsGzip: 150 * 1024, serviceWorkerGzip: 30 * 1024 } as const;

export interface SizeReport {
  initialJs: { file: string; gzip: number }[];
  initialJsGzip: number;
  lazyJsGzip: number;
  cssGzip: number;
  serviceWorkerGzip: number;
  precachedFonts: number;
}

const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;

export const defaultDist = resolve(fileURLToPath(new URL(".", import.meta.url)), "../dist");

export function measure(dist: string = defaultDist): SizeReport {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const initial = new Set<string>();
  for (const m of html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)) initial.add(m[1] ?? "");
  for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)) initial.add(m[1] ?? "");
  const local = (url: string) => join(dist, url.replace(/^\/kiosk\//, "").replace(/^\//, ""));
  const initialJs = [...initial].map((url) => ({ file: url, gzip: gz(local(url)) }));
  const initialFiles = new Set(initialJs.map((f) => local(f.file)));
  const assets = readdirSync(join(dist, "assets")).map((f) => join(dist, "assets", f));
  const sw = readFileSync(join(dist, "sw.js"), "utf8");
  return {
    initialJs,
    initialJsGzip: initialJs.reduce((s, f) => s + f.gzip, 0),
    lazyJsGzip: assets.filter((f) => f.endsWith(".js") && !initialFiles.has(f)).reduce((s, f) => s + gz(f), 0),
    cssGzip: assets.filter((f) => f.endsWith(".css")).reduce((s, f) => s + gz(f), 0),
    serviceWorkerGzip: gz(join(dist, "sw.js")),
    precachedFonts: (sw.match(/\.woff2/g) ?? []).length,
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(defaultDist, "index.html"))) {
    console.error("kiosk/dist is absent: run `npm run build -w kiosk` first");
    process.exit(2);
  }
  const r = measure();
  console.log(`initial JS   ${kb(r.initialJsGzip)} gzip (budget ${kb(BUDGET.initialJsGzip)})`);
  for (const f of r.initialJs) console.log(`  ${f.file}  ${kb(f.gzip)}`);
  console.log(`lazy JS      ${kb(r.lazyJsGzip)} gzip (mqtt.js, loaded after first paint, precached)`);
  console.log(`CSS          ${kb(r.cssGzip)} gzip`);
  console.log(`sw.js        ${kb(r.serviceWorkerGzip)} gzip (budget ${kb(BUDGET.serviceWorkerGzip)})`);
  console.log(`precached font files: ${r.precachedFonts}`);
  const over = r.initialJsGzip > BUDGET.initialJsGzip || r.serviceWorkerGzip > BUDGET.serviceWorkerGzip;
  if (over) {
    console.error("over budget");
    process.exit(1);
  }
}
