import { SimulationRun, type SimulationRequest } from "@domain/simulation";

import { request } from "../../../lib/api-client";

/** Starts a run of a shipped scenario (queued; one run at a time): a seed, and one policy or two to compare. */
export const startSimulation = (body: SimulationRequest, idempotencyKey: string) =>
  request("/simulations", { method: "POST", body, schema: SimulationRun, idempotencyKey });
