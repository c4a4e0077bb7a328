import { BrowserRouter } from "react-router";

import type { QueryClient } from "@tanstack/react-query";

import type { CurrentUser } from "@domain/api";

import { AppProvider } from "./provider";
import { AppRoutes } from "./router";

export function App({ initialUser, queryClient }: { initialUser?: CurrentUser | null; queryClient?: QueryClient }) {
  return (
    <AppProvider initialUser={initialUser} queryClient={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </AppProvider>
  );
}
