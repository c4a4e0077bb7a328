import { useQuery } from "@tanstack/react-query";

import { ScenarioCatalogue } from "@domain/simulation";

import { request } from "../../../lib/api-client";
import { queryKeys } from "../../../api/query-keys";

/** The scenarios and policies shipped with the platform (scenarios/), to run by name. */
export const getSimulationCatalogue = () => request("/simulations/scenarios", { schema: ScenarioCatalogue });

export const useSimulationCatalogue = () => useQuery({ queryKey: queryKeys.simulationCatalogue, queryFn: getSimulationCatalogue, staleTime: 5 * 60_000 });
