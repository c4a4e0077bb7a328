import { SimulationRun, type SimulationRequest } from "@domain/simulation";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

/** Starts a run of a shipped scenario (queued; one run at a time): a seed, and one policy or two to compare. */
export const startSimulation = writes(stale.simulation, (body: SimulationRequest, idempotencyKey: string) =>
  request("/simulations", { method: "POST", body, schema: SimulationRun, idempotencyKey }),
);
