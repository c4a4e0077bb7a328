import { Group, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { LimitName } from "@domain/enums";
import { LIMIT_UNITS } from "@domain/limits";

import { ActionModal } from "../../../components/ActionModal";
import { formatLimitValue } from "../../../lib/event-text";
import { useLang } from "../../../lib/i18n-lang";
import { useAction } from "../../../lib/use-action";
import { setLimit } from "../api/set-limit";
import { limitToInput, parseLimitInput } from "../hooks/limits";

const UNITS = { fen: "¥", bps: "%", days: "", count: "" } as const;

/** Change one control: the new value in its unit, and the reason the chain records with it. */
export function LimitModal({ limit, current, opened, onClose }: { limit: LimitName; current: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const kind = LIMIT_UNITS[limit];
  const [text, setText] = useState(() => limitToInput(kind, current));
  const [touched, setTouched] = useState(false);
  const action = useAction(setLimit, {
    onSuccess: (_p, v) =>
      notifications.show({
        color: "teal",
        message: t("policy.limitChanged", { limit: t(`limits.${limit}.label`), value: formatLimitValue(limit, v.value, lang, t) }),
      }),
  });
  const raw = parseLimitInput(kind, text);
  const valueError =
    touched && raw === null
      ? t(kind === "fen" ? "validation.amount" : kind === "bps" ? "validation.percent" : "validation.wholeNumber")
      : (action.error?.fields.value ?? null);
  return (
    <ActionModal
      opened={opened}
      onClose={onClose}
      title={t("policy.changeTitle", { limit: t(`limits.${limit}.label`) })}
      description={t(`limits.${limit}.help`)}
      confirmLabel={t("policy.save")}
      action={action}
      fieldsShown={["value"]}
      onConfirm={async (reason) => {
        setTouched(true);
        if (raw === null) return false;
        return (await action.run({ limit, value: raw, reason })) !== undefined;
      }}
    >
      <Group gap="md" align="flex-end">
        <Text size="sm">
          {t("policy.current")}: <b>{formatLimitValue(limit, current, lang, t)}</b>
        </Text>
      </Group>
      <TextInput
        label={t("policy.newValue")}
        description={kind === "days" ? t("policy.inDays") : kind === "fen" ? t("policy.inYuan") : kind === "bps" ? t("policy.inPercent") : undefined}
        leftSection={
          kind === "fen" ? (
            <Text size="sm" c="dimmed">
              {UNITS.fen}
            </Text>
          ) : undefined
        }
        rightSection={
          kind === "bps" ? (
            <Text size="sm" c="dimmed">
              %
            </Text>
          ) : undefined
        }
        inputMode="decimal"
        required
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          action.reset();
        }}
        onBlur={() => setTouched(true)}
        error={valueError}
        data-autofocus
      />
    </ActionModal>
  );
}
