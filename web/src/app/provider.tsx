import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./global.css";

import { MantineProvider } from "@mantine/core";
import { useNotifications } from "@mantine/notifications";
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useState, type ReactNode } from "react";

import type { CurrentUser } from "@domain/api";

import { SessionProvider } from "../features/auth/hooks/session-provider";
import { createQueryClient } from "../lib/query-client";
import { theme } from "./theme";

const NotificationsHost = lazy(() => import("./notifications-host").then((m) => ({ default: m.Notifications })));

/**
 * The notifications container, loaded with the first notification: most visits show none, so
 * its code (and its transitions library) is not part of any page's first download.
 */
function DeferredNotifications() {
  const { notifications, queue } = useNotifications();
  const [needed, setNeeded] = useState(false);
  if (!needed && notifications.length + queue.length > 0) setNeeded(true);
  if (!needed) return null;
  return (
    <Suspense fallback={null}>
      <NotificationsHost position="bottom-right" limit={3} />
    </Suspense>
  );
}

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
      <DeferredNotifications />
      <QueryClientProvider client={client}>
        <SessionProvider initialUser={initialUser}>{children}</SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
