/**
 * Simulation runs (DESIGN.md section 5; server/src/routes/simulations.ts), newest first. While a
 * run is queued or running the list is polled every second, so its progress (simulated day,
 * invoices, ETA) moves on screen; the platform's event stream carries chain events only.
 */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { z } from "zod";

import { SimulationRun } from "@domain/simulation";

import { request } from "../../../lib/api-client";

const SimulationList = z.object({ items: z.array(SimulationRun) });

/** How often the list is read again while a run is queued or running. */
export const SIMULATION_POLL_MS = 1_000;

export const isActive = (run: Pick<SimulationRun, "status">) => run.status === "queued" || run.status === "running";

export const getSimulations = () => request("/simulations", { schema: SimulationList });

export const simulationsQuery = () => queryOptions({ queryKey: ["simulations", "runs"], queryFn: getSimulations });

export const useSimulations = () =>
  useQuery({
    ...simulationsQuery(),
    refetchInterval: (query) => (query.state.data?.items.some(isActive) === true ? SIMULATION_POLL_MS : false),
  });
