import { QueryClient } from "@tanstack/react-query";

import { ApiClientError } from "./api-client";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        // Refusals are answers: only retry what could succeed (network, 5xx).
        retry: (count, error) => count < 2 && error instanceof ApiClientError && error.retryable,
      },
      mutations: { retry: false },
    },
  });
}
