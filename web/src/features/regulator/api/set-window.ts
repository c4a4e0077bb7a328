import { Policy } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

/** Sets the pilot window (ISO dates): issuance and financing only inside it. */
export const setPilotWindow = writes(stale.policy, (body: { start: string; end: string; reason: string }, idempotencyKey: string) =>
  request("/policy/window", { method: "PUT", body, schema: Policy, idempotencyKey }),
);
