import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "server",
          include: ["server/test/**/*.test.ts", "domain/**/*.test.ts"],
          environment: "node",
          // Each file starts its own in-process chain; two at a time on a 2-core machine.
          pool: "forks",
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "sim",
          include: ["sim/test/**/*.test.ts"],
          environment: "node",
          // Simulation runs each start an in-process chain; two files at a time on a 2-core machine.
          pool: "forks",
          maxWorkers: 2,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      // The web UI's components and flows in jsdom against a mocked API (web/vite.config.ts).
      "web/vite.config.ts",
    ],
  },
});
