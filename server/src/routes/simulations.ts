/**
 * The regulator's simulations (DESIGN.md section 5): start a run of a shipped or inline scenario
 * (one seed, an ensemble over seeds, two policies, or a sweep over policy limits), watch its
 * progress live (server-sent events), open its report. The runner is injected (sim/manager.ts
 * in `npm start`): each run executes in a child process, one at a time, so the platform stays
 * responsive; results are kept under SCF_SIM_DIR (default <SCF_DATA_DIR>/simulations).
 */
import { z } from "zod";

import {
  ScenarioCatalogue,
  SimulationFileParams,
  SimulationFileQuery,
  SimulationIdParams,
  SimulationRequest,
  SimulationRun,
} from "../../../domain/simulation.js";
import { SimulationRequestError, type SimulationRunner } from "../../../domain/simulation-runner.js";
import { AppError } from "../errors.js";
import { route, type AnyRoute } from "../http/routes.js";

const REGULATOR = ["Regulator"] as const;
const TAG = "Simulations";

/**
 * The routes over `runner` (see StartOptions.simulations); without one, the routes are declared
 * (the API's surface does not change) but every call answers NotFound.
 */
export function simulationRoutes(runner: SimulationRunner | undefined): AnyRoute[] {
  const manager = (): SimulationRunner => {
    if (runner === undefined) throw new AppError("NotFound", { what: "simulations (not enabled on this platform)" });
    return runner;
  };
  const found = (id: string): SimulationRun => {
    const run = manager().get(id);
    if (run === undefined) throw new AppError("NotFound", { what: `simulation ${id}` });
    return run;
  };
  return [
    route({
      method: "get",
      path: "/simulations/scenarios",
      summary: "Scenarios and policies shipped with the platform (scenarios/), to run by name",
      tag: TAG,
      access: [...REGULATOR],
      response: ScenarioCatalogue,
      handler: async () => manager().catalogue(),
    }),
    route({
      method: "get",
      path: "/simulations",
      summary: "Simulation runs, newest first, with their status and live progress",
      tag: TAG,
      access: [...REGULATOR],
      response: z.object({ items: z.array(SimulationRun) }),
      handler: async () => ({ items: manager().list() }),
    }),
    route({
      method: "post",
      path: "/simulations",
      summary: "Start a simulation: a scenario (by name or inline), a seed, a policy or two policies to compare; runs in the background",
      tag: TAG,
      access: [...REGULATOR],
      body: SimulationRequest,
      response: SimulationRun,
      status: 202,
      operation: "simulations.start",
      handler: async ({ body, actor }) => {
        try {
          return manager().request(body, actor.username);
        } catch (error) {
          if (error instanceof SimulationRequestError) {
            throw new AppError("ValidationFailed", { details: error.issues.map((i) => `${i.path}: ${i.message}`).join("; ") }, error.issues);
          }
          throw error;
        }
      },
    }),
    route({
      method: "get",
      path: "/simulations/:id",
      summary: "One simulation run: status, progress (day, invoices, ETA), key figures when done",
      tag: TAG,
      access: [...REGULATOR],
      params: SimulationIdParams,
      response: SimulationRun,
      handler: async ({ params }) => found(params.id),
    }),
    route({
      method: "get",
      path: "/simulations/:id/events",
      summary: "The run as server-sent events (event: run, data: SimulationRun) at each change of progress or status, until it ends",
      tag: TAG,
      access: [...REGULATOR],
      params: SimulationIdParams,
      response: z.unknown(),
      raw: { contentType: "text/event-stream" },
      handler: async ({ params, req, res }) => {
        const first = found(params.id);
        // no-transform: the compression middleware leaves the stream alone, so each event goes out at once.
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" });
        const ended = (run: SimulationRun) => run.status !== "queued" && run.status !== "running";
        const send = (run: SimulationRun) => res.write(`event: run\ndata: ${JSON.stringify(run)}\n\n`);
        send(first);
        if (ended(first)) {
          res.end();
          return undefined;
        }
        await new Promise<void>((resolve) => {
          const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
          const stop = () => {
            clearInterval(heartbeat);
            unsubscribe();
            resolve();
          };
          const unsubscribe = manager().subscribe(params.id, (run) => {
            send(run);
            if (ended(run)) {
              stop();
              res.end();
            }
          });
          req.on("close", stop);
        });
        return undefined;
      },
    }),
    route({
      method: "post",
      path: "/simulations/:id/cancel",
      summary: "Cancel a queued or running simulation",
      tag: TAG,
      access: [...REGULATOR],
      params: SimulationIdParams,
      response: SimulationRun,
      operation: "simulations.cancel",
      handler: async ({ params }) => {
        found(params.id);
        return manager().cancel(params.id)!;
      },
    }),
    route({
      method: "get",
      path: "/simulations/:id/report",
      summary: "The run's self-contained HTML report (side by side with compare)",
      tag: TAG,
      access: [...REGULATOR],
      params: SimulationIdParams,
      response: z.unknown(),
      raw: { contentType: "text/html" },
      handler: async ({ params, res }) => {
        found(params.id);
        const file = manager().reportPath(params.id);
        if (file === undefined) throw new AppError("NotFound", { what: `the report of simulation ${params.id} (not finished)` });
        await new Promise<void>((resolve, reject) => res.type("html").sendFile(file, (error) => (error ? reject(error) : resolve())));
        return undefined;
      },
    }),
    route({
      method: "get",
      path: "/simulations/:id/files/:file",
      summary: "A file of a finished run: metrics.json, daily.csv, suppliers.csv, ... (?run=a|b for each run of a comparison)",
      tag: TAG,
      access: [...REGULATOR],
      params: SimulationFileParams,
      query: SimulationFileQuery,
      response: z.unknown(),
      raw: { contentType: "application/octet-stream" },
      handler: async ({ params, query, res }) => {
        found(params.id);
        const file = manager().filePath(params.id, params.file, query.run);
        if (file === undefined) throw new AppError("NotFound", { what: `file ${params.file} of simulation ${params.id}` });
        const type = params.file.endsWith(".csv") ? "text/csv; charset=utf-8" : "application/json";
        await new Promise<void>((resolve, reject) => res.type(type).sendFile(file, (error) => (error ? reject(error) : resolve())));
        return undefined;
      },
    }),
  ];
}
