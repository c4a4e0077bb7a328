/**
 * EXTENSION POINT: simulation reports (DESIGN.md section 5).
 *
 * The simulator is being built in parallel and will add GET /api/simulations. Until its schema
 * lands in domain/api.ts, this probe only asks whether the endpoint exists: a 404 means "not yet",
 * anything else is shown as the number of reports. When the schema exists, replace `Probe` with
 * it and render the reports in components/SimulationsPage.tsx. No data is invented here.
 */
import { useQuery } from "@tanstack/react-query";
import { z } from "zod";

import { ApiClientError, request } from "../../../lib/api-client";

const Probe = z.object({ items: z.array(z.unknown()) }).passthrough();

export type SimulationsProbe = { available: false } | { available: true; count: number };

export async function probeSimulations(): Promise<SimulationsProbe> {
  try {
    const answer = await request("/simulations", { schema: Probe });
    return { available: true, count: answer.items.length };
  } catch (error) {
    if (error instanceof ApiClientError && error.status === 404) return { available: false };
    throw error;
  }
}

export const useSimulationsProbe = () => useQuery({ queryKey: ["simulations", "probe"], queryFn: probeSimulations, staleTime: 60_000 });
