import { Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { Action } from "../lib/use-action";
import { FormError } from "./ErrorNotice";

/**
 * The confirmation step of a consequential action: says what will happen, asks for the reason
 * when the action records one, and shows the API's refusal in place.
 */
export function ActionModal({
  opened,
  onClose,
  title,
  description,
  confirmLabel,
  color = "blue",
  action,
  withReason = true,
  reasonLabel,
  onConfirm,
  fieldsShown = [],
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel: string;
  color?: string;
  action: Action<never, unknown> | Pick<Action<never, unknown>, "pending" | "error" | "reset">;
  withReason?: boolean;
  reasonLabel?: string;
  /** Performs the action; resolves true when it succeeded (the modal closes). */
  onConfirm: (reason: string) => Promise<boolean>;
  /** API fields the modal's own inputs show errors for (the rest go in the notice). */
  fieldsShown?: string[];
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const reasonError = withReason && touched && reason.trim() === "" ? t("validation.required") : (action.error?.fields.reason ?? null);
  const close = () => {
    setReason("");
    setTouched(false);
    action.reset();
    onClose();
  };
  const submit = async () => {
    setTouched(true);
    if (withReason && reason.trim() === "") return;
    if (await onConfirm(reason.trim())) close();
  };
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>{title}</Text>} centered size="md">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          {description !== undefined && <Text size="sm">{description}</Text>}
          {children}
          {withReason && (
            <Textarea
              label={reasonLabel ?? t("fields.reason")}
              required
              autosize
              minRows={2}
              maxLength={500}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              onBlur={() => setTouched(true)}
              error={reasonError}
              data-autofocus
            />
          )}
          <FormError error={action.error} fields={["reason", ...fieldsShown]} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" color={color} loading={action.pending}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
