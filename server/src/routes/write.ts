/**
 * Write routes made of one transaction: `perform` sends it, `respond` answers from its result.
 * The same `respond` rebuilds the answer after a crash (see RouteSpec.recover).
 */
import type { ActResult } from "../services/actions.js";
import type { RouteInput, RouteSpec } from "../http/routes.js";

type Base<P, Q, B, R> = Omit<RouteSpec<P, Q, B, R>, "handler" | "recover" | "operation">;

export function writeRoute<P, Q, B, R>(
  spec: Base<P, Q, B, R> & {
    operation: string;
    perform: (input: RouteInput<P, Q, B>) => Promise<ActResult>;
    respond: (result: ActResult, input: Omit<RouteInput<P, Q, B>, "req" | "res" | "hooks">) => Promise<R> | R;
  },
): RouteSpec<P, Q, B, R> {
  const { perform, respond, ...rest } = spec;
  return {
    ...rest,
    handler: async (input) => respond(await perform(input), input),
    recover: async (_ctx, result, input) => respond(result, input),
  };
}
