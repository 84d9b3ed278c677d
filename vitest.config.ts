import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "playlists/**/*.test.ts",
      "controller/**/*.test.ts",
      "kiosk/**/*.test.ts",
      "console/**/*.test.ts",
      "test/**/*.test.ts",
      "sim/**/*.test.ts",
      "bench/**/*.test.ts",
      "harness/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 20_000,
  },
});
