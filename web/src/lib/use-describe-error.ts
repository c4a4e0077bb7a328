import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";

import type { Participant } from "@domain/api";

import { ApiClientError } from "./api-client";
import { describeApiError, type DescribedError } from "./api-errors";
import { useLang } from "./i18n-lang";
import { queryKeys } from "../api/query-keys";

/** Describes an API error in the user's language, naming participants the UI already knows. */
export function useDescribeError(): (error: unknown) => DescribedError | null {
  const { t } = useTranslation();
  const lang = useLang();
  const queryClient = useQueryClient();
  return useCallback(
    (error: unknown) => {
      if (error === null || error === undefined) return null;
      if (!(error instanceof ApiClientError)) {
        return { message: t("errors.unexpected"), rule: "", ruleLabel: null, code: "", policy: false, fields: {}, requestId: "" };
      }
      const names = new Map<string, string>();
      for (const [, data] of queryClient.getQueriesData<{ items: Participant[] }>({ queryKey: queryKeys.participants })) {
        for (const p of data?.items ?? []) names.set(p.address.toLowerCase(), p.name);
      }
      return describeApiError(error, { lang, t, names });
    },
    [t, lang, queryClient],
  );
}
