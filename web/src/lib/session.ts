/**
 * The signed-in user, for every part of the UI. The auth feature provides it (login, logout,
 * restoring a session from its cookie); portals only read it.
 */
import { createContext, useContext } from "react";

import type { CurrentUser } from "@domain/api";

export interface Session {
  status: "loading" | "anonymous" | "authenticated";
  user: CurrentUser | null;
  login(username: string, password: string): Promise<CurrentUser>;
  logout(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error("useSession outside SessionContext");
  return session;
}

/** The signed-in user (portals render only for one). */
export function useCurrentUser(): CurrentUser {
  const { user } = useSession();
  if (user === null) throw new Error("useCurrentUser without a signed-in user");
  return user;
}
