/**
 * A user action that writes: one Idempotency-Key per action. Retrying the same action after a
 * network failure or a 5xx (outcome unknown) sends the same key, so the platform answers with the
 * first result instead of acting twice; a new action, or one after a definite answer, gets a new key.
 * After success it refetches what the write declared stale (`writes` in api/query-keys), not every query.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";

import { invalidate, type Write } from "../api/query-keys";
import { ApiClientError, newIdempotencyKey } from "./api-client";
import type { DescribedError } from "./api-errors";
import { useDescribeError } from "./use-describe-error";

export interface Action<TVars, TResult> {
  run(vars: TVars): Promise<TResult | undefined>;
  pending: boolean;
  error: DescribedError | null;
  reset(): void;
}

export function useAction<TVars, TResult>(
  perform: Write<TVars, TResult>,
  options: { onSuccess?: (result: TResult, vars: TVars) => void } = {},
): Action<TVars, TResult> {
  const queryClient = useQueryClient();
  const describe = useDescribeError();
  const attempt = useRef<{ vars: string; key: string } | null>(null);
  const mutation = useMutation<TResult, unknown, TVars>({
    mutationFn: (vars) => {
      const signature = JSON.stringify(vars, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof File ? v.name : v));
      if (attempt.current === null || attempt.current.vars !== signature) attempt.current = { vars: signature, key: newIdempotencyKey() };
      return perform(vars, attempt.current.key);
    },
    onSuccess: async (result, vars) => {
      attempt.current = null;
      options.onSuccess?.(result, vars);
      await invalidate(queryClient, perform.stale);
    },
    onError: (error) => {
      if (!(error instanceof ApiClientError && error.retryable)) attempt.current = null;
    },
  });
  return {
    run: async (vars) => {
      try {
        return await mutation.mutateAsync(vars);
      } catch {
        return undefined;
      }
    },
    pending: mutation.isPending,
    error: describe(mutation.error),
    reset: mutation.reset,
  };
}
