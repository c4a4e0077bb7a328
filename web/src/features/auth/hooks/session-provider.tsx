import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";

import type { CurrentUser } from "@domain/api";

import { ApiClientError, setSessionToken, setUnauthenticatedHandler } from "../../../lib/api-client";
import { SessionContext, type Session } from "../../../lib/session";
import { getMe } from "../api/get-me";
import { login as loginRequest } from "../api/login";
import { logout as logoutRequest } from "../api/logout";

/**
 * The session: the bearer token lives in memory only; after a reload the HttpOnly session cookie
 * restores it (GET /api/auth/me, usually already answered at start: `initialUser`, null when
 * nobody is signed in). A 401 on any request signs the user out.
 */
export function SessionProvider({ children, initialUser }: { children: ReactNode; initialUser?: CurrentUser | null }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<{ status: Session["status"]; user: CurrentUser | null }>(() =>
    initialUser === undefined ? { status: "loading", user: null } : { status: initialUser === null ? "anonymous" : "authenticated", user: initialUser },
  );

  useEffect(() => {
    let cancelled = false;
    if (initialUser === undefined) {
      getMe()
        .then((user) => !cancelled && setState({ status: "authenticated", user }))
        .catch((error: unknown) => {
          if (cancelled) return;
          if (!(error instanceof ApiClientError)) console.error(error);
          setState({ status: "anonymous", user: null });
        });
    }
    setUnauthenticatedHandler(() => {
      setSessionToken(null);
      queryClient.clear();
      setState({ status: "anonymous", user: null });
    });
    return () => {
      cancelled = true;
      setUnauthenticatedHandler(null);
    };
  }, [queryClient, initialUser]);

  const login = useCallback(
    async (username: string, password: string) => {
      const answer = await loginRequest(username, password);
      setSessionToken(answer.token);
      queryClient.clear();
      setState({ status: "authenticated", user: answer.user });
      return answer.user;
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await logoutRequest();
    } finally {
      setSessionToken(null);
      queryClient.clear();
      setState({ status: "anonymous", user: null });
    }
  }, [queryClient]);

  const value = useMemo<Session>(() => ({ ...state, login, logout }), [state, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
