/**
 * Browser tests (`npm run test:e2e`): the real platform (`npm start` on a temporary data directory
 * and a free port) driven through headless chromium with playwright-core. One story, in order.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "e2e",
    root: import.meta.dirname,
    include: ["**/*.e2e.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
