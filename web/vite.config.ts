/**
 * The web UI: built by `npm run build:web` into web/dist (served by `npm start`), tested by
 * `npm run test:web` (the `web` project of vitest.config.ts). The dev server proxies /api to a
 * running platform (SCF_API_URL, default http://127.0.0.1:8080).
 */
import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  resolve: { alias: { "@domain": fileURLToPath(new URL("../domain", import.meta.url)) } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The bench (scripts/bench-web.ts) sums each route's JavaScript from the manifest.
    manifest: true,
    target: "es2022",
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              // Everything the entry imports statically loads before the first render anyway: one
              // chunk instead of some thirty small ones, each compressed on its own (about 12 KB gzip
              // less on every route). The entry's own modules stay in the entry chunk.
              name: "app",
              tags: ["$initial"],
              test: (id: string) => !/[\\/](index\.html|main\.tsx)$/.test(id),
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: { "/api": { target: process.env.SCF_API_URL ?? "http://127.0.0.1:8080", changeOrigin: false } },
  },
  test: {
    name: "web",
    root,
    environment: "jsdom",
    include: ["src/**/*.test.tsx", "src/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
    css: false,
    testTimeout: 30_000,
  },
});
