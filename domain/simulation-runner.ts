/**
 * What the platform's simulation routes need from whoever runs simulations (sim/manager.ts), so
 * the server depends on this port and not on the simulator: the runner is handed to
 * startPlatform by the process that composes both (server/src/main.ts, the tests).
 */
import type { z } from "zod";

import type { ScenarioCatalogue, SimulationRequest, SimulationRun } from "./simulation.js";

/** One problem with a simulation request: the field (scenario.days, policy.limits.X...), the rule, a message. */
export interface SimulationIssue {
  path: string;
  rule: string;
  message: string;
}

/** A request the runner refuses: each issue names the field and the rule. */
export class SimulationRequestError extends Error {
  constructor(readonly issues: SimulationIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join("; "));
    this.name = "SimulationRequestError";
  }
}

export interface SimulationRunner {
  /** Shipped scenarios and policies. */
  catalogue(): z.infer<typeof ScenarioCatalogue>;
  /** Runs, newest first. */
  list(): SimulationRun[];
  get(id: string): SimulationRun | undefined;
  /** Validates and queues a run; throws {SimulationRequestError} naming every bad field. */
  request(input: SimulationRequest, requestedBy: string): SimulationRun;
  cancel(id: string): SimulationRun | undefined;
  /** The file of a finished run's report, if any. */
  reportPath(id: string): string | undefined;
  /** A file of a finished run (`which`: each run of a comparison), if any. */
  filePath(id: string, name: string, which?: "a" | "b"): string | undefined;
  /** Calls `listener` at each change of the run until the returned function is called. */
  subscribe(id: string, listener: (run: SimulationRun) => void): () => void;
  /** Stops every running simulation (the platform stops). */
  close(): void;
}
