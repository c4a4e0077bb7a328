import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./global.css";

import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

import type { CurrentUser } from "@domain/api";

import { SessionProvider } from "../features/auth/hooks/session-provider";
import { createQueryClient } from "../lib/query-client";
import { theme } from "./theme";

/** Everything the UI runs inside: theme, server state, the session, notifications. */
export function AppProvider({
  children,
  queryClient,
  env,
  initialUser,
}: {
  children: ReactNode;
  queryClient?: QueryClient;
  env?: "default" | "test";
  /** The signed-in user when already known (see main.tsx); null: nobody; undefined: check. */
  initialUser?: CurrentUser | null;
}) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" env={env}>
      <Notifications position="bottom-right" limit={3} />
      <QueryClientProvider client={client}>
        <SessionProvider initialUser={initialUser}>{children}</SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
