/** Every API route, in one list: mounted by createApp and described by /api/openapi.json. */
import type { AnyRoute } from "../http/routes.js";
import type { Services } from "../platform.js";
import { financingRoutes } from "./financing.js";
import { invoiceRoutes } from "./invoices.js";
import { regulatorRoutes } from "./regulator.js";
import { sessionRoutes } from "./session.js";
import { simulationRoutes } from "./simulations.js";

export function allRoutes(s: Services): AnyRoute[] {
  return [...sessionRoutes(s), ...invoiceRoutes(s), ...financingRoutes(s), ...regulatorRoutes(s), ...simulationRoutes(s)];
}
