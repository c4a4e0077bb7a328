import { Participant } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

export type ParticipantAction = "freeze" | "unfreeze" | "remove";

/** Freezes, unfreezes or removes a participant, with a reason. */
export const runParticipantAction = writes(
  stale.participant,
  ({ address, action, reason }: { address: string; action: ParticipantAction; reason: string }, idempotencyKey: string) =>
    request(`/participants/${address}/${action}`, { method: "POST", body: { reason }, schema: Participant, idempotencyKey }),
);

/** Moves the end of a participant's admission. */
export const renewParticipant = writes(
  stale.participant,
  ({ address, admittedUntil, reason }: { address: string; admittedUntil: string; reason: string }, idempotencyKey: string) =>
    request(`/participants/${address}/renew`, { method: "POST", body: { admittedUntil, reason }, schema: Participant, idempotencyKey }),
);
