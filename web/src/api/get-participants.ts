import { queryOptions, useQuery } from "@tanstack/react-query";

import { pageOf, Participant } from "@domain/api";
import type { RoleName } from "@domain/enums";

import { request } from "../lib/api-client";
import { queryKeys } from "./query-keys";

const ParticipantPage = pageOf(Participant);

export const getParticipants = (role?: RoleName) => request("/participants", { query: { role, limit: 200 }, schema: ParticipantPage });

export const participantsQuery = (role?: RoleName) =>
  queryOptions({ queryKey: [...queryKeys.participants, role ?? "all"], queryFn: () => getParticipants(role), staleTime: 30_000 });

/** Admitted (and removed) participants, optionally of one role, with their exposure counters. */
export const useParticipants = (role?: RoleName) => useQuery(participantsQuery(role));
