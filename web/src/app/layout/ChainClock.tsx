import { Badge, Button, Group, Text } from "@mantine/core";
import { IconClockPlay } from "@tabler/icons-react";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";

import { useChain } from "../../api/get-chain";
import { DateText } from "../../components/DateText";
import { useCurrentUser } from "../../lib/session";

const AdvanceTimeModal = lazy(() => import("./AdvanceTimeModal").then((m) => ({ default: m.AdvanceTimeModal })));

/**
 * The chain's clock (the time the contracts see, which is what due dates are measured against)
 * and, on the platform's own local chain, the demo control that moves it forward. Moving time
 * matures and defaults receivables for everyone, so only supervisors (regulator, operator) get it.
 */
export function ChainClock() {
  const { t } = useTranslation();
  const chain = useChain();
  const user = useCurrentUser();
  const supervisor = user.role === "Regulator" || user.role === "Operator";
  const [opened, setOpened] = useState(false);
  if (chain.data === undefined) {
    return (
      <Text size="xs" c="dimmed">
        {chain.isPending ? t("chain.loading") : t("chain.unavailable")}
      </Text>
    );
  }
  const info = chain.data;
  const local = info.mode === "local";
  return (
    <Group gap="xs" wrap="nowrap" data-testid="chain-clock">
      <Group gap={6} wrap="nowrap" title={t("chain.help", { block: info.blockNumber, chainId: info.chainId })}>
        <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
          {t("chain.time")}
        </Text>
        <Text size="sm" fw={600} data-testid="chain-time" style={{ whiteSpace: "nowrap" }}>
          <DateText value={info.timestamp} time />
        </Text>
        <Badge size="xs" variant="light" color={local ? "gray" : "blue"} style={{ flexShrink: 0, overflow: "visible" }}>
          {local ? t("chain.local") : t("chain.external")}
        </Badge>
      </Group>
      {local && supervisor && (
        <Button size="compact-xs" variant="light" leftSection={<IconClockPlay size={14} />} onClick={() => setOpened(true)} style={{ flexShrink: 0 }}>
          {t("chain.advance")}
        </Button>
      )}
      {opened && (
        <Suspense fallback={null}>
          <AdvanceTimeModal opened onClose={() => setOpened(false)} />
        </Suspense>
      )}
    </Group>
  );
}
