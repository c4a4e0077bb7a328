import { Center, Loader, Stack, Text } from "@mantine/core";
import { IconInbox } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { useDescribeError } from "../lib/use-describe-error";
import { ErrorNotice } from "./ErrorNotice";

interface QueryLike<T> {
  data: T | undefined;
  isPending: boolean;
  error: unknown;
  refetch: () => unknown;
}

/** Loading, error and empty states of a query, then its content. */
export function DataState<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: QueryLike<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  const describe = useDescribeError();
  if (query.data === undefined && query.isPending) {
    return (
      <Center py="xl" role="status" aria-live="polite">
        <Loader size="sm" aria-label={t("common.loading")} />
      </Center>
    );
  }
  if (query.data === undefined) {
    const error = describe(query.error ?? new Error("no data"));
    return error === null ? null : <ErrorNotice error={error} onRetry={() => void query.refetch()} />;
  }
  if (isEmpty?.(query.data) === true) return <EmptyState>{empty ?? t("common.empty")}</EmptyState>;
  return <>{children(query.data)}</>;
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <Center py="lg">
      <Stack align="center" gap={4}>
        <IconInbox size={28} stroke={1.3} color="var(--mantine-color-gray-5)" aria-hidden />
        <Text c="dimmed" size="sm">
          {children}
        </Text>
      </Stack>
    </Center>
  );
}
