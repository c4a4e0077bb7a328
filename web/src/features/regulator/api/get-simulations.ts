/**
 * Simulation runs (DESIGN.md section 5; server/src/routes/simulations.ts), newest first. While a
 * run is queued or running, its server-sent events (GET /api/simulations/:id/events) replace it in
 * the list at each change, so its progress (runs, simulated day, ETA) moves on screen without
 * polling.
 */
import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { z } from "zod";

import { SimulationRun } from "@domain/simulation";

import { apiUrl, getSessionToken, request } from "../../../lib/api-client";
import { parseSseBlock } from "../../../lib/live-events";
import { queryKeys } from "../../../api/query-keys";

const SimulationList = z.object({ items: z.array(SimulationRun) });

export const isActive = (run: Pick<SimulationRun, "status">) => run.status === "queued" || run.status === "running";

export const getSimulations = () => request("/simulations", { schema: SimulationList });

export const simulationsQuery = () => queryOptions({ queryKey: queryKeys.simulationRuns, queryFn: getSimulations });

export const useSimulations = () => useQuery(simulationsQuery());

/** Reads one run's event stream until it ends or `signal` aborts; each `run` event goes to `onRun`. */
async function follow(id: string, signal: AbortSignal, onRun: (run: SimulationRun) => void): Promise<void> {
  const headers: Record<string, string> = { accept: "text/event-stream" };
  const bearer = getSessionToken();
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  const response = await fetch(apiUrl(`/simulations/${encodeURIComponent(id)}/events`), { headers, credentials: "same-origin", signal });
  if (!response.ok || response.body === null) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, "\n");
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) !== -1) {
      const block = parseSseBlock(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
      if (block?.event !== "run" || block.data === undefined) continue;
      const parsed = SimulationRun.safeParse(JSON.parse(block.data));
      if (parsed.success) onRun(parsed.data);
    }
  }
}

/** Follows every queued or running run of the list through its event stream. */
export function useSimulationStreams(runs: SimulationRun[] | undefined): void {
  const client = useQueryClient();
  const active = (runs ?? [])
    .filter(isActive)
    .map((r) => r.id)
    .sort()
    .join(",");
  useEffect(() => {
    if (active === "") return;
    const key = simulationsQuery().queryKey;
    const controllers = active.split(",").map((id) => {
      const controller = new AbortController();
      const put = (run: SimulationRun) =>
        client.setQueryData(key, (old) => (old === undefined ? old : { items: old.items.map((r) => (r.id === run.id ? run : r)) }));
      follow(id, controller.signal, put).then(
        // The stream ended: read the list once, in case the end itself was missed.
        () => !controller.signal.aborted && void client.invalidateQueries({ queryKey: key }),
        () => undefined,
      );
      return controller;
    });
    return () => controllers.forEach((c) => c.abort());
  }, [active, client]);
}
