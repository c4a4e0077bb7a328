import { SimulationRun } from "@domain/simulation";

import { request } from "../../../lib/api-client";

/** Cancels a queued or running simulation. */
export const cancelSimulation = ({ id }: { id: string }, idempotencyKey: string) =>
  request(`/simulations/${encodeURIComponent(id)}/cancel`, { method: "POST", schema: SimulationRun, idempotencyKey });
