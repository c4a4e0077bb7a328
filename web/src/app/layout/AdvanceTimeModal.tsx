import { Button, Group, Modal, NumberInput, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { advanceChain } from "../../api/advance-chain";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useAction } from "../../lib/use-action";

/** The demo control that moves the local chain's clock forward (loaded when first opened). */
export function AdvanceTimeModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [days, setDays] = useState<number | string>(30);
  const advance = useAction(advanceChain, {
    onSuccess: (info, d) => {
      onClose();
      notifications.show({ color: "teal", message: t("chain.advanced", { count: d, block: info.blockNumber }) });
    },
  });
  const valid = typeof days === "number" && Number.isInteger(days) && days >= 1 && days <= 3650;
  return (
    <Modal opened={opened} onClose={onClose} title={t("chain.advanceTitle")} centered size="sm">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) void advance.run(days);
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t("chain.advanceHelp")}</Text>
          <NumberInput
            label={t("chain.days")}
            min={1}
            max={3650}
            allowDecimal={false}
            allowNegative={false}
            value={days}
            onChange={setDays}
            error={valid ? null : t("chain.daysInvalid")}
            data-autofocus
          />
          <Group gap={6}>
            {[1, 7, 30, 90].map((d) => (
              <Button key={d} size="compact-xs" variant="default" onClick={() => setDays(d)}>
                +{t("common.daysCount", { count: d })}
              </Button>
            ))}
          </Group>
          {advance.error !== null && <ErrorNotice error={advance.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={advance.pending} disabled={!valid}>
              {t("chain.advanceConfirm")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
