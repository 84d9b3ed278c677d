import { readFileSync } from "node:fs";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import { fontFaces, precacheFont } from "./scripts/fonts.ts";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 12);
const controller = process.env.GATECAST_CONTROLLER ?? "http://127.0.0.1:8080";

/**
 * Trims the @fontsource stylesheets to what a gate screen needs (Latin + Vietnamese for Noto Sans, the
 * CJK slices for Noto Sans SC), drops the WOFF fallbacks (Chromium reads WOFF2), renames the families
 * so that an installed system "Noto Sans" can never stand in for the bundled one, and adds the bold
 * face of each slice right after the regular one (same unicode-range: it gzips to almost nothing).
 */
function fontSubsets(): Plugin {
  const css = /[\\/]@fontsource[\\/]noto-sans(?:-sc)?[\\/]400\.css$/;
  return {
    name: "gatecast:font-subsets",
    enforce: "pre",
    transform(code, id) {
      if (!css.test(id.split("?")[0] ?? "")) return null;
      return { code: fontFaces(code, [400, 700]), map: null };
    },
  };
}

export default defineConfig({
  base: "/kiosk/",
  define: {
    __APP_VERSION__: JSON.stringify(`${pkg.version}+${stamp}`),
  },
  plugins: [
    fontSubsets(),
    preact(),
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src",
      filename: "sw.ts",
      injectRegister: false,
      registerType: "prompt",
      manifest: {
        name: "gatecast kiosk",
        short_name: "gatecast",
        lang: "vi",
        display: "fullscreen",
        background_color: "#0b2545",
        theme_color: "#0b2545",
        start_url: "/kiosk/",
        scope: "/kiosk/",
        icons: [{ src: "icon.svg", sizes: "any", type: "image/svg+xml" }],
      },
      injectManifest: {
        globPatterns: ["**/*.{js,css,html,woff2}"],
        manifestTransforms: [
          async (entries) => ({ manifest: entries.filter((e) => precacheFont(e.url)), warnings: [] }),
        ],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // Fonts stay files: inlined, they would swell the stylesheet and escape the font cache.
    assetsInlineLimit: (file) => (/\.woff2?$/.test(file) ? false : undefined),
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      "/api": controller,
      "/media": controller,
      "/mqtt": { target: controller, ws: true },
    },
  },
});
