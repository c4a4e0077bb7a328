/**
 * What the composition root is given rather than finds for itself: the simulations' folder comes
 * from the configuration (SCF_SIM_DIR), and a platform started without a simulation runner still
 * declares the simulation routes but runs nothing.
 */
import path from "node:path";

import { describe, expect, it } from "vitest";

import { loadConfig } from "../src/config.js";
import { AppError } from "../src/errors.js";
import type { RouteInput } from "../src/http/routes.js";
import { allRoutes } from "../src/routes/index.js";
import type { Services } from "../src/services/registry.js";

describe("the simulations' folder", () => {
  it("when SCF_SIM_DIR is not set, then runs are kept under the data directory", () => {
    expect(loadConfig({ SCF_DATA_DIR: "somewhere" }, "/srv").simDir).toBe(path.resolve("/srv/somewhere/simulations"));
  });

  it("when SCF_SIM_DIR is set, then runs are kept there, relative to the working directory", () => {
    expect(loadConfig({ SCF_SIM_DIR: "runs" }, "/srv").simDir).toBe(path.resolve("/srv/runs"));
    expect(() => loadConfig({ SCF_SIM_DIR: "" })).toThrow(/SCF_SIM_DIR/);
  });
});

describe("a platform without a simulation runner", () => {
  it("when the regulator lists or starts simulations, then the routes exist and answer NotFound", async () => {
    const routes = allRoutes({} as Services).filter((r) => r.path.startsWith("/simulations"));
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(["get /simulations", "post /simulations"]));
    for (const spec of routes.filter((r) => r.path === "/simulations")) {
      const input = { params: {}, query: {}, body: { scenario: "smoke" }, actor: { role: "Regulator", username: "regulator" } } as unknown as RouteInput<unknown, unknown, unknown>;
      const refused = await spec.handler(input).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).errorName).toBe("NotFound");
    }
  });
});
