import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconShieldX } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import type { DescribedError } from "../lib/api-errors";

/**
 * An error from the API in the user's language. A sandbox control that blocked an action is shown
 * as such, with the rule's name; every error carries its code for support.
 */
export function ErrorNotice({ error, onRetry, title }: { error: DescribedError; onRetry?: () => void; title?: string }) {
  const { t } = useTranslation();
  return (
    <Alert
      color={error.policy ? "orange" : "red"}
      variant="light"
      icon={error.policy ? <IconShieldX size={18} /> : <IconAlertTriangle size={18} />}
      title={title ?? (error.policy ? t("errors.blockedTitle") : t("errors.title"))}
      role="alert"
    >
      <Stack gap={4}>
        <Text size="sm">{error.message}</Text>
        {(error.ruleLabel !== null || error.code !== "") && (
          <Text size="xs" c="dimmed">
            {error.ruleLabel !== null && `${t("errors.rule")}: ${error.ruleLabel} (${error.rule}) · `}
            {error.code}
            {error.requestId !== "" && ` · ${t("errors.requestId")} ${error.requestId}`}
          </Text>
        )}
        {onRetry !== undefined && (
          <Group>
            <Button size="xs" variant="default" onClick={onRetry}>
              {t("common.retry")}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
