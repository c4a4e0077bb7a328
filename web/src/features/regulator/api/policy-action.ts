import { Policy } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

export type PolicyAction = "pause" | "resume" | "wind-down";

/** The circuit breakers of the whole sandbox: pause, resume, start the wind-down. Each needs a reason. */
export const runPolicyAction = writes(stale.policy, ({ action, reason }: { action: PolicyAction; reason: string }, idempotencyKey: string) =>
  request(`/policy/${action}`, { method: "POST", body: { reason }, schema: Policy, idempotencyKey }),
);
