import { Alert, List, Paper, Stack, Text } from "@mantine/core";
import { IconFlask } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { DataState } from "../../../components/DataState";
import { PageHeader } from "../../../components/PageHeader";
import { useSimulationsProbe } from "../api/get-simulations";

/**
 * EXTENSION POINT: simulation reports. The simulator (DESIGN.md section 5) will add
 * GET /api/simulations; see ../api/get-simulations.ts. This page says what will appear here and
 * whether the platform already offers reports; it never shows invented figures.
 */
export function SimulationsPage() {
  const { t } = useTranslation();
  const probe = useSimulationsProbe();
  return (
    <Stack gap="md">
      <PageHeader title={t("simulations.title")} description={t("simulations.subtitle")} />
      <Paper withBorder p="md" radius="sm" data-testid="simulations-placeholder">
        <DataState query={probe}>
          {(p) =>
            p.available ? (
              <Alert color="indigo" role="status" icon={<IconFlask size={18} />} title={t("simulations.availableTitle")}>
                {t("simulations.available", { count: p.count })}
              </Alert>
            ) : (
              <Alert color="gray" role="status" icon={<IconFlask size={18} />} title={t("simulations.pendingTitle")}>
                <Text size="sm">{t("simulations.pending")}</Text>
              </Alert>
            )
          }
        </DataState>
        <Text size="sm" fw={600} mt="md">
          {t("simulations.willShow")}
        </Text>
        <List size="sm" mt={4}>
          <List.Item>{t("simulations.items.volumes")}</List.Item>
          <List.Item>{t("simulations.items.cost")}</List.Item>
          <List.Item>{t("simulations.items.risk")}</List.Item>
          <List.Item>{t("simulations.items.compare")}</List.Item>
        </List>
      </Paper>
    </Stack>
  );
}
