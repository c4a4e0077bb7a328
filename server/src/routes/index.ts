/** Every API route, in one list: mounted by createApp and described by /api/openapi.json. */
import type { SimulationRunner } from "../../../domain/simulation-runner.js";
import type { AnyRoute } from "../http/routes.js";
import type { Services } from "../services/registry.js";
import { financingRoutes } from "./financing.js";
import { invoiceRoutes } from "./invoices.js";
import { regulatorRoutes } from "./regulator.js";
import { sessionRoutes } from "./session.js";
import { simulationRoutes } from "./simulations.js";

/** `simulations`: who runs the regulator's simulations (none: those routes answer NotFound). */
export function allRoutes(s: Services, simulations?: SimulationRunner): AnyRoute[] {
  return [...sessionRoutes(s), ...invoiceRoutes(s), ...financingRoutes(s), ...regulatorRoutes(s), ...simulationRoutes(simulations)];
}
