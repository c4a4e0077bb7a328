import { Policy } from "@domain/api";

import { request } from "../../../lib/api-client";

export type PolicyAction = "pause" | "resume" | "wind-down";

/** The circuit breakers of the whole sandbox: pause, resume, start the wind-down. Each needs a reason. */
export const runPolicyAction = ({ action, reason }: { action: PolicyAction; reason: string }, idempotencyKey: string) =>
  request(`/policy/${action}`, { method: "POST", body: { reason }, schema: Policy, idempotencyKey });
