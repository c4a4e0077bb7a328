/** Renders the whole UI at a route, as a signed-in user would see it (session restored by GET /auth/me). */
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";

import { AppProvider } from "../app/provider";
import { AppRoutes } from "../app/router";
import { createQueryClient } from "../lib/query-client";

export function renderRoute(path: string) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const user = userEvent.setup({ delay: null });
  const utils = render(
    <AppProvider queryClient={queryClient} env="test">
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes />
      </MemoryRouter>
    </AppProvider>,
  );
  return { ...utils, user, queryClient };
}
