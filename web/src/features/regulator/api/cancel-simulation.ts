import { SimulationRun } from "@domain/simulation";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

/** Cancels a queued or running simulation. */
export const cancelSimulation = writes(stale.simulation, ({ id }: { id: string }, idempotencyKey: string) =>
  request(`/simulations/${encodeURIComponent(id)}/cancel`, { method: "POST", schema: SimulationRun, idempotencyKey }),
);
