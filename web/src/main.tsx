import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./app/App";
import { preloadRoute } from "./app/router";
import { getMe } from "./features/auth/api/get-me";
import { initI18n } from "./i18n";
import { ApiClientError } from "./lib/api-client";
import { createQueryClient } from "./lib/query-client";

// Everything the first screen needs starts at once: the session check (its cookie), the page's
// chunk and its data, and the language's strings. The first render waits for them (the session
// check at most 2 s), so the page appears whole instead of through a chain of loaders.
const queryClient = createQueryClient();
const session = getMe().then(
  (user) => user,
  (error: unknown) => (error instanceof ApiClientError && error.status === 401 ? null : undefined),
);
const [, , initialUser] = await Promise.all([
  initI18n(),
  preloadRoute(window.location.pathname, queryClient),
  Promise.race([session, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2_000))]),
]);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App initialUser={initialUser} queryClient={queryClient} />
  </StrictMode>,
);
