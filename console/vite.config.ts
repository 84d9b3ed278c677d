import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";

const controller = process.env.GATECAST_CONTROLLER ?? "http://127.0.0.1:8080";

/**
 * Keeps the @fontsource faces an operator's text needs (Latin, Latin Extended and Vietnamese slices of
 * Noto Sans; every slice of Noto Sans SC, loaded on demand by unicode-range) and drops the WOFF
 * fallbacks Chromium never reads. The families get the kiosk's names ("GC Noto Sans", "GC Noto Sans
 * SC"): an installed "Noto Sans" never stands in, and the screen preview runs the kiosk's own CSS.
 */
function fontSubsets(): Plugin {
  const css = /[\\/]@fontsource[\\/](noto-sans(?:-sc)?)[\\/]\d00\.css$/;
  return {
    name: "gatecast-console:font-subsets",
    enforce: "pre",
    transform(code, id) {
      if (!css.test(id.split("?")[0] ?? "")) return null;
      const faces = code
        .split(/(?=\/\*)/)
        .filter((block) => {
          const name = /\/\*\s*(\S+)\s*\*\//.exec(block)?.[1] ?? "";
          if (!block.includes("@font-face")) return false;
          if (/^noto-sans-sc-\[\d+\]-\d+-normal$/.test(name)) return true;
          return /^noto-sans-(latin|latin-ext|vietnamese)-\d+-normal$/.test(name);
        })
        .map((block) =>
          block
            .replace(/font-family:\s*'Noto Sans SC'/, "font-family: 'GC Noto Sans SC'")
            .replace(/font-family:\s*'Noto Sans'/, "font-family: 'GC Noto Sans'")
            .replace(/,\s*url\([^)]*\.woff\)\s*format\('woff'\)/g, ""),
        );
      return { code: faces.join("\n"), map: null };
    },
  };
}

export default defineConfig({
  base: "/console/",
  plugins: [fontSubsets(), preact()],
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
    assetsInlineLimit: 0,
    rollupOptions: {
      input: {
        // the console, and the page the screen previews load in an iframe at the screen's own size
        main: fileURLToPath(new URL("./index.html", import.meta.url)),
        preview: fileURLToPath(new URL("./preview.html", import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      "/api": controller,
      "/media": controller,
    },
  },
});
