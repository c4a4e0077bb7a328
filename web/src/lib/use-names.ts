import { useMemo } from "react";

import { useParticipants } from "../api/get-participants";

/** Participant names by lower-case address (for events and errors that carry addresses). */
export function useParticipantNames(): Map<string, string> {
  const participants = useParticipants();
  return useMemo(() => new Map((participants.data?.items ?? []).map((p) => [p.address.toLowerCase(), p.name])), [participants.data]);
}
