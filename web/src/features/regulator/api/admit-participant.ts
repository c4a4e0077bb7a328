import type { z } from "zod";

import { type AdmitRequest, Participant } from "@domain/api";

import { stale, writes } from "../../../api/query-keys";
import { request } from "../../../lib/api-client";

export type AdmitInput = z.input<typeof AdmitRequest>;

/** Onboards and admits a participant with its login. */
export const admitParticipant = writes(stale.participant, (body: AdmitInput, idempotencyKey: string) =>
  request("/participants", { method: "POST", body, schema: Participant, idempotencyKey }),
);
