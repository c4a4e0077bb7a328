import { Policy } from "@domain/api";
import type { LimitName } from "@domain/enums";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

/** Sets one sandbox control (its raw value: fen, days, basis points or a count) with a reason. */
export const setLimit = writes(stale.policy, ({ limit, value, reason }: { limit: LimitName; value: string; reason: string }, idempotencyKey: string) =>
  request(`/policy/limits/${limit}`, { method: "PUT", body: { value, reason }, schema: Policy, idempotencyKey }),
);
