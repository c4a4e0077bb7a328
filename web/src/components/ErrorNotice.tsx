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

/** The rule behind an error already shown at its field: a compact line, no repeated message. */
export function RuleNote({ error }: { error: DescribedError }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap" role="note">
      <IconShieldX size={16} color="var(--mantine-color-orange-7)" aria-hidden />
      <Text size="xs" c="orange.9">
        {t("errors.blockedTitle")}
        {error.ruleLabel !== null && ` · ${t("errors.rule")}: ${error.ruleLabel} (${error.rule})`} · {error.code}
      </Text>
    </Group>
  );
}

/**
 * A form's API error: when it concerns fields the form shows, those fields carry the message and
 * only the rule (for a sandbox block) is added here; otherwise the whole notice shows.
 */
export function FormError({ error, fields }: { error: DescribedError | null; fields: string[] }) {
  if (error === null) return null;
  const atField = Object.keys(error.fields).some((f) => fields.includes(f));
  if (atField) return error.policy ? <RuleNote error={error} /> : null;
  return <ErrorNotice error={error} />;
}
